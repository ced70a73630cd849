"""A Slack message's text as a person reads it, to prefill a form with (message shortcuts).

Slack sends a message's text as mrkdwn: `<@U1>` for a mention, `<#C1|general>`, links,
and `&amp;` for a typed `&`. A form's plain-text input shows none of that, so mentions get
the person's name (users.info, cached; within a budget, since the form must open while
the shortcut's trigger_id lives) and the rest reads as bot.slack.text.readable has it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.listeners import fields
from bot.listeners.people import profile
from bot.services import Services
from bot.slack import markup
from bot.slack.text import as_typed, printable, readable

NAMES_BUDGET = 1.0  # seconds of users.info; Slack's trigger_id lasts three
MAX_NAMES = 10


THREAD = "thread"  # the kind of a sealed origin that is a message (bot.listeners.sealed)


@dataclass(frozen=True)
class Quoted:
    """The message a shortcut was used on, as Slack's payload names it."""

    channel: str
    ts: str
    thread: str  # a reply's card goes in its thread, named by the thread's first message
    message: Mapping[str, Any]
    raw: str  # its text as Slack sent it ("" for a message with only a file)

    def origin(self) -> dict[str, str]:
        """What a form about the message seals (bot.listeners.sealed)."""
        return {"kind": THREAD, "channel": self.channel, "ts": self.ts, "thread": self.thread}


def quoted(shortcut: Mapping[str, Any]) -> Quoted:
    """The message of a `message_action` payload; Incomplete if Slack's fields are missing."""
    channel, message = _object(shortcut, "channel"), _object(shortcut, "message")
    ts = fields.text(shortcut, "message_ts", required=False) or fields.text(message, "ts")
    thread = fields.text(message, "thread_ts", required=False) or ts
    return Quoted(fields.text(channel, "id"), ts, thread, message, message_text(message))


def _object(payload: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    found = payload.get(name)
    if not isinstance(found, Mapping):
        raise fields.Incomplete(name, "is missing")
    return found


def message_text(message: Mapping[str, Any] | None) -> str:
    """The text of a shortcut's message ("" for one with only a file or an attachment)."""
    text = (message or {}).get("text")
    return printable(text).strip() if isinstance(text, str) else ""


async def plainly(services: Services, *, team_id: str, text: str) -> str:
    """`text` (Slack mrkdwn) as plain words: `@Alice Adams`, `#general`, `&` …"""
    return as_typed(readable(await labelled(services, team_id=team_id, text=text))).strip()


async def labelled(services: Services, *, team_id: str, text: str) -> str:
    """`text` with each bare `<@U1>` written `<@U1|Alice Adams>`, as far as names are known
    within the budget; still mrkdwn."""
    tokens = list(markup.tokens(text))
    unnamed = list(
        dict.fromkeys(
            tok.id
            for tok in tokens
            if isinstance(tok, markup.User) and not tok.label and tok.id.isalnum()
        )
    )[:MAX_NAMES]
    names: dict[str, str] = {}
    if unnamed:
        tasks = {
            u: asyncio.create_task(profile(services, team_id=team_id, user_id=u)) for u in unnamed
        }
        done, pending = await asyncio.wait(tasks.values(), timeout=NAMES_BUDGET)
        for task in pending:
            task.cancel()
        for user_id, task in tasks.items():
            if task in done and task.exception() is None and task.result().name:
                names[user_id] = str(task.result().name).replace("|", " ").replace(">", " ")
    return "".join(
        f"<@{tok.id}|{names[tok.id]}>"
        if isinstance(tok, markup.User) and not tok.label and tok.id in names
        else tok.raw
        for tok in tokens
    )
