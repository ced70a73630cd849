"""The review reminder job: a DM to the decision's owner at 09:00 on the review day."""

from __future__ import annotations

from datetime import date, timedelta

from slack_sdk.errors import SlackApiError

from bot.decisions.followups import review_due
from bot.listeners.people import profile, zone
from bot.schedule.jobs import RetryLater, Skip, running_at
from bot.services import Services
from bot.slack.pacing import post_message
from handlers.review import messages
from storage.models import Job
from storage.queries import decisions as dq

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
EARLY_TOLERANCE = timedelta(minutes=1)


async def send_reminder(services: Services, job: Job) -> None:
    decision_id = int(job.payload["decision_id"])
    day = date.fromisoformat(job.payload["review_at"])
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
    owner = await profile(services, team_id=job.team_id, user_id=decision.owner_id)
    if owner.deleted or owner.is_bot:
        raise Skip(f"owner {decision.owner_id} can't be asked (deactivated or a bot)")
    # The owner may have moved since the date was set: 09:00 is in their zone of today.
    due = review_due(day, zone(owner.tz))
    now = running_at() or services.clock.now()
    if due - now > EARLY_TOLERANCE:
        raise RetryLater(until=due)
    try:
        await post_message(
            services.slack,
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
