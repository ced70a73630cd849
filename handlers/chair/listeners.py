"""/chair and the :chair: reaction: the customer's questions, on demand."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.decisions import questions
from bot.listeners import fields, once
from bot.listeners.context import services_of, team_of
from bot.services import Services
from bot.slack.failures import SLACK_FAILURES
from handlers.chair.messages import help_message, questions_message, thread_question

log = logging.getLogger(__name__)

REACTION = "chair"
QUESTIONS = 3
HELP_WORDS = {"help", "?", "-h", "--help"}


async def on_chair(
    ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond, context: AsyncBoltContext
) -> None:
    await ack()
    topic = fields.text(command, "text", required=False)
    if topic.strip().lower() in HELP_WORDS:
        await respond(**help_message())  # ephemeral: only the asker needs it
        return
    asked = await _questions(services_of(context), topic)
    # response_url posts work in any conversation the command was typed in, member or not.
    await respond(
        response_type="in_channel",
        **questions_message(topic, asked, asked_by=fields.user_id(command)),
    )


async def on_reaction(
    event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    item = event.get("item") or {}
    if event.get("reaction") != REACTION or item.get("type") != "message":
        return
    services = services_of(context)
    team_id = team_of(context, body)
    channel, ts = fields.text(item, "channel"), fields.text(item, "ts")
    # One question per message, however many people react or how often Slack retries; a
    # post that fails gives the message back, so the next :chair: on it asks again.
    key = f"chair:{channel}:{ts}"
    if not await once.claim(services, team_id=team_id, key=key):
        return
    try:
        async with once.released_on_failure(services, team_id=team_id, key=key):
            text = await _message_text(client, channel, ts)
            question = await _questions(services, text, n=1)
            await client.chat_postMessage(
                channel=channel, thread_ts=ts, **thread_question(question[0])
            )
    except SLACK_FAILURES as exc:
        log.info("could not ask the empty chair in %s: %s", channel, type(exc).__name__)
        return
    await once.confirm(services, team_id=team_id, key=key)


async def _questions(services: Services, topic: str, n: int = QUESTIONS) -> list[str]:
    if services.model is not None and topic.strip():
        written = await services.model.chair_questions(topic, n)
        if written:
            return written[:n]
    return questions.chair_questions(topic, n)


async def _message_text(client: AsyncWebClient, channel: str, ts: str) -> str:
    """The reacted-to message's text, or "" when Slack won't show it to us."""
    try:
        # oldest = latest = ts: exactly that message. A thread reply is not in the channel's
        # history, so it comes back empty and the question is a general one, never about
        # whichever message happened to come before it.
        history = await client.conversations_history(
            channel=channel, oldest=ts, latest=ts, inclusive=True, limit=1
        )
    except SlackApiError as exc:
        log.info("no text for %s/%s: %s", channel, ts, exc.response.get("error"))
        return ""
    messages = [m for m in history.get("messages") or [] if m.get("ts") == ts]
    return str(messages[0].get("text") or "") if messages else ""
