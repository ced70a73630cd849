"""Getting a private answer to the person however Slack is behaving.

A slash command's answer goes to its response_url. That endpoint can answer 5xx or drop
the connection like any other, and then the card the person waited for would be lost; so
a failure there is retried a couple of times, then the answer is posted ephemerally with
the Web API, and by DM where Slack refuses that (a conversation Doorway is not in).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.failures import SLACK_FAILURES, SlackFailure, slack_error
from bot.slack.pacing import ChannelPacer, post_message

log = logging.getLogger(__name__)

RETRY_DELAYS = (0.5, 1.0)  # seconds before the second and third tries at a response_url


async def answer_privately(
    respond: AsyncRespond,
    client: AsyncWebClient,
    *,
    channel: str,
    user: str,
    text: str,
    blocks: list[dict[str, Any]],
) -> None:
    """Answer at the command's response_url, else ephemerally in `channel`, else by DM."""
    for delay in (*RETRY_DELAYS, None):
        try:
            await respond(text=text, blocks=blocks)
            return
        except SlackFailure as exc:  # bot.slack.client.SlackRespond names every failed reply
            problem = exc.reason
            if not exc.worth_retrying:  # expired or refused: trying again won't help
                delay = None
        log.info(
            "response_url failed (%s)%s",
            problem,
            "; trying again" if delay is not None else "; posting ephemerally instead",
        )
        if delay is None:
            break
        await asyncio.sleep(delay)
    await ephemeral_or_dm(client, channel=channel, user=user, text=text, blocks=blocks)


async def ephemeral_or_dm(
    client: AsyncWebClient, *, channel: str, user: str, text: str, blocks: list[dict[str, Any]]
) -> None:
    """Show `user` a message only they see in `channel`; by DM where Slack won't."""
    try:
        await client.chat_postEphemeral(channel=channel, user=user, text=text, blocks=blocks)
    except SlackApiError as exc:
        log.info("ephemeral message failed (%s); sending it by DM", exc.response.get("error"))
        await client.chat_postMessage(channel=user, text=text, blocks=blocks)


async def send_dm(
    slack: AsyncWebClient, pacer: ChannelPacer, *, user_id: str, **fields: object
) -> tuple[str, str]:
    """DM a person (conversations.open, then a paced post); the DM's channel and ts."""
    opened = await slack.conversations_open(users=user_id)
    posted = await post_message(slack, pacer, channel=str(opened["channel"]["id"]), **fields)
    return str(posted["channel"]), str(posted["ts"])


async def say(respond: AsyncRespond, text: str) -> None:
    """Tell the person who pressed, and only them, in Doorway's own words."""
    await respond(text=text, response_type="ephemeral", replace_original=False)


async def tell(
    slack: AsyncWebClient, pacer: ChannelPacer, *, user_id: str, **fields: object
) -> bool:
    """DM a person, best effort: a failure is logged (there is no one left to tell)."""
    try:
        await send_dm(slack, pacer, user_id=user_id, **fields)
    except SLACK_FAILURES as exc:
        log.warning("could not DM %s: %s", user_id, slack_error(exc))
        return False
    return True
