"""/decisions: one page of a channel's, or a person's, decisions of both kinds, newest first.

Both tables are read in one statement (UNION ALL), ordered and cut by the database, so a
page costs one round trip however long the history: each branch is a range of an index on
(team_id, channel_id | owner_id | author_id, created_at), read newest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, false, func, literal, or_, union_all
from sqlalchemy import select as columns
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Commitment, DecisionKind, DecisionStatus, Dissent, DoorDecision

LIKE_ESCAPE = "\\"


@dataclass(frozen=True)
class Scope:
    """Whose decisions a search may see: a channel's (as `viewer` sees it), or, with
    `channel_id` None, the viewer's own (authored, owned or disagreed with) anywhere."""

    team_id: str
    viewer: str
    channel_id: str | None = None


@dataclass(frozen=True)
class Filters:
    words: tuple[str, ...] = ()
    door: str | None = None
    owner_id: str | None = None
    closed: bool | None = None  # True: closed only; False: not closed; None: either
    since: datetime | None = None


@dataclass(frozen=True)
class Found:
    """What a result line shows of a decision."""

    kind: str
    id: int
    channel_id: str
    text: str
    door: str
    status: str
    owner_id: str
    created_at: datetime
    permalink: str | None


def _like(word: str) -> str:
    escaped = word.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _contains(column: Any, word: str) -> ColumnElement[bool]:
    return func.lower(column).like(_like(word), escape=LIKE_ESCAPE)


def _branch(
    table: type[DoorDecision] | type[Commitment], scope: Scope, filters: Filters
) -> Select[Any]:
    kind = DecisionKind.DOOR if table is DoorDecision else DecisionKind.COMMIT
    is_commitment = table is Commitment
    where: list[ColumnElement[bool]] = [col(table.team_id) == scope.team_id]
    theirs = or_(col(table.author_id) == scope.viewer, col(table.owner_id) == scope.viewer)
    dissented = (
        col(Commitment.id).in_(
            select(Dissent.decision_id).where(
                col(Dissent.team_id) == scope.team_id, col(Dissent.user_id) == scope.viewer
            )
        )
        if is_commitment
        else false()
    )
    if scope.channel_id is not None:
        # A card nobody shared was seen only by its author (and owner): not by the channel.
        where += [
            col(table.channel_id) == scope.channel_id,
            or_(col(table.shared_at).is_not(None), theirs, dissented),
        ]
    else:
        where.append(or_(theirs, dissented))
    if filters.door is not None:
        where.append(col(table.door) == filters.door)
    if filters.owner_id is not None:
        where.append(col(table.owner_id) == filters.owner_id)
    if filters.closed is True:
        where.append(col(table.status) == DecisionStatus.CLOSED)
    elif filters.closed is False:
        where.append(col(table.status) != DecisionStatus.CLOSED)
    if filters.since is not None:
        where.append(col(table.created_at) >= filters.since)
    for word in filters.words:
        matches = [_contains(col(table.text), word), _contains(col(table.context), word)]
        if is_commitment:
            matches.append(
                exists().where(
                    col(Dissent.decision_id) == col(Commitment.id),
                    col(Dissent.team_id) == scope.team_id,
                    _contains(col(Dissent.concern), word),
                )
            )
        where.append(or_(*matches))
    branch: Select[Any] = columns(  # type: ignore[assignment]
        literal(kind.value).label("kind"),
        col(table.id).label("id"),
        col(table.channel_id).label("channel_id"),
        col(table.text).label("text"),
        col(table.door).label("door"),
        col(table.status).label("status"),
        col(table.owner_id).label("owner_id"),
        col(table.created_at).label("created_at"),
        col(table.permalink).label("permalink"),
    ).where(and_(*where))
    return branch


async def search_decisions(
    *, session: AsyncSession, scope: Scope, filters: Filters, limit: int, offset: int = 0
) -> list[Found]:
    """One page of the decisions `scope` may see that match `filters`, newest first
    (ties by number, newest first); `limit` rows at most."""
    both = union_all(
        _branch(DoorDecision, scope, filters), _branch(Commitment, scope, filters)
    ).subquery("found")
    statement = (
        columns(*both.c)
        .order_by(both.c.created_at.desc(), both.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    rows = (await session.exec(statement)).all()  # type: ignore[call-overload]
    return [
        Found(
            kind=row.kind,
            id=row.id,
            channel_id=row.channel_id,
            text=row.text,
            door=row.door,
            status=row.status,
            owner_id=row.owner_id,
            created_at=row.created_at,
            permalink=row.permalink,
        )
        for row in rows
    ]
