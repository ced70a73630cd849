"""The door room's scheduled work: a shared card drawn again when another room changed
what it says (the review's answer on how hard it was to undo sets the door)."""

from __future__ import annotations

from bot.schedule.jobs import Skip
from bot.services import Services
from handlers.door.cards import update_shared
from storage.models import Job
from storage.queries import decisions as q


async def redraw_card(services: Services, job: Job) -> None:
    """chat.update the decision's card in its channel with what the database says now."""
    decision_id = int(job.payload["decision_id"])
    async with services.db.session() as session:
        decision = await q.get_decision(
            session=session, team_id=job.team_id, decision_id=decision_id
        )
    if decision is None or not (decision.message_channel and decision.message_ts):
        raise Skip(f"decision {decision_id} has no card in a channel")
    await update_shared(decision, await services.slack_for(job.team_id))
