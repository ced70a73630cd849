"""Remembering what was already done, so retries and second instances do nothing twice."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import SeenEvent
from storage.queries.common import insert_ignoring_conflict


async def first_time(*, session: AsyncSession, team_id: str, key: str, at: datetime) -> bool:
    """True the first time `key` is seen in this workspace, False every time after."""
    inserted = await insert_ignoring_conflict(
        session=session, model=SeenEvent,
        values={"team_id": team_id, "event_id": key[:64], "seen_at": at},
        conflict=["team_id", "event_id"], returning="event_id",
    )
    return inserted is not None
