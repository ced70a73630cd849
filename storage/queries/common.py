"""Statements both backends understand, written once."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any, Protocol, TypeVar

from sqlalchemy import CTE, Date, Integer, String, column, text, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import (
    CoeAction,
    CoeReview,
    Commitment,
    Decision,
    DoorDecision,
    MemoComment,
    MemoSession,
    Prfaq,
)
from storage.types import UTCDateTime

N = TypeVar("N", DoorDecision, Commitment)
# Rows stored once per (team, request_key).
R = TypeVar("R", DoorDecision, Commitment, CoeReview, CoeAction, MemoSession, MemoComment, Prfaq)
M = TypeVar("M", bound=SQLModel)


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
    row, new = await insert_once(session=session, model=model, values={**values, "id": number.id})
    if not new:
        await session.delete(number)
    return row, new


async def insert_once(
    *, session: AsyncSession, model: type[R], values: dict[str, Any]
) -> tuple[R, bool]:
    """Store a row once per (team, request_key), whoever else tries the same: the row as
    stored, and whether this was the insert that counted."""
    new_id = await insert_ignoring_conflict(
        session=session, model=model, values=values, conflict=["team_id", "request_key"]
    )
    statement = select(model).where(
        col(model.team_id) == values["team_id"],  # type: ignore[attr-defined]
        col(model.request_key) == values["request_key"],  # type: ignore[attr-defined]
    )
    return (await session.exec(statement)).one(), new_id is not None


async def rows_by_pairs(
    session: AsyncSession,
    model: type[M],
    columns: tuple[Any, Any],
    wanted: Iterable[tuple[Any, Any]],
) -> Sequence[M]:
    """The rows of `model` whose two `columns` are one of the `wanted` pairs, in one query
    (`WHERE (a, b) IN (…)`, which both backends read from the pair's index)."""
    pairs = sorted(set(wanted))
    if not pairs:
        return []
    statement = select(model).where(tuple_(col(columns[0]), col(columns[1])).in_(pairs))
    return (await session.exec(statement)).all()


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


_WINDOW_COLUMNS: dict[str, Any] = {
    "n": Integer(),
    "team_id": String(),
    "channel_id": String(),
    "since": UTCDateTime(),
    "until": UTCDateTime(),
    "last": Date(),
}
_WINDOWS_FROM_JSON = {
    # One bound JSON array: the statement's text is the same whatever the batch, so it is
    # compiled and planned once (a VALUES list of 500 rows costs more to compile than to run).
    "postgresql": (
        "SELECT * FROM json_to_recordset(CAST(:windows AS json)) AS w(n integer, "
        "team_id varchar, channel_id varchar, since timestamptz, until timestamptz, last date)"
    ),
    "sqlite": (
        "SELECT json_extract(value, '$.n') AS n, json_extract(value, '$.team_id') AS team_id, "
        "json_extract(value, '$.channel_id') AS channel_id, "
        "json_extract(value, '$.since') AS since, json_extract(value, '$.until') AS until, "
        "json_extract(value, '$.last') AS last FROM json_each(:windows)"
    ),
}


def windows_table(session: AsyncSession, windows: Sequence[Window]) -> CTE:
    """The windows as rows (n, team_id, channel_id, since, until, last), n their place in
    `windows`, to join a batch's facts against: `last` is the digest's day plus a week.

    The times are written as the backend stores them (on SQLite, the text its columns hold),
    so comparing a column with a window's edge is what comparing with a bound value is.
    """
    dialect = session.get_bind().dialect
    at = UTCDateTime().dialect_impl(dialect).bind_processor(dialect)
    day = Date().dialect_impl(dialect).bind_processor(dialect)

    def stored(value: Any, process: Any) -> Any:
        value = process(value) if process is not None else value
        return value if isinstance(value, str | int) else value.isoformat()

    rows = [
        {
            "n": i,
            "team_id": w.team_id,
            "channel_id": w.channel_id,
            "since": stored(w.start, at),
            "until": stored(w.end, at),
            "last": stored(w.today + timedelta(days=7), day),
        }
        for i, w in enumerate(windows)
    ]
    statement = text(_WINDOWS_FROM_JSON[dialect.name]).bindparams(windows=json.dumps(rows))
    return statement.columns(*(column(name, kind) for name, kind in _WINDOW_COLUMNS.items())).cte(
        "w"
    )
