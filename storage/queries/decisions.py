"""Queries on /door decisions (the `door` table)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import DecisionKind, DoorDecision
from storage.queries.common import record_numbered, rows_by_pairs


async def record_decision(
    *, session: AsyncSession, values: dict[str, Any]
) -> tuple[DoorDecision, bool]:
    """Store a /door decision once per (team, request_key); the row, and whether it is new."""
    return await record_numbered(
        session=session, model=DoorDecision, kind=DecisionKind.DOOR, values=values
    )


async def get_decision(
    *, session: AsyncSession, team_id: str, decision_id: int
) -> DoorDecision | None:
    """One /door decision of this workspace, or None (also for a /commit decision's id)."""
    statement = select(DoorDecision).where(
        DoorDecision.team_id == team_id, DoorDecision.id == decision_id
    )
    return (await session.exec(statement)).first()


async def decisions_by_ids(
    *, session: AsyncSession, wanted: Iterable[tuple[str, int]]
) -> dict[tuple[str, int], DoorDecision]:
    """Several workspaces' /door decisions at once, by (team, id): one query."""
    found = await rows_by_pairs(
        session, DoorDecision, (DoorDecision.team_id, DoorDecision.id), wanted
    )
    return {(d.team_id, d.id or 0): d for d in found}


def sized_by_a_person(door: str) -> dict[str, Any]:
    """The UPDATE values that make `door` a person's: an overrule, the card's answers or a
    review. The card's own door and source are kept by the first of them (SET reads the row
    as it was)."""
    return {
        "sized_door": func.coalesce(col(DoorDecision.sized_door), col(DoorDecision.door)),
        "sized_source": func.coalesce(
            col(DoorDecision.sized_source), col(DoorDecision.door_source)
        ),
        "door": door,
        "door_source": "person",
        "unsure": False,
    }


async def overrule(
    *, session: AsyncSession, team_id: str, decision_id: int, door: str, by: str, at: datetime
) -> bool:
    """Set the door a person chose; False if it already was that door.

    The first overrule keeps the card's door and source (SET reads the row as it was).
    """
    result = await session.exec(
        update(DoorDecision)
        .where(
            col(DoorDecision.team_id) == team_id,
            col(DoorDecision.id) == decision_id,
            col(DoorDecision.door) != door,
        )
        .values(**sized_by_a_person(door), overruled_by=by, overruled_at=at, updated_at=at)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def record_answers(
    *,
    session: AsyncSession,
    team_id: str,
    decision_id: int,
    seen: datetime,
    answers: dict[str, bool],
    door: str | None,
    by: str,
    at: datetime,
) -> bool:
    """Store the card's answers so far, and the door they settle if they do, with `by`, whose
    answer settled it; False if the decision changed since it was read at `seen` (read it
    again) or a person already sized it.
    """
    values: dict[str, Any] = {"answers": answers, "updated_at": at}
    if door is not None:
        values |= {"answered_by": by, **sized_by_a_person(door)}
    result = await session.exec(
        update(DoorDecision)
        .where(
            col(DoorDecision.team_id) == team_id,
            col(DoorDecision.id) == decision_id,
            col(DoorDecision.updated_at) == seen,
            col(DoorDecision.door_source) != "person",
        )
        .values(**values)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def set_review_date(
    *, session: AsyncSession, team_id: str, decision_id: int, review_at: date, at: datetime
) -> None:
    """Set when the decision will be reviewed."""
    await session.exec(
        update(DoorDecision)
        .where(col(DoorDecision.team_id) == team_id, col(DoorDecision.id) == decision_id)
        .values(review_at=review_at, updated_at=at)
    )


async def propose_review_date(
    *, session: AsyncSession, team_id: str, decision_id: int, review_at: date, at: datetime
) -> bool:
    """Set a default review date only where none is set; False if a person already chose one.

    The condition is in the UPDATE itself: a date picked while Share was finishing is
    never overwritten by the default computed from an older read.
    """
    result = await session.exec(
        update(DoorDecision)
        .where(
            col(DoorDecision.team_id) == team_id,
            col(DoorDecision.id) == decision_id,
            col(DoorDecision.review_at).is_(None),
        )
        .values(review_at=review_at, updated_at=at)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def find_by_request(
    *, session: AsyncSession, team_id: str, request_key: str
) -> DoorDecision | None:
    """The decision a Slack request already recorded (so a retry records nothing twice)."""
    statement = select(DoorDecision).where(
        DoorDecision.team_id == team_id, DoorDecision.request_key == request_key
    )
    return (await session.exec(statement)).first()
