"""When a channel's digest goes out: parsing `/digest …` and finding the next slot. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot import dates
from bot.slack.text import safe

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAYS = {name.lower(): n for n, name in enumerate(DAY_NAMES)} | {
    "mon": 0,
    "tue": 1,
    "tues": 1,
    "wed": 2,
    "weds": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
}
DEFAULT_WEEKDAY = 4  # Friday
DEFAULT_MINUTE = 16 * 60  # 16:00
_TIME = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?(am|pm)?$")
_FILLER = {"at", "on", "every", "each"}
WORD_SHOWN = 40  # characters of an unreadable word quoted back


class Verb(StrEnum):
    ON = "on"
    OFF = "off"
    NOW = "now"
    HELP = "help"


class UsageError(ValueError):
    """The command could not be read; the message says which part."""


@dataclass(frozen=True)
class Request:
    verb: Verb
    weekday: int = DEFAULT_WEEKDAY
    minute: int = DEFAULT_MINUTE


def parse(text: str) -> Request:
    """`on [day] [time]`, `off`, `now`, or help (empty, `help`)."""
    words = re.sub(r"\s+(am|pm)\b", r"\1", text.strip().lower()).split()
    if not words or words[0] in {"help", "?", "status"}:
        return Request(Verb.HELP)
    verb, rest = words[0], words[1:]
    if verb in {"off", "now"}:
        if rest:
            raise UsageError(f"`/digest {verb}` takes nothing after it.")
        return Request(Verb(verb))
    if verb != "on":
        raise UsageError(f"I don't know {_quoted(verb)}.")
    weekday: int | None = None
    minute: int | None = None
    for word in rest:
        if word in _FILLER:
            continue
        day = WEEKDAYS.get(word, WEEKDAYS.get(word.removesuffix("s")))  # "fridays"
        if day is not None and weekday is None:
            weekday = day
        elif (parsed := parse_time(word)) is not None and minute is None:
            minute = parsed
        else:
            raise UsageError(
                f"I can't read {_quoted(word)} as a day or a time (e.g. `friday 16:00`)."
            )
    return Request(
        Verb.ON,
        DEFAULT_WEEKDAY if weekday is None else weekday,
        DEFAULT_MINUTE if minute is None else minute,
    )


def _quoted(word: str) -> str:
    """The person's word, shown back in code style: through the one escaping helper."""
    shown = safe(word, WORD_SHOWN).replace("`", "'")  # a backtick would end the code span
    return f"`{shown}`"


def parse_time(word: str) -> int | None:
    """Minutes after midnight for `16:00`, `4pm`, `9:30am`, `noon`; None if not a time."""
    if word == "noon":
        return 12 * 60
    if word == "midnight":
        return 0
    match = _TIME.match(word)
    if match is None:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return hour * 60 + minute


def next_slot(after: datetime, *, weekday: int, minute: int, tz: ZoneInfo) -> datetime:
    """The first `weekday` at `minute` local time in `tz` strictly after `after`, in UTC.

    Counted in local days, so the slot keeps its wall-clock time across DST changes.
    """
    local = after.astimezone(tz)
    ahead = (weekday - local.weekday()) % 7
    at = time(minute // 60, minute % 60)
    for extra in (0, 7, 14):
        day = local.date() + timedelta(days=ahead + extra)
        slot = datetime.combine(day, at, tzinfo=tz).astimezone(UTC)
        if slot > after:
            return slot
    raise AssertionError("unreachable: a weekly slot is always within two weeks")


def week_of(instant: datetime, tz: ZoneInfo) -> str:
    """The ISO week of `instant` in `tz`, e.g. `2026-W49`: a channel's digest key."""
    year, week, _ = instant.astimezone(tz).isocalendar()
    return f"{year}-W{week:02d}"


def describe(weekday: int, minute: int) -> str:
    return f"{DAY_NAMES[weekday]} at {dates.time_of_day(minute)}"
