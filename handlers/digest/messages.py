"""Block Kit for the digest room: the digest itself and the answers to `/digest`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot import dates
from bot.decisions.digest_sections import DigestSection, DigestWindow
from bot.slack import text as t
from handlers.digest.schedule import describe
from storage.models import DigestSubscription

SECTION_BUDGET = 2900  # under Slack's 3,000 per section, with room for "…and N more"

USAGE = (
    "*Weekly digest for this channel*\n"
    "`/digest on` — every Friday at 16:00 in your time zone\n"
    "`/digest on monday 9:30` — pick the day and time (`4pm` works too)\n"
    "`/digest off` — stop it\n"
    "`/digest now` — see this week's digest, just for you\n"
    "It lists decisions shared here this week (one-way and two-way), doors overruled, "
    "outcomes recorded, reviews coming up and reviews overdue. A quiet week sends nothing."
)


def digest(
    sections: Sequence[DigestSection], window: DigestWindow, *, preview: bool = False
) -> list[dict[str, Any]]:
    """The digest message: a header, the week it covers, a block per section."""
    zone = ZoneInfo(window.tz)
    start, end = window.start.astimezone(zone), window.end.astimezone(zone)
    span = dates.span(start, end)
    note = " · preview, only you can see this" if preview else ""
    blocks: list[dict[str, Any]] = [
        t.header("Weekly decision digest"),
        t.context(f"<#{window.channel_id}> · {span}{note}"),
    ]
    for section in sections:
        blocks.append(t.section(_section_text(section)))
    return blocks


def _section_text(section: DigestSection) -> str:
    text = f"*{section.title}*"
    for shown, line in enumerate(section.lines):
        more = f"\n…and {len(section.lines) - shown} more"
        if len(text) + 1 + len(line) + len(more) > SECTION_BUDGET:
            return text + more
        text += "\n" + line
    return text


def _when(sub: DigestSubscription) -> str:
    return f"{describe(sub.weekday, sub.at_minute)} ({sub.tz})"


def subscribed(sub: DigestSubscription, first: datetime, *, warning: str | None) -> str:
    local = first.astimezone(ZoneInfo(sub.tz))
    text = (
        f":newspaper: This channel gets a weekly decision digest every {_when(sub)}. "
        f"The next one: {dates.long_day(local)}. A quiet week sends nothing."
    )
    return f"{text}\n:warning: {warning}" if warning else text


def unsubscribed(was_on: bool) -> str:
    if was_on:
        return ":wave: The weekly digest is off for this channel."
    return "This channel had no weekly digest; nothing to turn off."


def status(sub: DigestSubscription | None) -> str:
    if sub is None or not sub.active:
        return f"{USAGE}\n\n_This channel has no digest yet._"
    return f"{USAGE}\n\n_This channel's digest goes out every {_when(sub)}._"


NOTHING_YET = (
    ":zzz: Nothing to report for this channel this week, so a digest now would not be sent."
)
NOT_A_MEMBER = (
    "I'm not in this channel, so the digest can't be posted: invite me with `/invite @Doorway`."
)
