"""The durable schedule: jobs put in, claimed with a lease, and settled.

Claiming is what makes several ticking processes safe: on PostgreSQL the due rows are
locked with `FOR UPDATE SKIP LOCKED` so two processes never see the same row; on SQLite
each row is taken with a compare-and-set UPDATE whose rowcount says who won. A claim is a
lease: if its holder dies, the row is due again once `lease_until` has passed.

The runner's queries (`claim_due`, `finish`, `retry_later`) work across workspaces: the
runner serves every team. Everything a room calls filters by team.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Job, JobState
from storage.queries.common import insert, insert_ignoring_conflict, is_postgresql

# A job in one of these states is moved (and reset) when it is scheduled again.
RESCHEDULABLE = (JobState.PENDING, JobState.FAILED, JobState.CANCELLED, JobState.SKIPPED)
ERROR_MAX = 1000


async def schedule_job(
    *,
    session: AsyncSession,
    team_id: str,
    kind: str,
    key: str,
    due_at: datetime,
    payload: dict[str, Any],
) -> None:
    """Insert the job `key`, or move a not-yet-done one to `due_at`/`payload` and reset it."""
    if due_at.tzinfo is None:
        raise ValueError("due_at must be timezone-aware")
    statement = insert(session, Job).values(
        team_id=team_id,
        kind=kind,
        key=key,
        due_at=due_at,
        payload=payload,
        state=JobState.PENDING,
        attempts=0,
    )
    statement = statement.on_conflict_do_update(
        index_elements=["team_id", "key"],
        set_={
            "kind": statement.excluded.kind,
            "due_at": statement.excluded.due_at,
            "payload": statement.excluded.payload,
            "state": JobState.PENDING.value,
            "attempts": 0,
            "last_error": None,
            "lease_owner": None,
            "lease_until": None,
            "done_at": None,
        },
        where=col(Job.state).in_([s.value for s in RESCHEDULABLE]),
    )
    await session.exec(statement)


async def cancel_jobs(*, session: AsyncSession, team_id: str, key_prefix: str) -> int:
    """Cancel this team's pending or failed jobs whose key starts with `key_prefix`."""
    pattern = _escape_like(key_prefix) + "%"
    result = await session.exec(
        update(Job)
        .where(
            col(Job.team_id) == team_id,
            col(Job.key).like(pattern, escape="\\"),
            col(Job.state).in_([JobState.PENDING, JobState.FAILED]),
        )
        .values(state=JobState.CANCELLED, lease_owner=None, lease_until=None)
    )
    return int(result.rowcount or 0)


async def get_job(*, session: AsyncSession, team_id: str, key: str) -> Job | None:
    """One job of this team by its key, or None."""
    statement = select(Job).where(Job.team_id == team_id, Job.key == key)
    return (await session.exec(statement)).first()


async def list_jobs(
    *,
    session: AsyncSession,
    team_id: str,
    key_prefix: str = "",
) -> Sequence[Job]:
    """This team's jobs whose key starts with `key_prefix`, oldest due first."""
    statement = (
        select(Job)
        .where(
            Job.team_id == team_id, col(Job.key).like(_escape_like(key_prefix) + "%", escape="\\")
        )
        .order_by(col(Job.due_at), col(Job.id))
    )
    return (await session.exec(statement)).all()


def _claimable(*, at: datetime, now: datetime) -> Any:
    """Due and waiting, or claimed by someone whose lease ran out."""
    return or_(
        and_(col(Job.state) == JobState.PENDING, col(Job.due_at) <= at),
        and_(col(Job.state) == JobState.CLAIMED, col(Job.lease_until) < now),
    )


async def claim_due(
    *,
    session: AsyncSession,
    at: datetime,
    now: datetime,
    owner: str,
    lease_until: datetime,
    limit: int,
) -> list[Job]:
    """Take up to `limit` jobs due at `at` (leases judged against `now`) for `owner`."""
    postgres = is_postgresql(session)
    # Two narrow queries rather than one OR: each walks ix_job_due (state, due_at) and
    # stops at `limit`, so a claim costs the same with ten due rows or ten thousand.
    expired = (
        select(Job.id)
        .where(col(Job.state) == JobState.CLAIMED, col(Job.lease_until) < now)
        .order_by(col(Job.due_at), col(Job.id))
        .limit(limit)
    )
    pending = (
        select(Job.id)
        .where(col(Job.state) == JobState.PENDING, col(Job.due_at) <= at)
        .order_by(col(Job.due_at), col(Job.id))
        .limit(limit)
    )
    ids: list[int] = []
    for candidates in (expired, pending):
        if postgres:
            candidates = candidates.with_for_update(skip_locked=True)
        ids += [i for i in (await session.exec(candidates)).all() if i is not None]
    ids = ids[:limit]
    if not ids:
        return []
    # Compare-and-set over the whole batch: a row is ours only if it is still claimable
    # when the UPDATE reaches it (SQLite runs one writer at a time; on PostgreSQL the rows
    # are already locked for us and the check costs nothing).
    claimed = await session.exec(
        update(Job)
        .where(col(Job.id).in_(ids), _claimable(at=at, now=now))
        .values(state=JobState.CLAIMED, lease_owner=owner, lease_until=lease_until)
        .returning(col(Job.id))
    )
    won = list(claimed.scalars().all())
    return await _by_ids(session, won) if won else []


async def _by_ids(session: AsyncSession, ids: list[int | None]) -> list[Job]:
    statement = select(Job).where(col(Job.id).in_(ids)).order_by(col(Job.due_at), col(Job.id))
    return list((await session.exec(statement)).all())


async def finish(
    *,
    session: AsyncSession,
    job_id: int,
    owner: str,
    state: JobState,
    at: datetime,
    error: str | None = None,
    count_attempt: bool = False,
) -> bool:
    """Settle a claimed job (done, skipped, failed); False if `owner` no longer holds it."""
    return await _release(session, job_id, owner, count_attempt, error, state=state, done_at=at)


async def retry_later(
    *,
    session: AsyncSession,
    job_id: int,
    owner: str,
    due_at: datetime,
    error: str | None,
    count_attempt: bool,
) -> bool:
    """Put a claimed job back as pending at `due_at`; False if `owner` no longer holds it."""
    return await _release(
        session, job_id, owner, count_attempt, error, state=JobState.PENDING, due_at=due_at
    )


async def _release(
    session: AsyncSession,
    job_id: int,
    owner: str,
    count_attempt: bool,
    error: str | None,
    **values: Any,
) -> bool:
    """Give up the lease on a job `owner` still holds, setting `values` as it goes."""
    values.update(
        lease_owner=None, lease_until=None, last_error=error[:ERROR_MAX] if error else None
    )
    if count_attempt:
        values["attempts"] = col(Job.attempts) + 1
    result = await session.exec(
        update(Job)
        .where(
            col(Job.id) == job_id, col(Job.state) == JobState.CLAIMED, col(Job.lease_owner) == owner
        )
        .values(**values)
    )
    return bool(result.rowcount)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def plant_job(
    *,
    session: AsyncSession,
    team_id: str,
    kind: str,
    key: str,
    due_at: datetime,
    payload: dict[str, Any],
) -> bool:
    """Insert the job `key` unless it exists (in any state: nothing is moved or reset);
    False if it did. For work several processes plan alike: the first one's row stands."""
    if due_at.tzinfo is None:
        raise ValueError("due_at must be timezone-aware")
    inserted = await insert_ignoring_conflict(
        session=session,
        model=Job,
        values={
            "team_id": team_id,
            "kind": kind,
            "key": key,
            "due_at": due_at,
            "payload": payload,
            "state": JobState.PENDING,
            "attempts": 0,
        },
        conflict=["team_id", "key"],
    )
    return inserted is not None
