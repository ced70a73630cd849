"""Dates and times as Doorway writes them to people: every format in one place.

Slack's `<!date^…>` token would show a moment in each reader's own zone, but what Doorway
writes names one zone's day (the owner's review day, the channel's digest week), so it writes
dates out itself, in these forms. A `<!date^…>` token, if one arrives, is read by the console
as its fallback text (console/mrkdwn.py).
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo


def day(value: date) -> str:
    """`Wed 02 Dec 2026`: a review day, a check-back, when something was decided."""
    return value.strftime("%a %d %b %Y")


def short_day(value: date) -> str:
    """`Wed 02 Dec`: a day in a list that already says the year."""
    return value.strftime("%a %d %b")


def long_day(value: date) -> str:
    """`Wednesday 02 December`: the next digest, in a sentence."""
    return value.strftime("%A %d %B")


def span(start: date, end: date) -> str:
    """`Mon 30 Nov – Sun 06 Dec 2026`: the week a digest covers."""
    return f"{short_day(start)} – {day(end)}"


def time_of_day(minute: int) -> str:
    """`09:30` for the 570th minute of a day."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


def moment(value: datetime, zone: tzinfo) -> str:
    """`Wed 02 Dec 2026 09:00 EST`: an instant as someone in `zone` reads it."""
    local = value.astimezone(zone)
    return f"{day(local)} {local:%H:%M} {local.tzname() or ''}".rstrip()
