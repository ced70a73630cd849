"""Queries on decisions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from storage.models import CheckIn, Decision, DecisionStatus, Dissent
from storage.queries.common import insert_ignoring_conflict


async def record_decision(
    *, session: AsyncSession, values: dict[str, Any]
) -> tuple[Decision, bool]:
    """Store a decision once per (team, request_key); the row, and whether it is new."""
    new_id = await insert_ignoring_conflict(
        session=session, model=Decision, values=values, conflict=["team_id", "request_key"]
    )
    statement = select(Decision).where(
        Decision.team_id == values["team_id"], Decision.request_key == values["request_key"]
    )
    decision = (await session.exec(statement)).one()
    return decision, new_id is not None


async def get_decision(*, session: AsyncSession, team_id: str, decision_id: int) -> Decision | None:
    """One decision of this workspace, or None."""
    statement = select(Decision).where(Decision.team_id == team_id, Decision.id == decision_id)
    return (await session.exec(statement)).first()


async def mark_shared(
    *,
    session: AsyncSession,
    team_id: str,
    decision_id: int,
    channel: str,
    ts: str,
    permalink: str | None,
    at: datetime,
) -> bool:
    """Record that the decision's card was posted in its channel; False if it already was.

    Called only after Slack took the post, so `shared_at` (what the digest lists) means
    people saw it.
    """
    result = await session.exec(
        update(Decision)
        .where(
            col(Decision.team_id) == team_id,
            col(Decision.id) == decision_id,
            col(Decision.status) == DecisionStatus.OPEN,
        )
        .values(
            status=DecisionStatus.SHARED,
            shared_at=at,
            updated_at=at,
            message_channel=channel,
            message_ts=ts,
            permalink=permalink,
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def sized_by_a_person(door: str) -> dict[str, Any]:
    """The UPDATE values that make `door` a person's: an overrule, the card's answers or a
    review. The card's own door and source are kept by the first of them (SET reads the row
    as it was)."""
    return {
        "sized_door": func.coalesce(col(Decision.sized_door), col(Decision.door)),
        "sized_source": func.coalesce(col(Decision.sized_source), col(Decision.door_source)),
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
        update(Decision)
        .where(
            col(Decision.team_id) == team_id,
            col(Decision.id) == decision_id,
            col(Decision.door) != door,
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
        update(Decision)
        .where(
            col(Decision.team_id) == team_id,
            col(Decision.id) == decision_id,
            col(Decision.updated_at) == seen,
            col(Decision.door_source) != "person",
        )
        .values(**values)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def set_review_date(
    *, session: AsyncSession, team_id: str, decision_id: int, review_at: date, at: datetime
) -> None:
    """Set when the decision will be reviewed."""
    await session.exec(
        update(Decision)
        .where(col(Decision.team_id) == team_id, col(Decision.id) == decision_id)
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
        update(Decision)
        .where(
            col(Decision.team_id) == team_id,
            col(Decision.id) == decision_id,
            col(Decision.review_at).is_(None),
        )
        .values(review_at=review_at, updated_at=at)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def list_decisions(
    *, session: AsyncSession, team_id: str | None = None, since: datetime | None = None
) -> Sequence[Decision]:
    """Decisions in creation order, for export: one workspace's, or every one's."""
    statement = select(Decision).order_by(col(Decision.created_at), col(Decision.id))
    if team_id is not None:
        statement = statement.where(Decision.team_id == team_id)
    if since is not None:
        statement = statement.where(col(Decision.created_at) >= since)
    return (await session.exec(statement)).all()


async def find_by_request(
    *, session: AsyncSession, team_id: str, request_key: str
) -> Decision | None:
    """The decision a Slack request already recorded (so a retry records nothing twice)."""
    statement = select(Decision).where(
        Decision.team_id == team_id, Decision.request_key == request_key
    )
    return (await session.exec(statement)).first()


def _unclosed_of(team_id: str, user_id: str) -> SelectOfScalar[Decision]:
    """A person's decisions in this workspace, as author or owner, with no outcome yet."""
    return select(Decision).where(
        Decision.team_id == team_id,
        (col(Decision.author_id) == user_id) | (col(Decision.owner_id) == user_id),
        col(Decision.status) != DecisionStatus.CLOSED,
    )


async def open_decisions_of(
    *, session: AsyncSession, team_id: str, user_id: str, limit: int = 20
) -> Sequence[Decision]:
    """A person's decisions (as author or owner) with no outcome yet, newest first."""
    statement = (
        _unclosed_of(team_id, user_id).order_by(col(Decision.created_at).desc()).limit(limit)
    )
    return (await session.exec(statement)).all()


async def due_reviews_of(
    *, session: AsyncSession, team_id: str, user_id: str, today: date, limit: int = 20
) -> Sequence[Decision]:
    """A person's decisions whose review day has come and that have no outcome, oldest first."""
    statement = (
        _unclosed_of(team_id, user_id)
        .where(col(Decision.review_at) <= today)
        .order_by(col(Decision.review_at), col(Decision.id))
        .limit(limit)
    )
    return (await session.exec(statement)).all()


async def dissent_of(
    *, session: AsyncSession, team_id: str, user_id: str, limit: int = 20
) -> Sequence[tuple[Dissent, Decision]]:
    """The decisions a person disagreed with, and where they stand, newest first."""
    statement = (
        select(Dissent, Decision)
        .join(Decision, col(Decision.id) == col(Dissent.decision_id))
        .where(Dissent.team_id == team_id, Dissent.user_id == user_id, Decision.team_id == team_id)
        .order_by(col(Decision.created_at).desc())
        .limit(limit)
    )
    return (await session.exec(statement)).all()


async def dissent_and_checkins(
    *, session: AsyncSession, decisions: Sequence[Decision]
) -> tuple[Sequence[Dissent], Sequence[CheckIn]]:
    """The dissent and check-back answers of these decisions, each within its workspace."""
    if not decisions:
        return [], []
    ids = [d.id for d in decisions]
    teams = {d.team_id for d in decisions}
    dissent = (
        await session.exec(
            select(Dissent)
            .where(col(Dissent.decision_id).in_(ids), col(Dissent.team_id).in_(teams))
            .order_by(col(Dissent.id))
        )
    ).all()
    checkins = (
        await session.exec(
            select(CheckIn)
            .where(col(CheckIn.decision_id).in_(ids), col(CheckIn.team_id).in_(teams))
            .order_by(col(CheckIn.id))
        )
    ).all()
    return dissent, checkins
