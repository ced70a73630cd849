"""Alembic owns the schema: the migrated database matches the models exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import storage.models  # noqa: F401
from storage.engine import async_url


def _sync_url(url: str) -> str:
    return async_url(url).replace("+aiosqlite", "").replace("+asyncpg", "+psycopg2")


def test_migrated_schema_matches_the_models(database_url: str) -> None:
    engine = create_engine(_sync_url(database_url))
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    assert diff == [], f"models and migrations disagree; add a revision: {diff}"


def test_urls_as_operators_write_them_get_async_drivers() -> None:
    assert async_url("sqlite:///./doorway.db") == "sqlite+aiosqlite:///./doorway.db"
    assert async_url("postgresql://u:p@h:5432/d") == "postgresql+asyncpg://u:p@h:5432/d"
    assert async_url("postgres://u@h/d") == "postgresql+asyncpg://u@h/d"
