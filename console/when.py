"""Reading times people type: `+3d`, `+2h`, `2026-12-04T09:00`, `2026-12-04`, `today`,
`tomorrow 14:00`."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from bot.app import dates

_RELATIVE = re.compile(r"^\+\s*(\d{1,5})\s*([mhdw])$", re.IGNORECASE)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_DAY_AND_TIME = re.compile(r"^(.+?)[ T]+(\d{1,2}:\d{2})$")
DATE_HINT = "YYYY-MM-DD, or +14d for 14 days from today"
DATE_TIME_HINT = "a day and a time in your zone, e.g. 2026-03-02 09:30 or tomorrow 14:00"
TICK_HINT = "+3d, +2h, +30m, +1w, or a moment like 2026-12-04T09:00 (UTC unless it says)"


class WhenError(ValueError):
    """Text that isn't a time the console understands; the message says what would be."""


def relative(text: str) -> timedelta | None:
    match = _RELATIVE.match(text.strip())
    if not match:
        return None
    return timedelta(**{_UNITS[match.group(2).lower()]: int(match.group(1))})


def parse_moment(text: str, *, now: datetime) -> datetime:
    """Where `tick` moves the clock: forward by an amount, or to an instant (UTC if bare)."""
    text = text.strip()
    delta = relative(text)
    if delta is not None:
        return now + delta
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise WhenError(f"I can't read {text!r} as a time: try {TICK_HINT}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_date(text: str, *, today: date) -> date:
    """A day for a date picker: ISO, `+14d`/`+2w`, `today` or `tomorrow`."""
    text = text.strip()
    words = {"today": 0, "tomorrow": 1}
    if text.casefold() in words:
        return today + timedelta(days=words[text.casefold()])
    delta = relative(text)
    if delta is not None and delta.seconds == 0:
        return today + timedelta(days=delta.days)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise WhenError(f"I can't read {text!r} as a date: use {DATE_HINT}") from None


def parse_date_time(text: str, *, today: date, zone: tzinfo) -> datetime:
    """A day (as `parse_date` reads it) and a time of day, in `zone`: what a date-time
    picker shows its user, who picks both in their own zone."""
    match = _DAY_AND_TIME.match(text.strip())
    if not match:
        raise WhenError(f"I can't read {text!r} as a day and a time: try {DATE_TIME_HINT}")
    day = parse_date(match.group(1), today=today)
    hour, minute = (int(part) for part in parse_time(match.group(2)).split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def parse_time(text: str) -> str:
    """`9:30` → `09:30`, as a time picker sends it."""
    match = re.match(r"^(\d{1,2}):(\d{2})$", text.strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise WhenError(f"I can't read {text!r} as a time: use HH:MM, e.g. 09:30")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def shown(moment: datetime, zone: tzinfo) -> str:
    return dates.moment(moment, zone)
