"""Statements both backends understand, written once."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession


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
