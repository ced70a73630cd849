"""Statements both backends understand, written once."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Commitment, Decision, DoorDecision

N = TypeVar("N", DoorDecision, Commitment)


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
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = model.__table__  # type: ignore[attr-defined]
    statement = insert(table).values(**values).on_conflict_do_nothing(index_elements=conflict)
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
