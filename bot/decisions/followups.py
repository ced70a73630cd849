"""Review reminders as durable jobs: what the door and commit rooms call when a date is set.

The reminder is a job of kind `review`, due at 09:00 in the owner's zone on the review
day; the review room registers the handler that sends it. Its key carries the date, so a
new date is a new job (the old one is cancelled) and a reminder already sent for a date is
not sent again.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot.people import timezone_of
from bot.services import Services
from storage.models import DecisionStatus, DoorDecision
from storage.queries.jobs import cancel_jobs, schedule_job

REVIEW_KIND = "review"
REVIEW_TIME = time(9, 0)


def review_prefix(decision_id: int) -> str:
    return f"review:{decision_id}:"


def review_key(decision_id: int, day: date) -> str:
    return f"{review_prefix(decision_id)}{day.isoformat()}"


def review_due(day: date, zone: ZoneInfo) -> datetime:
    """09:00 on `day` in `zone`, in UTC (on a DST change day too: 09:00 always exists)."""
    return datetime.combine(day, REVIEW_TIME, tzinfo=zone).astimezone(UTC)


async def schedule_review(services: Services, *, decision: DoorDecision) -> None:
    """(Re)schedule the owner's review reminder for `decision.review_at`."""
    assert decision.id is not None
    prefix = review_prefix(decision.id)
    if decision.review_at is None or decision.outcome or decision.status == DecisionStatus.CLOSED:
        async with services.db.session() as session:
            await cancel_jobs(session=session, team_id=decision.team_id, key_prefix=prefix)
        return
    zone = await timezone_of(services, team_id=decision.team_id, user_id=decision.owner_id)
    async with services.db.session() as session:
        await cancel_jobs(session=session, team_id=decision.team_id, key_prefix=prefix)
        await schedule_job(
            session=session,
            team_id=decision.team_id,
            kind=REVIEW_KIND,
            key=review_key(decision.id, decision.review_at),
            due_at=review_due(decision.review_at, zone),
            payload={
                "decision_id": decision.id,
                "review_at": decision.review_at.isoformat(),
                "tz": zone.key,
            },
        )
