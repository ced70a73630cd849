"""When the commit room comes back: the reminder after a working day, and the job keys.

Check-backs are due at 09:00 in each person's zone (`bot.decisions.followups.review_due`), the
summary three days after the last of them.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

WORKDAY_START = time(9, 0)
SUMMARY_AFTER = timedelta(days=3)
SATURDAY = 5


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
