"""Moving time in tests the way `doorway serve` does: set the clock, then run what is due."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.schedule.jobs import TickReport, run_due
from bot.services import Services
from storage.models import Job
from storage.queries.jobs import list_jobs

DOORWAY = str(Path(sys.executable).with_name("doorway"))


def local(zone: str, year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An aware datetime on a wall clock, e.g. local("America/New_York", 2026, 12, 4, 9)."""
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone))


async def tick(services: Services, at: datetime) -> TickReport:
    """What the scheduler does each minute, at `at`."""
    services.clock.set(at)
    return await run_due(services, at=at)


async def jobs(services: Services, team_id: str, prefix: str = "") -> list[Job]:
    async with services.db.session() as session:
        return list(await list_jobs(session=session, team_id=team_id, key_prefix=prefix))


def cli_env(database_url: str, slack_api_url: str) -> dict[str, str]:
    """The environment of a `doorway` process pointed at the test's database and Slack."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "OPENAI_", "DATABASE_", "DOORWAY_"))
    }
    env.update(
        DATABASE_URL=database_url,
        SLACK_API_URL=slack_api_url,
        SLACK_BOT_TOKEN="xoxb-test-token",
        DOORWAY_LOG_LEVEL="WARNING",
    )
    return env


async def doorway(*args: str, env: dict[str, str], cwd: Path) -> tuple[int, str, str]:
    """Run the `doorway` command; (exit code, stdout, stderr)."""
    process = await asyncio.create_subprocess_exec(
        DOORWAY,
        *args,
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def export(env: dict[str, str], cwd: Path) -> list[dict[str, Any]]:
    code, out, err = await doorway("export", "--format", "json", env=env, cwd=cwd)
    assert code == 0, err
    entries: list[dict[str, Any]] = json.loads(out)
    return entries
