"""Review reminders as durable jobs: their kind, their keys and when they fall due.

The reminder is a job of kind `review`, due at 09:00 in the owner's zone on the review
day; the review room registers the handler that sends it. Its key carries the date, so a
new date is a new job (the old one is cancelled) and a reminder already sent for a date is
not sent again. Scheduling one needs the owner's zone from Slack, so that is the platform's
(bot/schedule/reviews.py).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

REVIEW_KIND = "review"
REVIEW_TIME = time(9, 0)
# A shared /door card drawn again, by the door room, when another room changed what it
# says (the review's "harder to undo" sets the door): a job, so neither imports the other.
CARD_KIND = "door_card"


def card_key(decision_id: int, changed_at: datetime) -> str:
    """One redraw per change: a card changed twice is drawn twice (the later wins)."""
    return f"card:{decision_id}:{changed_at.isoformat()}"


def review_prefix(decision_id: int) -> str:
    return f"review:{decision_id}:"


def review_key(decision_id: int, day: date) -> str:
    return f"{review_prefix(decision_id)}{day.isoformat()}"


def review_due(day: date, zone: ZoneInfo) -> datetime:
    """09:00 on `day` in `zone`, in UTC (on a DST change day too: 09:00 always exists)."""
    return datetime.combine(day, REVIEW_TIME, tzinfo=zone).astimezone(UTC)
