"""*Disagree and commit on this*: the message shortcut that opens `/commit`'s form about a
message, prefilled with its text and its author as the owner; the card goes in its thread.

The form's private_metadata is sealed (bot.listeners.sealed): the channel and message the
card goes to are the ones Slack named in the shortcut, for the workspace and the person who
used it, whatever a client sends back.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.listeners import fields, quoting, sealed
from bot.listeners.context import services_of, team_of
from bot.listeners.quoting import THREAD
from bot.services import Services
from bot.slack.failures import SLACK_FAILURES
from handlers.commit import form, modals
from handlers.commit.form import Prefill
from handlers.commit.ids import Field

log = logging.getLogger(__name__)

FROM_MESSAGE = (
    "From the message: its author is suggested as the owner, and the card goes in its thread."
)
NO_TEXT = (
    ":information_source: That message has no text I can read (a file or an attachment "
    "only): say what was decided. The card goes in the message's thread."
)
_PERSON = re.compile(r"[UW][A-Z0-9]+")


@dataclass(frozen=True)
class Thread:
    """The message a commitment was recorded from: its card goes in this thread."""

    channel: str
    ts: str  # the message
    thread_ts: str  # its thread: Slack names it by the thread's first message


async def on_commit_message(
    ack: AsyncAck, shortcut: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    await ack()
    services = services_of(context)
    team_id, user_id = team_of(context, shortcut), fields.user_id(shortcut)
    quoted = quoting.quoted(shortcut)
    channel, message, raw = quoted.channel, quoted.message, quoted.raw
    said_by = message.get("user")
    owner = (
        said_by
        if isinstance(said_by, str) and _PERSON.fullmatch(said_by) and not message.get("bot_id")
        else user_id
    )
    suggested = form.prefill(raw, author=user_id)
    decision = await quoting.plainly(services, team_id=team_id, text=raw) if raw else ""
    prefill = Prefill(decision=decision, dissenters=[u for u in suggested.dissenters if u != owner])
    origin = quoted.origin()
    await client.views_open(
        trigger_id=fields.text(shortcut, "trigger_id"),
        view=modals.record(
            channel_id=channel,
            author=user_id,
            owner=owner,
            prefill=prefill,
            check_back=services.clock.now().date() + form.CHECK_BACK_AFTER,
            metadata=sealed.seal(services, team_id=team_id, user_id=user_id, origin=origin),
            note=FROM_MESSAGE if decision else NO_TEXT,
        ),
    )


def thread_of(
    services: Services, metadata: str, *, team_id: str, user_id: str
) -> Thread | dict[str, str]:
    """The message a sealed form is about; or the errors to show in the form."""
    origin = sealed.unseal(services, metadata, team_id=team_id, user_id=user_id)
    if origin is None or origin.get("kind") != THREAD or not origin.get("channel"):
        log.info("a /commit form came back with metadata not sealed for %s", user_id)
        return {
            Field.DECISION: "This form can't be checked any more: close it and use the "
            "shortcut again."
        }
    return Thread(
        channel=origin["channel"],
        ts=origin["ts"],
        thread_ts=origin.get("thread") or origin["ts"],
    )


async def source_url(client: AsyncWebClient, thread: Thread) -> str | None:
    """The link to the message, or None when Slack won't give one (a link is a nicety)."""
    try:
        response = await client.chat_getPermalink(channel=thread.channel, message_ts=thread.ts)
        return str(response["permalink"])
    except SLACK_FAILURES as exc:
        log.info("no permalink for %s/%s: %s", thread.channel, thread.ts, type(exc).__name__)
        return None
