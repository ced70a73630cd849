"""Requests whose work a stop cut short: kept, claimed once, and settled after a replay.

Claiming works as for jobs (storage/queries/jobs.py): `FOR UPDATE SKIP LOCKED` on
PostgreSQL, a compare-and-set UPDATE on SQLite, and a lease so a row claimed by a process
that died is claimable again. Like the job runner's, these queries serve every workspace:
the process that replays them serves every team.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import UnfinishedRequest, UnfinishedState
from storage.queries.common import is_postgresql


async def keep_unfinished(
    *, session: AsyncSession, team_id: str, body: dict[str, Any], at: datetime
) -> None:
    """Keep a request whose work did not finish, to be replayed by the next start."""
    session.add(UnfinishedRequest(team_id=team_id, body=body, saved_at=at))


async def claim_unfinished(
    *, session: AsyncSession, now: datetime, owner: str, lease_until: datetime, limit: int
) -> list[UnfinishedRequest]:
    """Take up to `limit` kept requests (pending, or claimed under a lease that ran out)."""
    claimable = or_(
        col(UnfinishedRequest.state) == UnfinishedState.PENDING,
        and_(
            col(UnfinishedRequest.state) == UnfinishedState.CLAIMED,
            col(UnfinishedRequest.lease_until) < now,
        ),
    )
    candidates = (
        select(UnfinishedRequest.id)
        .where(claimable)
        .order_by(col(UnfinishedRequest.saved_at), col(UnfinishedRequest.id))
        .limit(limit)
    )
    if is_postgresql(session):
        candidates = candidates.with_for_update(skip_locked=True)
    ids = [i for i in (await session.exec(candidates)).all() if i is not None]
    if not ids:
        return []
    claimed = await session.exec(
        update(UnfinishedRequest)
        .where(col(UnfinishedRequest.id).in_(ids), claimable)
        .values(
            state=UnfinishedState.CLAIMED,
            lease_owner=owner,
            lease_until=lease_until,
            attempts=col(UnfinishedRequest.attempts) + 1,
        )
        .returning(col(UnfinishedRequest.id))
    )
    won = list(claimed.scalars().all())
    if not won:
        return []
    statement = (
        select(UnfinishedRequest)
        .where(col(UnfinishedRequest.id).in_(won))
        .order_by(col(UnfinishedRequest.saved_at), col(UnfinishedRequest.id))
    )
    return list((await session.exec(statement)).all())


async def forget_unfinished(*, session: AsyncSession, request_id: int, owner: str) -> bool:
    """Its replay finished: drop the row; False if `owner` no longer holds it."""
    result = await session.exec(delete(UnfinishedRequest).where(*_held(request_id, owner)))
    return bool(result.rowcount)


async def release_unfinished(
    *, session: AsyncSession, request_id: int, owner: str, failed: bool = False
) -> bool:
    """Give a claimed row back (pending again), or settle it as failed for good."""
    state = UnfinishedState.FAILED if failed else UnfinishedState.PENDING
    result = await session.exec(
        update(UnfinishedRequest)
        .where(*_held(request_id, owner))
        .values(state=state, lease_owner=None, lease_until=None)
    )
    return bool(result.rowcount)


async def count_unfinished(*, session: AsyncSession, state: UnfinishedState) -> int:
    """How many kept requests are in `state`, across workspaces (for logs and tests)."""
    statement = select(UnfinishedRequest.id).where(col(UnfinishedRequest.state) == state)
    return len((await session.exec(statement)).all())


def _held(request_id: int, owner: str) -> tuple[Any, ...]:
    return (
        col(UnfinishedRequest.id) == request_id,
        col(UnfinishedRequest.state) == UnfinishedState.CLAIMED,
        col(UnfinishedRequest.lease_owner) == owner,
    )
