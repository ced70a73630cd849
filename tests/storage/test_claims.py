"""Claims on a post: one holder at a time, given back on failure, lapsed when the holder died."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from storage.engine import Database
from storage.queries import events

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    yield database
    await database.dispose()


async def claim(db: Database, at: datetime, key: str = "share:1") -> bool:
    async with db.session() as session:
        return await events.claim(session=session, team_id="T1", key=key, at=at, until=at + LEASE)


async def test_a_claim_is_held_then_lapses_when_its_holder_died(db: Database) -> None:
    assert await claim(db, T0)
    assert not await claim(db, T0 + timedelta(minutes=1))  # someone is posting
    assert await claim(db, T0 + LEASE + timedelta(seconds=1))  # they died: it is retried


async def test_a_released_claim_can_be_taken_and_a_confirmed_one_never(db: Database) -> None:
    assert await claim(db, T0)
    async with db.session() as session:
        await events.release(session=session, team_id="T1", key="share:1")
    assert await claim(db, T0)
    async with db.session() as session:
        await events.confirm(session=session, team_id="T1", key="share:1")
        await events.release(session=session, team_id="T1", key="share:1")  # too late
    assert not await claim(db, T0 + timedelta(days=30))
    async with db.session() as session:  # done is done for first_time too
        assert not await events.first_time(session=session, team_id="T1", key="share:1", at=T0)
    assert await claim(db, T0, key="share:2")  # other keys, other claims
