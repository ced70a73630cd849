"""Shared fixtures: a database per test (SQLite, and PostgreSQL when configured), a local
Slack that validates every payload against Block Kit, and the bot served over HTTP."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.app import create_services
from bot.clock import Clock
from bot.services import Services
from bot.settings import Settings
from console.localslack import LocalSlack
from storage.migrate import upgrade
from tests.blockkit import assert_valid_call
from tests.driver import ALICE, BOB, CAROL, CHANNEL, PRIVATE, TEAM, BotDriver, serve_bot
from tests.signing import SIGNING_SECRET

IN_CI = os.environ.get("CI", "").lower() == "true"


def _backends() -> list[str]:
    return ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A PostgreSQL database of this test session's own, dropped at the end.

    TEST_DATABASE_URL names the server; without it PostgreSQL tests skip, except in CI.
    """
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        if IN_CI:
            pytest.fail("CI=true but TEST_DATABASE_URL is not set: PostgreSQL tests must run")
        pytest.skip("TEST_DATABASE_URL is not set")
    admin_url = make_url(base).set(drivername="postgresql+psycopg2")
    name = f"doorway_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - any failure here means "no PostgreSQL"
        if IN_CI:
            pytest.fail(f"PostgreSQL at TEST_DATABASE_URL is not usable: {exc}")
        pytest.skip(f"PostgreSQL at TEST_DATABASE_URL is not usable: {exc}")
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (migrating every time is slow)."""
    path = tmp_path_factory.mktemp("template") / "doorway.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(params=_backends())
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """A fresh, migrated database for one test, on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "doorway.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("pg_url")
    _truncate_all(url)
    return url


def _truncate_all(url: str) -> None:
    from sqlmodel import SQLModel

    import storage.models  # noqa: F401

    engine = create_engine(make_url(url).set(drivername="postgresql+psycopg2"))
    names = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
async def local_slack() -> AsyncIterator[LocalSlack]:
    """A Slack Web API on a local port; every payload the bot sends must be valid Block Kit."""
    problems: list[str] = []

    def validate(call: object) -> None:
        try:
            assert_valid_call(call)
        except Exception as exc:
            problems.append(f"{getattr(call, 'method', '?')}: {exc}")
            raise

    slack = LocalSlack(team_id=TEAM, validator=validate)
    await slack.start()
    slack.add_user(ALICE, name="alice", real_name="Alice Adams", tz="America/New_York")
    slack.add_user(BOB, name="bob", real_name="Bob Brown", tz="Europe/London")
    slack.add_user(CAROL, name="carol", real_name="Carol Chen", tz="Asia/Tokyo")
    slack.add_channel(CHANNEL, name="general", is_private=False)
    slack.add_channel(PRIVATE, name="secret-project", is_private=True)
    try:
        yield slack
    finally:
        await slack.stop()
    assert not problems, "the bot sent payloads Slack would refuse:\n" + "\n".join(problems)


@pytest.fixture
def settings(database_url: str, local_slack: LocalSlack) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token="xoxb-test-token",
        slack_signing_secret=SIGNING_SECRET,
        slack_app_token=None,
        slack_api_url=local_slack.api_url,
        database_url=database_url,
        openai_api_key=None,
        openai_base_url=None,
    )


@pytest.fixture
async def services(settings: Settings) -> AsyncIterator[Services]:
    built = create_services(settings, clock=Clock())
    try:
        yield built
    finally:
        await built.aclose()


@pytest.fixture
async def bot(services: Services, local_slack: LocalSlack) -> AsyncIterator[BotDriver]:
    """The bot served over HTTP, and a driver that talks to it as Slack does."""
    async with serve_bot(services) as url:
        yield BotDriver(url=url, slack=local_slack, services=services)
