"""When the commit room comes back: reminders after a working day, check-backs at 09:00.

Pure functions of instants and zones; the job keys say what each scheduled item is for.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

CHECK_BACK_HOUR = time(9, 0)
WORKDAY_START = time(9, 0)
SUMMARY_AFTER = timedelta(days=3)
SATURDAY = 5


def at_nine(day: date, zone: ZoneInfo) -> datetime:
    """09:00 on `day` in `zone`, as a UTC instant."""
    return datetime.combine(day, CHECK_BACK_HOUR, tzinfo=zone).astimezone(UTC)


def after_a_working_day(asked: datetime, zone: ZoneInfo) -> datetime:
    """One working day after `asked`, weekends skipped in the person's own zone.

    Asked on a Friday afternoon: Monday afternoon. Asked on a Saturday: Tuesday 09:00,
    since the working day only starts on Monday morning.
    """
    local = asked.astimezone(zone)
    if local.weekday() >= SATURDAY:
        monday = local.date() + timedelta(days=7 - local.weekday())
        local = datetime.combine(monday, WORKDAY_START, tzinfo=zone)
    day = local.date() + timedelta(days=1)
    while day.weekday() >= SATURDAY:
        day += timedelta(days=1)
    # Rebuilt from the wall-clock time, so a daylight-saving change keeps the hour.
    return datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=zone).astimezone(UTC)


def remind_key(decision_id: int, user_id: str) -> str:
    return f"commit:{decision_id}:remind:{user_id}"


def check_back_key(decision_id: int, user_id: str) -> str:
    return f"commit:{decision_id}:checkback:{user_id}"


def summary_key(decision_id: int) -> str:
    return f"commit:{decision_id}:summary"
