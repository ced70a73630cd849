"""Revision 0005 splits `decision` into `door` and `commitment`: every row survives the
upgrade with its id, and the app reads it; the downgrade puts it back as it was."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import MetaData, create_engine, select, text
from sqlalchemy.engine import Engine, make_url

from bot.decisions.digest_sections import DigestWindow
from bot.export import decision_log
from storage.engine import Database, async_url
from storage.migrate import alembic_config, upgrade
from storage.queries import commits, decisions, log
from storage.queries.digests import shared_in

IN_CI = os.environ.get("CI", "").lower() == "true"
AT = datetime(2026, 11, 30, 9, 15, tzinfo=UTC)
LATER = datetime(2026, 12, 1, 16, 0, tzinfo=UTC)


def _sync(url: str) -> Engine:
    return create_engine(async_url(url).replace("+aiosqlite", "").replace("+asyncpg", "+psycopg2"))


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no schema yet, of its own (this test migrates it up and down)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        if IN_CI:
            pytest.fail("CI=true but TEST_DATABASE_URL is not set: PostgreSQL tests must run")
        pytest.skip("TEST_DATABASE_URL is not set")
    name = f"doorway_mig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(
        make_url(base).set(drivername="postgresql+psycopg2"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _row(id: int, kind: str, **values: Any) -> dict[str, Any]:
    return {
        "id": id,
        "team_id": "T1",
        "enterprise_id": None,
        "channel_id": "C1",
        "author_id": "U1",
        "owner_id": "U2",
        "kind": kind,
        "text": f"decision {id}",
        "context": None,
        "door": "two_way",
        "door_source": "rules",
        "confidence": 0.75,
        "reasons": ["reversible"],
        "chair_question": "Who is missing?",
        "status": "shared",
        "request_key": f"command:{id}",
        "created_at": AT,
        "updated_at": AT,
        "shared_at": AT,
        "review_at": None,
        "message_channel": "C1",
        "message_ts": f"1700000000.00000{id}",
        "permalink": f"https://example.slack.com/archives/C1/p{id}",
        "overruled_by": None,
        "overruled_at": None,
        "outcome": None,
        "outcome_by": None,
        "outcome_at": None,
        "unsure": False,
        "sizing_note": None,
        "answers": None,
        "answered_by": None,
        "undo_as_said": None,
        "undo_by": None,
        "undo_at": None,
        "sized_door": None,
        "sized_source": None,
    } | values


# At 0004: a reviewed door, a commit checked back, an open door that asked, in that order.
ROWS = [
    _row(
        1,
        "door",
        door="one_way",
        door_source="person",
        review_at=date(2026, 12, 10),
        overruled_by="U3",
        overruled_at=AT,
        outcome="worked",
        outcome_by="U2",
        outcome_at=LATER,
        status="closed",
        undo_as_said="harder",
        undo_by="U2",
        undo_at=LATER,
        sized_door="two_way",
        sized_source="rules",
    ),
    _row(
        2,
        "commit",
        context="Bob thinks Friday is too soon",
        review_at=date(2026, 12, 14),
        outcome="held_up",
        outcome_at=LATER,
        status="closed",
    ),
    _row(3, "door", status="open", shared_at=None, unsure=True, answers={"customers": True}),
]
DISSENT = {
    "team_id": "T1",
    "decision_id": 2,
    "user_id": "U4",
    "concern": "too soon",
    "expectation": "a late bug",
    "state": "committed",
    "reason": None,
    "answered_at": AT,
    "committed_at": AT,
    "dm_channel": "D4",
    "dm_ts": "1.2",
    "dm_error": None,
}
CHECKINS = [
    {"team_id": "T1", "decision_id": 2, "user_id": "U2", "role": "owner"},
    {"team_id": "T1", "decision_id": 2, "user_id": "U4", "role": "dissenter"},
]
JOBS = [
    ("review:1:2026-12-10", "review", {"decision_id": 1, "review_at": "2026-12-10", "tz": "UTC"}),
    ("commit:2:summary", "commit_summary", {"decision_id": 2}),
]


def _fill_0004(url: str) -> None:
    engine = _sync(url)
    tables = MetaData()
    tables.reflect(engine)
    with engine.begin() as conn:
        # Without ids, as 0004's app wrote them: the sequences number them 1, 2, 3.
        for row in ROWS:
            conn.execute(tables.tables["decision"].insert(), [_without_id(row)])
        conn.execute(tables.tables["dissent"].insert(), [_without_id(DISSENT)])
        for checkin in map(_without_id, CHECKINS):
            values = checkin | {"answer": "held_up", "asked_at": AT, "answered_at": LATER}
            conn.execute(tables.tables["checkin"].insert(), [values])
        for key, kind, payload in JOBS:
            conn.execute(
                tables.tables["job"].insert(),
                [
                    {
                        "team_id": "T1",
                        "kind": kind,
                        "key": key,
                        "payload": payload,
                        "due_at": LATER,
                        "state": "pending",
                        "attempts": 0,
                        "created_at": AT,
                    }
                ],
            )
    engine.dispose()


def _without_id(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != "id"}


def _decision_rows(url: str) -> list[dict[str, Any]]:
    engine = _sync(url)
    tables = MetaData()
    tables.reflect(engine)
    decision = tables.tables["decision"]
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(select(decision).order_by(decision.c.id))]
    engine.dispose()
    return rows


async def test_the_upgrade_keeps_every_decision_and_the_app_reads_them(empty_url: str) -> None:
    await asyncio.to_thread(upgrade, empty_url, "0004")
    await asyncio.to_thread(_fill_0004, empty_url)
    await asyncio.to_thread(upgrade, empty_url)
    db = Database(empty_url)
    try:
        async with db.session() as session:
            reviewed = await decisions.get_decision(session=session, team_id="T1", decision_id=1)
            asked = await decisions.get_decision(session=session, team_id="T1", decision_id=3)
            commitment = await commits.get_commitment(session=session, team_id="T1", decision_id=2)
            assert (
                await decisions.get_decision(session=session, team_id="T1", decision_id=2) is None
            )
            assert (
                await commits.get_commitment(session=session, team_id="T1", decision_id=1) is None
            )
            dissent = await commits.dissenters_of(session=session, team_id="T1", decision_id=2)
            checkins = await commits.checkins_of(session=session, team_id="T1", decision_id=2)
            [made] = await shared_in(
                session=session,
                windows=[DigestWindow("T1", "C1", AT.replace(hour=0), LATER, LATER.date(), "UTC")],
            )
            mine = await log.open_decisions_of(session=session, team_id="T1", user_id="U2")
        assert reviewed is not None and asked is not None and commitment is not None
        assert (reviewed.door, reviewed.door_source, reviewed.sized_door) == (
            "one_way",
            "person",
            "two_way",
        )
        assert (reviewed.review_at, reviewed.outcome, reviewed.outcome_at) == (
            date(2026, 12, 10),
            "worked",
            LATER,
        )
        assert (reviewed.overruled_by, reviewed.undo_as_said, reviewed.undo_at) == (
            "U3",
            "harder",
            LATER,
        )
        assert (asked.unsure, asked.answers, asked.status) == (True, {"customers": True}, "open")
        assert (commitment.check_back, commitment.verdict, commitment.verdict_at) == (
            date(2026, 12, 14),
            "held_up",
            LATER,
        )
        assert commitment.context == "Bob thinks Friday is too soon"
        assert commitment.reasons == ["reversible"] and commitment.created_at == AT
        assert [(d.user_id, d.concern, d.state) for d in dissent] == [
            ("U4", "too soon", "committed")
        ]
        assert [(c.user_id, c.answer) for c in checkins] == [("U2", "held_up"), ("U4", "held_up")]
        assert [d.id for d in made] == [1, 2]
        assert [d.id for d in mine] == [3]
        # The export reads as it did at 0004.
        entries = await decision_log(db, team_id="T1", since=None)
        assert [(e["id"], e["kind"], e["review_at"]) for e in entries] == [
            (1, "door", "2026-12-10"),
            (2, "commit", "2026-12-14"),
            (3, "door", None),
        ]
        assert entries[1]["outcome"] == {"result": "held_up", "by": None, "at": LATER.isoformat()}
        assert entries[1]["dissent"][0]["concern"] == "too soon"
        assert entries[0]["outcome"]["by"] == "U2" and entries[0]["sized_as"] == "two_way"
        # New decisions of either kind are numbered after the old ones, never over them.
        async with db.session() as session:
            door, new = await decisions.record_decision(session=session, values=_new("command:new"))
            commit, _ = await commits.record_commitment(
                session=session, values=_new("view:new"), dissenters=["U4"]
            )
        assert new and (door.id, commit.id) == (4, 5)
    finally:
        await db.dispose()


def _new(request_key: str) -> dict[str, Any]:
    keep = (
        "team_id",
        "channel_id",
        "author_id",
        "owner_id",
        "text",
        "door",
        "door_source",
        "reasons",
    )
    return {k: v for k, v in _row(0, "").items() if k in keep} | {
        "request_key": request_key,
        "created_at": LATER,
        "updated_at": LATER,
    }


async def test_the_downgrade_puts_every_decision_back(empty_url: str) -> None:
    await asyncio.to_thread(upgrade, empty_url, "0004")
    await asyncio.to_thread(_fill_0004, empty_url)
    before = await asyncio.to_thread(_decision_rows, empty_url)
    await asyncio.to_thread(upgrade, empty_url)
    config = alembic_config(async_url(empty_url))
    await asyncio.to_thread(command.downgrade, config, "0004")
    after = await asyncio.to_thread(_decision_rows, empty_url)
    assert after == before
