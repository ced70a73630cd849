"""Remembering what was already done, so retries and second instances do nothing twice.

Two kinds of memory share one table. `first_time` remembers at once (an event handled).
`claim` … `confirm` is for a post to Slack that must happen once and must not be lost: the
claim keeps a second press or process out while the post is under way, a failed post
`release`s it so it can be tried again, and a claim whose holder died lapses at its lease.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import SeenEvent
from storage.queries.common import insert_ignoring_conflict

KEY_MAX = 64


async def first_time(*, session: AsyncSession, team_id: str, key: str, at: datetime) -> bool:
    """True the first time `key` is seen in this workspace, False every time after."""
    inserted = await insert_ignoring_conflict(
        session=session,
        model=SeenEvent,
        values={"team_id": team_id, "event_id": key[:KEY_MAX], "seen_at": at},
        conflict=["team_id", "event_id"],
        returning="event_id",
    )
    return inserted is not None


async def claim(
    *, session: AsyncSession, team_id: str, key: str, at: datetime, until: datetime
) -> bool:
    """Take `key` until `until`; False if it is done, or held by a lease not yet lapsed."""
    inserted = await insert_ignoring_conflict(
        session=session,
        model=SeenEvent,
        values={"team_id": team_id, "event_id": key[:KEY_MAX], "seen_at": at, "lease_until": until},
        conflict=["team_id", "event_id"],
        returning="event_id",
    )
    if inserted is not None:
        return True
    lapsed = await session.exec(
        update(SeenEvent)
        .where(
            col(SeenEvent.team_id) == team_id,
            col(SeenEvent.event_id) == key[:KEY_MAX],
            col(SeenEvent.lease_until).is_not(None),
            col(SeenEvent.lease_until) < at,
        )
        .values(seen_at=at, lease_until=until)
    )
    return bool(lapsed.rowcount)  # type: ignore[attr-defined]


async def confirm(*, session: AsyncSession, team_id: str, key: str) -> None:
    """The claimed work happened: `key` is done for good."""
    await session.exec(
        update(SeenEvent)
        .where(col(SeenEvent.team_id) == team_id, col(SeenEvent.event_id) == key[:KEY_MAX])
        .values(lease_until=None)
    )


async def release(*, session: AsyncSession, team_id: str, key: str) -> None:
    """The claimed work failed: give `key` back (a confirmed key is kept)."""
    await session.exec(
        delete(SeenEvent).where(
            col(SeenEvent.team_id) == team_id,
            col(SeenEvent.event_id) == key[:KEY_MAX],
            col(SeenEvent.lease_until).is_not(None),
        )
    )
