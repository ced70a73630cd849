"""The commit room's scheduled work: the one reminder, the check-backs, the late summary.

Each handler re-reads the database first, so a job whose reason has gone (the dissenter
answered, the summary was posted) is skipped rather than sent.
"""

from __future__ import annotations

from datetime import timedelta

from bot.decisions.followups import review_due
from bot.listeners.people import timezone_of
from bot.schedule.jobs import RetryLater, Skip, running_at
from bot.services import Services
from handlers.commit import flow, messages
from handlers.commit.timing import SUMMARY_AFTER, check_back_key
from storage.models import DecisionStatus, DissentState, Job, JobState
from storage.queries import commits as q
from storage.queries.jobs import get_job

# A person who moved to a later zone is asked at 09:00 there, not early.
ZONE_SLACK = timedelta(minutes=1)
# How soon a summary looks again for check-backs that have not gone out yet.
SUMMARY_RECHECK = timedelta(minutes=5)


async def remind(services: Services, job: Job) -> None:
    """The one reminder to a dissenter who hasn't answered after a working day."""
    decision_id, user_id = int(job.payload["decision_id"]), str(job.payload["user_id"])
    async with services.db.session() as session:
        decision = await q.get_commitment(
            session=session, team_id=job.team_id, decision_id=decision_id
        )
        dissent = await q.get_dissent(
            session=session, team_id=job.team_id, decision_id=decision_id, user_id=user_id
        )
    if decision is None or dissent is None:
        raise Skip("the decision or the dissent is gone")
    if dissent.state != DissentState.PENDING or decision.status == DecisionStatus.CLOSED:
        raise Skip("already answered")
    today = (running_at() or services.clock.now()).date()
    if decision.check_back is not None and today >= decision.check_back:
        raise Skip("the check-back has come: it asks instead")
    try:
        await flow.send_dm(
            services,
            services.slack,
            user_id=user_id,
            message=messages.ask(decision, dissent, reminder=True),
        )
    except flow.SlackFailure as exc:
        if not flow.permanent(exc):
            raise
        await flow.tell(
            services,
            services.slack,
            user_id=decision.owner_id,
            message=messages.dm_failed(
                decision, user_id, flow.slack_error(exc), what="to remind them to commit"
            ),
        )
        raise Skip(f"DM refused: {flow.slack_error(exc)}") from exc


async def check_back(services: Services, job: Job) -> None:
    """On the check-back date at 09:00 in the person's zone: how did it turn out?"""
    decision_id, user_id = int(job.payload["decision_id"]), str(job.payload["user_id"])
    team_id = job.team_id
    async with services.db.session() as session:
        decision = await q.get_commitment(session=session, team_id=team_id, decision_id=decision_id)
        checkins = await q.checkins_of(session=session, team_id=team_id, decision_id=decision_id)
        dissent = await q.get_dissent(
            session=session, team_id=team_id, decision_id=decision_id, user_id=user_id
        )
    checkin = next((c for c in checkins if c.user_id == user_id), None)
    if decision is None or checkin is None or decision.check_back is None:
        raise Skip("the decision or the check-in is gone")
    if decision.status == DecisionStatus.CLOSED or checkin.answer:
        raise Skip("already summarised or answered")
    zone = await timezone_of(services, team_id=team_id, user_id=user_id)
    due = review_due(decision.check_back, zone)
    if due - flow.now(services) > ZONE_SLACK:
        raise RetryLater(until=due)
    try:
        await flow.send_dm(
            services,
            services.slack,
            user_id=user_id,
            message=messages.check_back(decision, role=checkin.role, dissent=dissent),
        )
    except flow.SlackFailure as exc:
        if not flow.permanent(exc):
            raise
        if user_id != decision.owner_id:
            await flow.tell(
                services,
                services.slack,
                user_id=decision.owner_id,
                message=messages.dm_failed(
                    decision, user_id, flow.slack_error(exc), what="for the check-back"
                ),
            )
        raise Skip(f"DM refused: {flow.slack_error(exc)}") from exc
    async with services.db.session() as session:
        await q.mark_asked(
            session=session,
            team_id=team_id,
            decision_id=decision_id,
            user_id=user_id,
            at=flow.now(services),
        )


async def summary(services: Services, job: Job) -> None:
    """Three days after people were asked: sum up with whatever answers came in.

    After downtime the check-backs and the summary come due in the same tick; the three
    days count from the asking, so nobody is asked and summed up in one breath.
    """
    decision_id = int(job.payload["decision_id"])
    async with services.db.session() as session:
        checkins = await q.checkins_of(
            session=session, team_id=job.team_id, decision_id=decision_id
        )
        waiting = [c for c in checkins if c.asked_at is None and c.answer is None]
        still_to_ask = [
            c
            for c in waiting
            if (
                queued := await get_job(
                    session=session, team_id=job.team_id, key=check_back_key(decision_id, c.user_id)
                )
            )
            and queued.state in (JobState.PENDING, JobState.CLAIMED)
        ]
    if still_to_ask:
        raise RetryLater(SUMMARY_RECHECK)
    asked = [c.asked_at for c in checkins if c.asked_at is not None]
    if asked and flow.now(services) < max(asked) + SUMMARY_AFTER:
        raise RetryLater(until=max(asked) + SUMMARY_AFTER)
    if await flow.summarise(services, services.slack, team_id=job.team_id, decision_id=decision_id):
        return
    if await flow.is_closed(services, team_id=job.team_id, decision_id=decision_id):
        raise Skip("already summarised")
    raise RetryLater(SUMMARY_RECHECK)  # another process is posting it: see that it did
