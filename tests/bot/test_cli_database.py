"""Every bad database or port setting stops `doorway` with one line naming it and the fix."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.app import create_services
from bot.services import Services
from bot.serving.http import start_http
from bot.settings import Settings
from console.localslack import LocalSlack
from storage.migrate import head, upgrade
from storage.models import JobState
from tests.bot.test_cli import free_port, run
from tests.bot.test_tick_processes import NINE_UTC, seed_reviews
from tests.driver import TEAM
from tests.signing import SIGNING_SECRET
from tests.ticking import cli_env, doorway, jobs

HTTP = {
    "SLACK_BOT_TOKEN": "xoxb-cli",
    "SLACK_SIGNING_SECRET": "cli-secret",
    "SLACK_API_URL": "http://127.0.0.1:9/api/",
}


def one_line(done: subprocess.CompletedProcess[str], *words: str) -> str:
    """The process failed with exit code 2 and exactly one stderr line holding `words`."""
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def pg_server() -> str:
    """The PostgreSQL server of TEST_DATABASE_URL (its own databases are made per test)."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip("TEST_DATABASE_URL is not set")
    return base


@pytest.fixture
def empty_pg(pg_server: str) -> Iterator[str]:
    """A new, empty (unmigrated) PostgreSQL database, dropped afterwards."""
    name = f"doorway_cli_{uuid.uuid4().hex[:10]}"
    admin = create_engine(
        make_url(pg_server).set(drivername="postgresql+psycopg2"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(pg_server).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.mark.parametrize(
    ("url", "commands"),
    [
        ("postgresql:/nowhere", ("migrate", "tick", "export")),
        ("postgresql://db:port/doorway", ("migrate",)),
        ("mysql://x/y", ("migrate",)),
    ],
)
def test_a_malformed_database_url_is_one_line(
    tmp_path: Path, url: str, commands: tuple[str, ...]
) -> None:
    for command in commands:
        said = one_line(
            run([command], tmp_path, DATABASE_URL=url, SLACK_BOT_TOKEN="xoxb-1"), "DATABASE_URL"
        )
        assert "sqlite:///" in said


def test_a_url_without_a_database_name_is_refused(tmp_path: Path) -> None:
    # Today's migrate would have filled the server's `postgres` database.
    said = one_line(
        run(["migrate"], tmp_path, DATABASE_URL="postgresql://someone:s3cret@127.0.0.1:5432"),
        "DATABASE_URL",
        "names no database",
        "5432/doorway",
    )
    assert "s3cret" not in said


def test_a_database_that_does_not_exist_says_how_to_create_it(
    tmp_path: Path, pg_server: str
) -> None:
    name = f"doorway_missing_{uuid.uuid4().hex[:8]}"
    url = make_url(pg_server).set(database=name).render_as_string(hide_password=False)
    for command in ("migrate", "tick", "export"):
        said = one_line(
            run([command], tmp_path, DATABASE_URL=url, SLACK_BOT_TOKEN="xoxb-1"),
            "DATABASE_URL",
            f"createdb {name}",
        )
        assert "does not exist" in said


def test_a_sqlite_file_in_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    one_line(
        run(["migrate"], tmp_path, DATABASE_URL=f"sqlite:///{tmp_path}/no/such/x.db"),
        "DATABASE_URL",
        "folder",
    )


def test_serve_and_tick_refuse_an_unmigrated_database(tmp_path: Path, empty_pg: str) -> None:
    for command in ("serve", "tick"):
        one_line(
            run([command], tmp_path, DATABASE_URL=empty_pg, PORT=str(free_port()), **HTTP),
            "DATABASE_URL",
            "not migrated",
            "doorway migrate",
        )


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migrate_says_what_it_applied_then_that_there_was_nothing(
    tmp_path: Path, backend: str, request: pytest.FixtureRequest
) -> None:
    url = (
        request.getfixturevalue("empty_pg")
        if backend == "postgresql"
        else f"sqlite:///{tmp_path}/doorway.db"
    )
    first = run(["migrate"], tmp_path, DATABASE_URL=url)
    assert first.returncode == 0, first.stderr
    # Every revision from the first to the head, each named with what it does.
    assert "migration(s): 0001 (initial schema" in first.stdout
    assert f"{head()} (" in first.stdout
    assert f"now at {head()}" in first.stdout
    again = run(["migrate"], tmp_path, DATABASE_URL=url)
    assert again.returncode == 0, again.stderr
    assert f"already up to date (at {head()})" in again.stdout


def test_a_port_in_use_is_blamed_on_port_not_the_database(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        said = one_line(
            run(["serve"], tmp_path, PORT=str(port), **HTTP), f"PORT {port}", "already in use"
        )
    assert "database" not in said.lower()


async def test_healthz_is_503_until_the_schema_is_at_head(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/behind.db"
    settings = Settings(
        _env_file=None,
        slack_bot_token="xoxb-t",  # type: ignore[call-arg]
        slack_signing_secret=SIGNING_SECRET,
        database_url=url,
    )
    services = create_services(settings)
    from bot.app import build_app

    port = free_port()
    async with LocalSlack(team_id=TEAM):
        runner = await start_http(build_app(services), services, host="127.0.0.1", port=port)
        try:
            async with aiohttp.ClientSession() as http:
                async with http.get(f"http://127.0.0.1:{port}/healthz") as answer:
                    assert answer.status == 503
                    assert (await answer.json())["database"] == "behind"
                await asyncio.to_thread(upgrade, url)
                async with http.get(f"http://127.0.0.1:{port}/healthz") as answer:
                    assert answer.status == 200
        finally:
            await runner.cleanup()
            await services.aclose()


def test_tick_with_the_database_down_is_one_line(tmp_path: Path) -> None:
    one_line(
        run(
            ["tick"],
            tmp_path,
            DATABASE_URL="postgresql://nobody@127.0.0.1:1/doorway",
            SLACK_BOT_TOKEN="xoxb-1",
        ),
        "DATABASE_URL",
        "check that it is running",
    )


async def test_tick_with_slack_down_keeps_the_items_and_the_log_names_slack(
    services: Services, local_slack: LocalSlack, database_url: str, tmp_path: Path
) -> None:
    await seed_reviews(services, local_slack, 1)
    env = cli_env(database_url, "http://127.0.0.1:9/api/")  # nothing listens there
    code, out, err = await doorway("tick", "--at", NINE_UTC.isoformat(), env=env, cwd=tmp_path)
    assert code == 0, err
    assert "1 to retry" in out
    [line] = [w for w in err.splitlines() if "review:" in w]
    assert "Slack chat.postMessage" in line and "Traceback" not in err
    [job] = await jobs(services, TEAM, "review:")
    assert job.state == JobState.PENDING and "Slack chat.postMessage" in (job.last_error or "")
