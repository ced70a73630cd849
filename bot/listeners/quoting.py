"""A Slack message's text as a person reads it, to prefill a form with (message shortcuts).

Slack sends a message's text as mrkdwn: `<@U1>` for a mention, `<#C1|general>`, links,
and `&amp;` for a typed `&`. A form's plain-text input shows none of that, so mentions get
the person's name (users.info, cached; within a budget, since the form must open while
the shortcut's trigger_id lives) and the rest reads as bot.slack.text.readable has it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from bot.listeners.people import profile
from bot.services import Services
from bot.slack import markup
from bot.slack.text import as_typed, printable, readable

NAMES_BUDGET = 1.0  # seconds of users.info; Slack's trigger_id lasts three
MAX_NAMES = 10


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
