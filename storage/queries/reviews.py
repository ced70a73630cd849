"""Queries on reviews: recording how a decision turned out."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Decision, DecisionStatus


async def record_outcome(
    *,
    session: AsyncSession,
    team_id: str,
    decision_id: int,
    outcome: str,
    by: str,
    at: datetime,
) -> bool:
    """Store the outcome and close the decision; False if it already had one (a double press)."""
    result = await session.exec(
        update(Decision)
        .where(
            col(Decision.team_id) == team_id,
            col(Decision.id) == decision_id,
            col(Decision.outcome).is_(None),
        )
        .values(
            outcome=outcome,
            outcome_by=by,
            outcome_at=at,
            status=DecisionStatus.CLOSED,
            updated_at=at,
        )
    )
    return bool(result.rowcount)
