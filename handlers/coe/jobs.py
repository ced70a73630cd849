"""The Correction of Error room's scheduled work: a corrective action's owner is asked on
its due date at 09:00 in their zone, then every week until it is closed; the review's owner
hears on the day the first draft is due, if it is still being drafted.

Each handler reads the database as it is when the job runs, so an action closed or moved
meanwhile is skipped rather than chased.
"""

from __future__ import annotations

from datetime import date

from bot.decisions.followups import review_due
from bot.listeners.people import profile, zone
from bot.schedule.jobs import Skip
from bot.schedule.timing import not_before
from bot.services import Services
from bot.slack import text as t
from bot.slack.failures import refused
from handlers.coe import flow, messages
from handlers.coe.questions import WRITTEN
from storage.models import CoeActionState, CoeState, Job
from storage.queries import coe as q


async def action_due(services: Services, job: Job) -> None:
    """Ask the owner about their open corrective action; ask again in a week."""
    team_id = job.team_id
    action_id, day = int(job.payload["action_id"]), date.fromisoformat(job.payload["day"])
    async with services.db.session() as session:
        action = await q.get_action(session=session, team_id=team_id, action_id=action_id)
        review = (
            await q.get_review(session=session, team_id=team_id, review_id=action.review_id)
            if action
            else None
        )
    if action is None or review is None:
        raise Skip("the action or its review is gone")
    if action.state != CoeActionState.OPEN:
        raise Skip("already closed")
    if day < action.due:
        raise Skip(f"moved to {action.due.isoformat()}")
    owner = await profile(services, team_id=team_id, user_id=action.owner_id)
    if owner.deleted or owner.is_bot:
        await flow.tell(
            services,
            await services.slack_for(job.team_id),
            user_id=review.owner_id,
            message=messages.notice(
                f":warning: The owner of the corrective action *{t.safe(action.title, 500)}* "
                "can't be reached any more: give it another owner."
            ),
        )
        raise Skip(f"owner {action.owner_id} can't be asked")
    due = review_due(day, zone(owner.tz))
    not_before(due, services)
    today = flow.now(services).astimezone(zone(owner.tz)).date()
    # Next week's ask is in place before this one goes: a DM that went out is never
    # left without its follow-up, and a retry of this job plans the same one again.
    await flow.schedule_action(services, action, day + flow.REMIND_AGAIN)
    try:
        await flow.send_dm(
            services,
            await services.slack_for(job.team_id),
            user_id=action.owner_id,
            message=messages.action_due(action, review, today=today),
        )
    except flow.SlackFailure as exc:
        if not refused(exc):
            raise
        raise Skip(f"DM refused: {flow.slack_error(exc)}") from exc


async def draft_due(services: Services, job: Job) -> None:
    """The day the first draft is due: tell the owner what is still to write."""
    team_id, review_id = job.team_id, int(job.payload["review_id"])
    review, answers, actions = await flow.facts(services, team_id, review_id)
    if review is None:
        raise Skip("the review is gone")
    if review.state != CoeState.DRAFTING:
        raise Skip("no longer being drafted")
    gaps = messages.missing(answers, actions)
    owner = await profile(services, team_id=team_id, user_id=review.owner_id)
    due = review_due(review.draft_due, zone(owner.tz))
    not_before(due, services)
    answered = len(WRITTEN) - sum(g in {q.spec.title for q in WRITTEN} for g in gaps)
    await flow.send_dm(
        services,
        await services.slack_for(job.team_id),
        user_id=review.owner_id,
        message=messages.notice(
            f":memo: The first draft of the Correction of Error *{t.safe(review.title, 200)}* "
            f"is due today: {answered} of {len(WRITTEN)} questions answered"
            + (f"; still missing: {', '.join(t.escape(g) for g in gaps)}." if gaps else ".")
            + " When it's complete, *Ask for review* on its message."
        ),
    )
