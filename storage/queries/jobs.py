"""The durable schedule: jobs put in, claimed with a lease, and settled.

Claiming is what makes several ticking processes safe: on PostgreSQL the due rows are
locked with `FOR UPDATE SKIP LOCKED` so two processes never see the same row; on SQLite
each row is taken with a compare-and-set UPDATE whose RETURNING says who won. A claim is a
lease: if its holder dies, the row is due again once `lease_until` has passed.

The runner's queries (`claim_due`, `settle`) work across workspaces: the
runner serves every team. Everything a room calls filters by team.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, exists, literal, or_, union_all, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Job, JobState, WorkspaceUninstall
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
    result = await session.exec(
        update(Job)
        .where(
            col(Job.team_id) == team_id,
            *_starting_with(key_prefix),
            col(Job.state).in_([JobState.PENDING, JobState.FAILED]),
        )
        .values(state=JobState.CANCELLED, lease_owner=None, lease_until=None)
    )
    return int(result.rowcount or 0)


def _starting_with(prefix: str) -> list[Any]:
    """Keys that start with `prefix`, as a range of uq_job_key (`job.key` is byte-ordered)."""
    if not prefix:
        return []
    after = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return [col(Job.key) >= prefix, col(Job.key) < after]


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
        .where(col(Job.team_id) == team_id, *_starting_with(key_prefix))
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
    """Take up to `limit` jobs due at `at`, and up to `limit` whose lease ran out (judged
    against `now`), for `owner`, oldest due first, in one statement.

    PostgreSQL locks the chosen rows with `FOR UPDATE SKIP LOCKED`, so two processes never
    choose the same row. SQLite runs one writer at a time: the UPDATE's own WHERE (still
    claimable) is the compare-and-set, and RETURNING says which rows were won.
    """
    postgres = is_postgresql(session)

    def oldest(*where: Any) -> Any:
        # Each walks ix_job_due (state, due_at) and stops at `limit`: a claim costs the same
        # with ten due rows or ten thousand, and whatever the job table's history.
        chosen = select(Job.id).where(*where).order_by(col(Job.due_at), col(Job.id)).limit(limit)
        chosen = chosen.with_for_update(skip_locked=True) if postgres else chosen
        return select(chosen.subquery().c.id)

    # Nothing is sent to a workspace that uninstalled Doorway, whatever was planned for it.
    installed = ~exists(
        select(WorkspaceUninstall.team_id).where(
            col(WorkspaceUninstall.team_id) == col(Job.team_id)
        )
    )
    chosen = union_all(
        oldest(col(Job.state) == JobState.CLAIMED, col(Job.lease_until) < now, installed),
        oldest(col(Job.state) == JobState.PENDING, col(Job.due_at) <= at, installed),
    )
    # PostgreSQL has locked the chosen rows for us; SQLite's one writer checks each again.
    still = [] if postgres else [_claimable(at=at, now=now)]
    claimed = await session.exec(
        update(Job)
        .where(col(Job.id).in_(chosen), *still)
        .values(state=JobState.CLAIMED, lease_owner=owner, lease_until=lease_until)
        .returning(Job)
        .execution_options(synchronize_session=False)
    )
    jobs = list(claimed.scalars().all())
    return sorted(jobs, key=lambda job: (job.due_at, job.id or 0))


@dataclass(frozen=True)
class Outcome:
    """How one claimed job ended, to be written with the rest of its batch (`settle`).

    `state` is done, skipped or failed (`settle`'s `at` is then its done_at), or pending
    again at `due_at`; `count` adds one to its attempts.
    """

    job_id: int
    state: JobState
    error: str | None = None
    count: bool = False
    due_at: datetime | None = None


async def settle(
    *, session: AsyncSession, owner: str, outcomes: Sequence[Outcome], at: datetime
) -> set[int]:
    """Write claimed jobs' outcomes, one UPDATE per state; the ids `owner` still held.

    A job whose lease `owner` lost (another process reclaimed it) is left as it is.
    """
    held: set[int] = set()
    for state in dict.fromkeys(o.state for o in outcomes):
        group = [o for o in outcomes if o.state == state]
        ids = [o.job_id for o in group]
        values: dict[str, Any] = {"state": state, "lease_owner": None, "lease_until": None}
        values["last_error"] = _per_job(
            {o.job_id: o.error[:ERROR_MAX] if o.error else None for o in group}, Job.last_error
        )
        counted = [o.job_id for o in group if o.count]
        if counted:
            values["attempts"] = col(Job.attempts) + case((col(Job.id).in_(counted), 1), else_=0)
        if state == JobState.PENDING:
            values["due_at"] = _per_job({o.job_id: o.due_at for o in group}, Job.due_at)
        else:
            values["done_at"] = at
        result = await session.exec(
            update(Job)
            .where(
                col(Job.id).in_(ids),
                col(Job.state) == JobState.CLAIMED,
                col(Job.lease_owner) == owner,
            )
            .values(**values)
            .returning(col(Job.id))
        )
        held.update(result.scalars().all())
    return held


def _per_job(values: dict[int, Any], column: Any) -> Any:
    """`values[job.id]` for each row an UPDATE reaches: one value for all when they agree."""
    distinct = set(values.values())
    kind = Job.__table__.c[column.key].type  # type: ignore[attr-defined]
    if len(distinct) == 1:
        return literal(next(iter(distinct)), type_=kind)
    return case(
        {job_id: literal(value, type_=kind) for job_id, value in values.items()},
        value=col(Job.id),
    )


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
