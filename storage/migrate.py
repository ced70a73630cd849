"""Alembic, driven from code: `doorway migrate`, SQLite at start-up, "is the schema at head?"."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from sqlalchemy import inspect, pool, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from storage.engine import DatabaseFailure, async_url, check_sqlite_folder, failure_reason

# Alembic is imported only to migrate: "is the schema at head?" (every start, every
# /healthz) reads the revision files and the version table itself, which costs `serve`
# neither Alembic's import time nor its memory.
if TYPE_CHECKING:
    from alembic.config import Config

VERSION_TABLE = "alembic_version"
_REVISION = re.compile(r"^(down_revision|revision)\b[^=\n]*=\s*(.+?)\s*$", re.MULTILINE)
_QUOTED = re.compile(r"""^["']([\w-]+)["']$""")


class NotMigrated(Exception):
    """The database's schema is not the one this Doorway needs; the message says what to run."""


@dataclass(frozen=True)
class Upgraded:
    """What `upgrade` did: the revisions it applied, oldest first, and where it ended."""

    applied: tuple[str, ...]
    now_at: str | None

    def __str__(self) -> str:
        if not self.applied:
            return f"database is already up to date (at {self.now_at})"
        return (
            f"applied {len(self.applied)} migration(s): {', '.join(self.applied)} "
            f"(database is now at {self.now_at})"
        )


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at the migrations shipped inside the package."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("storage") / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["configure_logging"] = False
    return config


@cache
def head() -> str:
    """The newest revision shipped with this code."""
    heads = _heads_from_files()
    if heads is None:  # a revision file written in a way the quick read doesn't follow
        from alembic.script import ScriptDirectory

        heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads; merge them")
    return heads[0]


def _heads_from_files() -> list[str] | None:
    """The revisions no other revision follows, read from the files; None if unsure."""
    revisions: set[str] = set()
    followed: set[str] = set()
    for path in (resources.files("storage") / "migrations" / "versions").iterdir():
        if not path.name.endswith(".py") or path.name.startswith("_"):
            continue
        found = dict((name, value) for name, value in _REVISION.findall(path.read_text()))
        revision = _QUOTED.match(found.get("revision", ""))
        down = found.get("down_revision", "")
        if revision is None or (down != "None" and _QUOTED.match(down) is None):
            return None
        revisions.add(revision.group(1))
        if down != "None":
            followed.add(_QUOTED.match(down).group(1))  # type: ignore[union-attr]
    return sorted(revisions - followed) if revisions else None


def upgrade(url: str, revision: str = "head") -> Upgraded:
    """Bring the database at `url` (any form DATABASE_URL accepts) up to `revision`."""
    return asyncio.run(_upgrade(url, revision))


async def _upgrade(url: str, revision: str) -> Upgraded:
    check_sqlite_folder(url)
    engine = create_async_engine(async_url(url), poolclass=pool.NullPool)
    try:
        connection = await _connect(engine)
        try:
            async with connection.begin():
                if revision == "head":
                    current = await connection.run_sync(_current)
                    if current == head():  # most starts: nothing to do, no Alembic to load
                        return Upgraded(applied=(), now_at=current)
                config = alembic_config(async_url(url))
                return await connection.run_sync(_upgrade_on, config, revision)
        finally:
            await connection.close()
    finally:
        await engine.dispose()


def _upgrade_on(connection: Connection, config: Config, revision: str) -> Upgraded:
    from alembic import command
    from alembic.script import ScriptDirectory

    before = _current(connection)
    config.attributes["connection"] = connection
    command.upgrade(config, revision)
    after = _current(connection)
    script = ScriptDirectory.from_config(config)
    applied = (
        []
        if after == before or after is None
        else [
            f"{s.revision} ({s.doc})" if s.doc else s.revision
            for s in script.iterate_revisions(after, before or "base")
            if s.revision != before
        ]
    )
    return Upgraded(applied=tuple(reversed(applied)), now_at=after)


def _current(connection: Connection) -> str | None:
    # What Alembic's MigrationContext.get_current_heads reads, without loading Alembic.
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    heads = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    return heads[0] if heads else None


async def _connect(engine: AsyncEngine) -> AsyncConnection:
    try:
        return await engine.connect()
    except (DBAPIError, OSError, TimeoutError) as exc:
        raise DatabaseFailure(failure_reason(exc)) from exc


async def current_revision(engine: AsyncEngine) -> str | None:
    """The revision the database is at (None before the first migration)."""
    connection = await _connect(engine)
    try:
        return await connection.run_sync(_current)
    finally:
        await connection.close()


async def at_head(engine: AsyncEngine) -> bool:
    """Is the database's schema the one this code needs?"""
    return await current_revision(engine) == head()


async def schema_health(engine: AsyncEngine) -> str:
    """For /healthz: "ok", "behind" (not migrated to head) or "unreachable"."""
    try:
        return "ok" if await at_head(engine) else "behind"
    except Exception:  # noqa: BLE001 - any failure to ask means "not answering"
        return "unreachable"


async def require_head(engine: AsyncEngine) -> None:
    """Refuse to run on a schema that is not at head: queries would fail every minute."""
    current = await current_revision(engine)
    if current != head():
        raise NotMigrated(
            "the database in DATABASE_URL is not migrated ("
            + (f"it is at {current}" if current else "it has no Doorway schema yet")
            + f", this Doorway needs {head()}): run: doorway migrate"
        )
