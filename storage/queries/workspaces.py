"""Workspaces that uninstalled Doorway: marked at once, forgotten when their time comes
(installing again first removes the mark: storage/installations.py)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import WorkspaceUninstall
from storage.queries.common import insert_ignoring_conflict
from storage.queries.jobs import cancel_jobs


async def mark_uninstalled(
    *,
    session: AsyncSession,
    team_id: str,
    enterprise_id: str | None,
    at: datetime,
    forget_at: datetime,
    reason: str,
) -> int:
    """Mark `team_id` uninstalled (the first mark stands) and cancel everything planned for
    it; how many jobs were cancelled."""
    await insert_ignoring_conflict(
        session=session,
        model=WorkspaceUninstall,
        values={
            "team_id": team_id,
            "enterprise_id": enterprise_id,
            "uninstalled_at": at,
            "forget_at": forget_at,
            "reason": reason[:32],
        },
        conflict=["team_id"],
        returning=None,
    )
    return await cancel_jobs(session=session, team_id=team_id, key_prefix="")


async def due_to_forget(*, session: AsyncSession, at: datetime) -> list[str]:
    """Workspaces whose retention after uninstalling ended by `at`."""
    found = await session.exec(
        select(WorkspaceUninstall.team_id).where(col(WorkspaceUninstall.forget_at) <= at)
    )
    return list(found.all())
