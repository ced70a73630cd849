"""Deleting what would otherwise grow forever: settled jobs, done-once memory, and cached
profiles nobody asked for (bot/schedule/retention.py says how long each is kept, and why).

Each delete reads only rows that nothing waits on, so running it twice, or from two
processes at once, deletes nothing the first did not."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, or_
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Job, JobState, SeenEvent, UserProfile

# A job in one of these states will not run again unless it is scheduled anew.
SETTLED = (JobState.DONE, JobState.FAILED, JobState.SKIPPED, JobState.CANCELLED)


async def prune_jobs(*, session: AsyncSession, settled_before: datetime) -> int:
    """Delete jobs settled before `settled_before` (a cancelled job counts from its creation:
    cancelling sets no time); pending and claimed jobs stay whatever their age."""
    result = await session.exec(
        delete(Job).where(
            col(Job.state).in_(SETTLED),
            func.coalesce(col(Job.done_at), col(Job.created_at)) < settled_before,
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def prune_seen(*, session: AsyncSession, seen_before: datetime, now: datetime) -> int:
    """Delete what was done once before `seen_before`; a claim still held stays."""
    result = await session.exec(
        delete(SeenEvent).where(
            col(SeenEvent.seen_at) < seen_before,
            or_(col(SeenEvent.lease_until).is_(None), col(SeenEvent.lease_until) < now),
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def prune_profiles(*, session: AsyncSession, fetched_before: datetime) -> int:
    """Delete profiles last fetched from Slack before `fetched_before`."""
    result = await session.exec(
        delete(UserProfile).where(col(UserProfile.fetched_at) < fetched_before)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
