"""The silent-reading room's scheduled work: when a reading's time is up, reveal its
comments. The job reads the reading as it is when it runs: one extended meanwhile waits
for its new end, one already revealed (everyone finished, the owner ended it) is skipped."""

from __future__ import annotations

from datetime import timedelta

from bot.schedule.jobs import RetryLater, Skip
from bot.services import Services
from handlers.memo import flow
from storage.models import Job, MemoEnd, MemoState

# How soon to look again when another process or a button is posting the reveal.
RECHECK = timedelta(minutes=1)


async def end(services: Services, job: Job) -> None:
    """Time is up: every comment at once in the reading's thread (once)."""
    team_id, session_id = job.team_id, int(job.payload["session_id"])
    found, _ = await flow.facts(services, team_id, session_id)
    if found is None:
        raise Skip("the reading is gone")
    if found.state == MemoState.REVEALED:
        raise Skip("already revealed")
    if found.state == MemoState.CANCELLED:
        raise Skip("it never started: its message could not be posted")
    at = flow.now(services)
    if found.state == MemoState.READING and found.ends_at > at:
        raise RetryLater(until=found.ends_at)  # extended after this job was planned
    result = await flow.reveal(
        services,
        await services.slack_for(job.team_id),
        team_id=team_id,
        session_id=session_id,
        reason=MemoEnd.TIME_UP,
        due_by=at,
    )
    if result is flow.Revealed.BUSY:
        raise RetryLater(RECHECK)  # a button is posting it: see that it did
    if result is flow.Revealed.NOT_YET:
        found, _ = await flow.facts(services, team_id, session_id)
        raise RetryLater(until=found.ends_at if found else None)
