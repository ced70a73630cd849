"""The async engine and sessions, on SQLite or PostgreSQL from one URL."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.orm import ORMExecuteState
from sqlmodel.ext.asyncio.session import AsyncSession

ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}


def async_url(url: str) -> str:
    """Turn `sqlite:///…` or `postgresql://…` (as operators write them) into an async URL."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend not in ASYNC_DRIVERS:
        raise ValueError(f"unsupported database {backend!r}: use sqlite:/// or postgresql://")
    return parsed.set(drivername=ASYNC_DRIVERS[backend]).render_as_string(hide_password=False)


class DatabaseFailure(Exception):
    """The database could not be used: not reachable, refused the connection, or dropped it."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"database: {reason}")
        self.reason = reason


def is_database_failure(error: BaseException) -> bool:
    """The driver or SQLAlchemy lost (or never had) the connection; not a bad query."""
    return isinstance(error, DatabaseFailure | OperationalError | InterfaceError | PoolTimeout) or (
        isinstance(error, DBAPIError) and error.connection_invalidated
    )


def failure_reason(error: BaseException) -> str:
    """The driver's own words for a failure, in one short line."""
    if isinstance(error, DatabaseFailure):
        return error.reason
    inner = getattr(error, "orig", None) or error
    words = str(inner).strip().splitlines()
    return (words[0] if words else type(inner).__name__)[:200]


def database_problem(reason: str) -> str:
    """What to tell an operator whose database failed, from the driver's words."""
    missing = re.search(r'database "([^"]+)" does not exist', reason)
    if missing:
        name = missing.group(1)
        return (
            f"the database {name!r} named in DATABASE_URL does not exist: create it "
            f'(createdb {name}, or CREATE DATABASE "{name}" in psql), '
            "then run: doorway migrate"
        )
    if "no such table" in reason or re.search(r'relation "[^"]+" does not exist', reason):
        return (
            f"the database in DATABASE_URL has no Doorway tables yet ({reason}); "
            "run: doorway migrate"
        )
    if "unable to open database file" in reason:
        return (
            "can't open the SQLite file in DATABASE_URL: check that its folder exists "
            "and is writable"
        )
    return (
        f"can't use the database in DATABASE_URL ({reason}); check that it is running "
        "and that the URL is right"
    )


class Writes:
    """Whether anything was committed while it was being watched (see `watching_writes`)."""

    committed = False


_writes: ContextVar[Writes | None] = ContextVar("doorway_db_writes", default=None)


@contextmanager
def watching_writes() -> Iterator[Writes]:
    """Note whether the code run inside commits a write, so a later failure can say
    truthfully whether what the person did was saved."""
    writes = Writes()
    token = _writes.set(writes)
    try:
        yield writes
    finally:
        _writes.reset(token)


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def check_sqlite_folder(url: str) -> None:
    """A SQLite file can be made only in a folder that exists: say so before connecting
    (aiosqlite, failing to open the file, leaves a thread that prints a traceback)."""
    if not is_sqlite(url):
        return
    name = make_url(url).database
    if name and name != ":memory:" and not name.startswith("file:"):
        folder = Path(name).expanduser().parent
        if not folder.is_dir():
            raise DatabaseFailure("unable to open database file (its folder does not exist)")


class Database:
    """One engine per process; sessions are short and never shared between tasks."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        check_sqlite_folder(url)
        self.url = async_url(url)
        kwargs: dict[str, Any] = {"echo": echo, "pool_pre_ping": True}
        if is_sqlite(self.url):
            kwargs["connect_args"] = {"timeout": 30}
        else:
            kwargs.update(pool_size=10, max_overflow=20, pool_timeout=10)
        self.engine: AsyncEngine = create_async_engine(self.url, **kwargs)
        if is_sqlite(self.url):
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self._sessions = async_sessionmaker(
            self.engine, class_=AsyncSession, expire_on_commit=False
        )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session in a transaction: committed on success, rolled back on error.

        Failing to connect, or losing the connection, raises `DatabaseFailure`: the caller
        and the person are told it was the database. The connection is taken up front so a
        bare `OSError` from connecting is never confused with one from the block's own work.
        """
        wrote = [False]

        def note(state: ORMExecuteState) -> None:
            if not state.is_select:
                wrote[0] = True

        try:
            async with self._sessions() as session:
                event.listen(session.sync_session, "do_orm_execute", note)
                async with session.begin():
                    try:
                        await session.connection()
                    except (DBAPIError, OSError, TimeoutError) as exc:
                        raise DatabaseFailure(failure_reason(exc)) from exc
                    yield session
                    wrote[0] = wrote[0] or bool(session.new or session.dirty or session.deleted)
        except DatabaseFailure:
            raise
        except Exception as exc:
            if is_database_failure(exc):
                raise DatabaseFailure(failure_reason(exc)) from exc
            raise
        watched = _writes.get()
        if watched is not None and wrote[0]:
            watched.committed = True

    async def ping(self) -> bool:
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            return True
        except Exception:  # noqa: BLE001 - any failure means "not answering"
            return False

    async def dispose(self) -> None:
        await self.engine.dispose()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the console, `tick` and `serve` share one file; busy_timeout queues writers.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
