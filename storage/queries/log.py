"""Both kinds of decision at once: /door and /commit decisions as the log, export, App Home
and a shared card see them. Each kind has its own table; these queries read both and
merge them, or take the table to write."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import cast

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import (
    AnyDecision,
    CheckIn,
    Commitment,
    DecisionStatus,
    Dissent,
    DoorDecision,
)

KINDS: tuple[type[DoorDecision], type[Commitment]] = (DoorDecision, Commitment)


def follow_up_on(decision: AnyDecision) -> date | None:
    """The day a decision is followed up: a /door decision's review, a /commit's check-back."""
    return decision.review_at if isinstance(decision, DoorDecision) else decision.check_back


async def list_decisions(
    *, session: AsyncSession, team_id: str | None = None, since: datetime | None = None
) -> list[AnyDecision]:
    """Decisions of both kinds in creation order, for export: one workspace's, or every one's."""
    found: list[AnyDecision] = []
    for table in KINDS:
        statement = select(table)
        if team_id is not None:
            statement = statement.where(col(table.team_id) == team_id)
        if since is not None:
            statement = statement.where(col(table.created_at) >= since)
        found += cast(Sequence[AnyDecision], (await session.exec(statement)).all())
    return sorted(found, key=lambda d: (d.created_at, d.id or 0))


async def open_decisions_of(
    *, session: AsyncSession, team_id: str, user_id: str, limit: int = 20
) -> list[AnyDecision]:
    """A person's decisions (as author or owner) with no outcome yet, newest first."""
    found: list[AnyDecision] = []
    for table in KINDS:
        statement = (
            select(table)
            .where(
                col(table.team_id) == team_id,
                (col(table.author_id) == user_id) | (col(table.owner_id) == user_id),
                col(table.status) != DecisionStatus.CLOSED,
            )
            .order_by(col(table.created_at).desc())
            .limit(limit)
        )
        found += cast(Sequence[AnyDecision], (await session.exec(statement)).all())
    return sorted(found, key=lambda d: d.created_at, reverse=True)[:limit]


async def due_reviews_of(
    *, session: AsyncSession, team_id: str, user_id: str, today: date, limit: int = 20
) -> list[AnyDecision]:
    """A person's decisions whose follow-up day (review or check-back) has come and that are
    not closed, oldest first."""
    found: list[AnyDecision] = []
    for table, day in ((DoorDecision, DoorDecision.review_at), (Commitment, Commitment.check_back)):
        statement = (
            select(table)
            .where(
                col(table.team_id) == team_id,
                (col(table.author_id) == user_id) | (col(table.owner_id) == user_id),
                col(table.status) != DecisionStatus.CLOSED,
                col(day) <= today,
            )
            .order_by(col(day), col(table.id))
            .limit(limit)
        )
        found += cast(Sequence[AnyDecision], (await session.exec(statement)).all())
    return sorted(found, key=lambda d: (follow_up_on(d) or today, d.id or 0))[:limit]


async def dissent_of(
    *, session: AsyncSession, team_id: str, user_id: str, limit: int = 20
) -> Sequence[tuple[Dissent, Commitment]]:
    """The commitments a person disagreed with, and where they stand, newest first."""
    statement = (
        select(Dissent, Commitment)
        .join(Commitment, col(Commitment.id) == col(Dissent.decision_id))
        .where(
            Dissent.team_id == team_id, Dissent.user_id == user_id, Commitment.team_id == team_id
        )
        .order_by(col(Commitment.created_at).desc())
        .limit(limit)
    )
    return (await session.exec(statement)).all()


async def dissent_and_checkins(
    *, session: AsyncSession, decisions: Sequence[AnyDecision]
) -> tuple[Sequence[Dissent], Sequence[CheckIn]]:
    """The dissent and check-back answers of these decisions' commitments, each within its
    workspace."""
    commitments = [d for d in decisions if isinstance(d, Commitment)]
    if not commitments:
        return [], []
    ids = [d.id for d in commitments]
    teams = {d.team_id for d in commitments}
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


async def mark_shared(
    *,
    session: AsyncSession,
    table: type[AnyDecision],
    team_id: str,
    decision_id: int,
    channel: str,
    ts: str,
    permalink: str | None,
    at: datetime,
) -> bool:
    """Record that a /door or /commit decision's card was posted in its channel (`table` says
    which kind); False if it already was.

    Called only after Slack took the post, so `shared_at` (what the digest lists) means
    people saw it.
    """
    result = await session.exec(
        update(table)
        .where(
            col(table.team_id) == team_id,
            col(table.id) == decision_id,
            col(table.status) == DecisionStatus.OPEN,
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


async def note_post_error(
    *,
    session: AsyncSession,
    table: type[AnyDecision],
    team_id: str,
    decision_id: int,
    error: str | None,
) -> None:
    """Record why Slack refused a decision's card where it was to go (None: it took it)."""
    await session.exec(
        update(table)
        .where(col(table.team_id) == team_id, col(table.id) == decision_id)
        .values(post_error=error)
    )
