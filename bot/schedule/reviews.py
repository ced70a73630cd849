"""Scheduling a decision's review reminder: what the door and review rooms call when a date is set.

The reminder's kind, key and due time are shared decision logic (bot.decisions.followups);
this needs the owner's time zone from Slack, so it lives in the platform.
"""

from __future__ import annotations

from bot.decisions.followups import REVIEW_KIND, review_due, review_key, review_prefix
from bot.listeners.people import timezone_of
from bot.services import Services
from storage.models import DecisionStatus, DoorDecision
from storage.queries.jobs import cancel_jobs, schedule_job


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
