"""The commit room's scheduled work: the one reminder, the check-backs, the late summary.

Each handler reads the database as it is when the job runs, so a job whose reason has gone
(the dissenter answered, the summary was posted) is skipped rather than sent. Reminders and
check-backs due together read theirs for the whole batch at once (`read_ahead`): their
decisions in one query, their dissents and check-ins in one each, the people's stored
profiles in one more.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from bot.decisions.followups import review_due
from bot.listeners.people import profile, zone
from bot.schedule.jobs import RetryLater, Skip, prefetched
from bot.schedule.timing import instant, not_before
from bot.services import Services
from bot.slack.failures import refused
from handlers.commit import flow, messages
from handlers.commit.timing import SUMMARY_AFTER, check_back_key
from storage.models import (
    CheckIn,
    Commitment,
    DecisionStatus,
    Dissent,
    DissentState,
    Job,
    JobState,
    UserProfile,
)
from storage.queries import commits as q
from storage.queries import people as pq
from storage.queries.jobs import get_job

# How soon a summary looks again for check-backs that have not gone out yet.
SUMMARY_RECHECK = timedelta(minutes=5)


@dataclass(frozen=True)
class Facts:
    """What a reminder or a check-back needs to know about its decision and its person."""

    decision: Commitment | None
    dissents: list[Dissent] = field(default_factory=list)
    checkins: list[CheckIn] = field(default_factory=list)
    person: UserProfile | None = None  # the stored profile, if there is one

    def dissent_of(self, user_id: str) -> Dissent | None:
        return next((d for d in self.dissents if d.user_id == user_id), None)

    def checkin_of(self, user_id: str) -> CheckIn | None:
        return next((c for c in self.checkins if c.user_id == user_id), None)


def _about(job: Job) -> tuple[str, int, str]:
    return job.team_id, int(job.payload["decision_id"]), str(job.payload["user_id"])


async def read_ahead(services: Services, jobs: list[Job]) -> Mapping[int, Facts]:
    """The facts of a batch's reminders or check-backs, in four queries for all of them."""
    about = {job.id: _about(job) for job in jobs if job.id is not None}
    decisions = {(team, decision) for team, decision, _ in about.values()}
    async with services.db.session() as session:
        found = await q.commitments_by_ids(session=session, wanted=decisions)
        dissents, checkins = await q.people_of_many(session=session, wanted=decisions)
        people = await pq.profiles_of(
            session=session, wanted={(team, user) for team, _, user in about.values()}
        )
    return {
        job_id: Facts(
            found.get((team, decision)),
            dissents.get((team, decision), []),
            checkins.get((team, decision), []),
            people.get((team, user)),
        )
        for job_id, (team, decision, user) in about.items()
    }


async def _facts(services: Services, job: Job) -> Facts:
    """The job's facts as its batch read them, or read now for it alone."""
    ahead = prefetched(job)
    if isinstance(ahead, Facts):
        return ahead
    return (await read_ahead(services, [job]))[job.id or 0]


async def remind(services: Services, job: Job) -> None:
    """The one reminder to a dissenter who hasn't answered after a working day."""
    _, _, user_id = _about(job)
    facts = await _facts(services, job)
    decision, dissent = facts.decision, facts.dissent_of(user_id)
    if decision is None or dissent is None:
        raise Skip("the decision or the dissent is gone")
    if dissent.state != DissentState.PENDING or decision.status == DecisionStatus.CLOSED:
        raise Skip("already answered")
    today = instant(services).date()
    if decision.check_back is not None and today >= decision.check_back:
        raise Skip("the check-back has come: it asks instead")
    try:
        await flow.send_dm(
            services,
            await services.slack_for(job.team_id),
            user_id=user_id,
            message=messages.ask(decision, dissent, reminder=True),
        )
    except flow.SlackFailure as exc:
        if not refused(exc):
            raise
        await flow.tell(
            services,
            await services.slack_for(job.team_id),
            user_id=decision.owner_id,
            message=messages.dm_failed(
                decision, user_id, flow.slack_error(exc), what="to remind them to commit"
            ),
        )
        raise Skip(f"DM refused: {flow.slack_error(exc)}") from exc


async def check_back(services: Services, job: Job) -> None:
    """On the check-back date at 09:00 in the person's zone: how did it turn out?"""
    team_id, decision_id, user_id = _about(job)
    facts = await _facts(services, job)
    decision, checkin, dissent = (
        facts.decision,
        facts.checkin_of(user_id),
        facts.dissent_of(user_id),
    )
    if decision is None or checkin is None or decision.check_back is None:
        raise Skip("the decision or the check-in is gone")
    if decision.status == DecisionStatus.CLOSED or checkin.answer:
        raise Skip("already summarised or answered")
    person = await profile(services, team_id=team_id, user_id=user_id, cached=facts.person)
    due = review_due(decision.check_back, zone(person.tz))
    not_before(due, services)
    try:
        await flow.send_dm(
            services,
            await services.slack_for(job.team_id),
            user_id=user_id,
            message=messages.check_back(decision, role=checkin.role, dissent=dissent),
        )
    except flow.SlackFailure as exc:
        if not refused(exc):
            raise
        if user_id != decision.owner_id:
            await flow.tell(
                services,
                await services.slack_for(job.team_id),
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
    if await flow.summarise(
        services,
        await services.slack_for(job.team_id),
        team_id=job.team_id,
        decision_id=decision_id,
    ):
        return
    if await flow.is_closed(services, team_id=job.team_id, decision_id=decision_id):
        raise Skip("already summarised")
    raise RetryLater(SUMMARY_RECHECK)  # another process is posting it: see that it did
