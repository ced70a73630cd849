"""The review reminder job: a DM to the decision's owner at 09:00 on the review day."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from slack_sdk.errors import SlackApiError

from bot.decisions.followups import review_due
from bot.listeners.people import profile, zone
from bot.schedule.jobs import Skip, prefetched
from bot.schedule.timing import not_before
from bot.services import Services
from bot.slack.pacing import post_message
from handlers.review import messages
from storage.models import DoorDecision, Job, UserProfile
from storage.queries import decisions as dq
from storage.queries import people as pq

# Slack answers these for a DM that will never go through; retrying would not help.
UNDELIVERABLE = frozenset(
    {
        "user_not_found",
        "account_inactive",
        "cannot_dm_bot",
        "user_disabled",
        "channel_not_found",
        "is_archived",
    }
)


@dataclass(frozen=True)
class ReadAhead:
    """What a batch of reminders read together: the decision, its owner's stored profile."""

    decision: DoorDecision | None
    owner: UserProfile | None


async def read_ahead(services: Services, jobs: list[Job]) -> Mapping[int, ReadAhead]:
    """A batch's decisions in one query and their owners' stored profiles in another."""
    wanted = {job.id: (job.team_id, int(job.payload["decision_id"])) for job in jobs if job.id}
    async with services.db.session() as session:
        decisions = await dq.decisions_by_ids(session=session, wanted=wanted.values())
        owners = await pq.profiles_of(
            session=session, wanted={(d.team_id, d.owner_id) for d in decisions.values()}
        )
    found = {}
    for job_id, key in wanted.items():
        decision = decisions.get(key)
        owner = owners.get((decision.team_id, decision.owner_id)) if decision else None
        found[job_id] = ReadAhead(decision, owner)
    return found


async def send_reminder(services: Services, job: Job) -> None:
    decision_id = int(job.payload["decision_id"])
    day = date.fromisoformat(job.payload["review_at"])
    ahead = prefetched(job)
    if isinstance(ahead, ReadAhead):
        decision, stored = ahead.decision, ahead.owner
    else:
        stored = None
        async with services.db.session() as session:
            decision = await dq.get_decision(
                session=session, team_id=job.team_id, decision_id=decision_id
            )
    if decision is None:
        raise Skip(f"decision {decision_id} no longer exists")
    if decision.outcome:
        raise Skip(f"decision {decision_id} already has an outcome")
    if decision.review_at != day:
        raise Skip(f"decision {decision_id} is now reviewed on {decision.review_at}")
    owner = await profile(services, team_id=job.team_id, user_id=decision.owner_id, cached=stored)
    if owner.deleted or owner.is_bot:
        raise Skip(f"owner {decision.owner_id} can't be asked (deactivated or a bot)")
    # The owner may have moved since the date was set: 09:00 is in their zone of today.
    due = review_due(day, zone(owner.tz))
    not_before(due, services)
    try:
        await post_message(
            await services.slack_for(job.team_id),
            services.pacer,
            channel=decision.owner_id,
            text=messages.reminder_text(decision),
            blocks=messages.review(decision, today=day),
        )
    except SlackApiError as exc:
        error = exc.response.get("error")
        if error in UNDELIVERABLE:
            raise Skip(f"Slack won't deliver the DM to {decision.owner_id}: {error}") from exc
        raise
