"""Queries on reviews: recording how a /door decision turned out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import DecisionStatus, DoorDecision, UndoAsSaid
from storage.queries.decisions import sized_by_a_person


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
        update(DoorDecision)
        .where(
            col(DoorDecision.team_id) == team_id,
            col(DoorDecision.id) == decision_id,
            col(DoorDecision.outcome).is_(None),
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


async def record_undo_as_said(
    *,
    session: AsyncSession,
    team_id: str,
    decision_id: int,
    answer: str,
    by: str,
    at: datetime,
) -> bool:
    """Store whether undoing it was as the card said; False if already answered (a double
    press) or it is no /door decision.

    Harder or easier than the card said is what happened, so it sets the door too (the
    card's first door and source are kept, as an overrule keeps them).
    """
    values: dict[str, Any] = {"undo_as_said": answer, "undo_by": by, "undo_at": at}
    found = {UndoAsSaid.HARDER: "one_way", UndoAsSaid.EASIER: "two_way"}.get(UndoAsSaid(answer))
    if found is not None:
        values |= sized_by_a_person(found)
    result = await session.exec(
        update(DoorDecision)
        .where(
            col(DoorDecision.team_id) == team_id,
            col(DoorDecision.id) == decision_id,
            col(DoorDecision.undo_as_said).is_(None),
        )
        .values(**values, updated_at=at)
    )
    return bool(result.rowcount)
