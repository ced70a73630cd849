"""Statements both backends understand, written once."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession


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
