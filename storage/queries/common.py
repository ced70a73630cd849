"""Statements both backends understand, written once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any, Protocol, TypeVar

from sqlalchemy import CTE, Date, Integer, String, column, values
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Commitment, Decision, DoorDecision
from storage.types import UTCDateTime

N = TypeVar("N", DoorDecision, Commitment)


def is_postgresql(session: AsyncSession) -> bool:
    """Whether the session talks to PostgreSQL (else SQLite, the only other backend)."""
    return session.bind is not None and session.bind.dialect.name == "postgresql"


def insert(session: AsyncSession, model: type[SQLModel]) -> postgresql.Insert | sqlite.Insert:
    """INSERT INTO `model`'s table in the session's dialect, so ON CONFLICT can follow.

    Both dialects spell `on_conflict_do_nothing`/`on_conflict_do_update` and `excluded` alike;
    this is the one place that picks between them.
    """
    table = model.__table__  # type: ignore[attr-defined]
    return postgresql.insert(table) if is_postgresql(session) else sqlite.insert(table)


async def insert_ignoring_conflict(
    *,
    session: AsyncSession,
    model: type[SQLModel],
    values: dict[str, Any],
    conflict: list[str],
    returning: str | None = "id",
) -> Any | None:
    """INSERT … ON CONFLICT DO NOTHING; the new row's `returning` column, or None if it existed.

    This is how Slack's retries and a second instance stay harmless: the database, not the
    process, decides which of two identical writes wins.
    """
    table = model.__table__  # type: ignore[attr-defined]
    statement = (
        insert(session, model).values(**values).on_conflict_do_nothing(index_elements=conflict)
    )
    if returning is None:
        result = await session.exec(statement)
        return result.rowcount or None  # type: ignore[attr-defined]
    result = await session.exec(statement.returning(table.c[returning]))
    return result.scalar_one_or_none()


async def record_numbered(
    *, session: AsyncSession, model: type[N], kind: str, values: dict[str, Any]
) -> tuple[N, bool]:
    """Store a /door or /commit decision once per (team, request_key), under a new number
    from the `decision` table; the row, and whether it is new.

    A retry that loses the race gives its number back, so the loser leaves nothing behind.
    """
    team_id = values["team_id"]
    number = Decision(team_id=team_id, kind=kind)
    session.add(number)
    await session.flush()
    new_id = await insert_ignoring_conflict(
        session=session,
        model=model,
        values={**values, "id": number.id},
        conflict=["team_id", "request_key"],
    )
    if new_id is None:
        await session.delete(number)
    statement = select(model).where(
        col(model.team_id) == team_id,  # type: ignore[attr-defined]
        col(model.request_key) == values["request_key"],  # type: ignore[attr-defined]
    )
    return (await session.exec(statement)).one(), new_id is not None


class Window(Protocol):
    """One channel's stretch of time, as the batch queries take it: `start` < t <= `end`,
    and the day it is seen from (bot.decisions.digest_sections.DigestWindow is one)."""

    @property
    def team_id(self) -> str: ...
    @property
    def channel_id(self) -> str: ...
    @property
    def start(self) -> datetime: ...
    @property
    def end(self) -> datetime: ...
    @property
    def today(self) -> date: ...


WINDOWS_PER_STATEMENT = 500  # 2,500 bound values: far under either backend's limit


def windows_table(windows: Sequence[Window], first: int) -> CTE:
    """The windows `first`, `first + 1`… as rows (n, team_id, channel_id, since, until, last),
    to join a batch's facts against: `last` is the digest's day plus a week."""
    chunk = windows[first : first + WINDOWS_PER_STATEMENT]
    rows = [
        (first + n, w.team_id, w.channel_id, w.start, w.end, w.today + timedelta(days=7))
        for n, w in enumerate(chunk)
    ]
    table = values(
        column("n", Integer),
        column("team_id", String),
        column("channel_id", String),
        column("since", UTCDateTime()),
        column("until", UTCDateTime()),
        column("last", Date()),
        name="w",
    ).data(rows)
    return table.cte("w")


def chunks(windows: Sequence[Window]) -> range:
    """Where each statement's windows begin (see windows_table)."""
    return range(0, len(windows), WINDOWS_PER_STATEMENT)
