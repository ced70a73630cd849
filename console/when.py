"""Reading times people type: `+3d`, `+2h`, `2026-12-04T09:00`, `2026-12-04`, `today`."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, tzinfo

from bot.app import dates

_RELATIVE = re.compile(r"^\+\s*(\d{1,5})\s*([mhdw])$", re.IGNORECASE)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
DATE_HINT = "YYYY-MM-DD, or +14d for 14 days from today"
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


def parse_time(text: str) -> str:
    """`9:30` → `09:30`, as a time picker sends it."""
    match = re.match(r"^(\d{1,2}):(\d{2})$", text.strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise WhenError(f"I can't read {text!r} as a time: use HH:MM, e.g. 09:30")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def shown(moment: datetime, zone: tzinfo) -> str:
    return dates.moment(moment, zone)
