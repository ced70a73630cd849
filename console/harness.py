"""The bot, a local Slack and the wire between them, all in this process.

LocalSlack stands in for the Slack Web API; the real Bolt app is built from the
settings (with a made-up token and signing secret) and served over HTTP, and every
request the console sends it is signed as Slack signs them, so it passes the same
signature check and reaches the same listeners as in production.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from pydantic import SecretStr

from bot.app import (
    EVENTS_PATH,
    Clock,
    Services,
    Settings,
    build_app,
    create_services,
    migrate_if_embedded,
    signed_headers,
    start_http,
)
from console import payloads
from console.localslack import LocalSlack
from console.people import TEAM_DOMAIN, TEAM_ID

QUIET = 0.15  # seconds without a new call before the bot counts as done answering
PATIENCE = 8.0  # at most this long while the bot is still working (the model times out at 4 s)
POLL = 0.02
REQUEST_TIMEOUT = 10.0
# The console keeps its own decisions, always: never `serve`'s database or production's, so a
# `tick` can't send real reminders to the pretend workspace (DATABASE_URL is ignored).
DATABASE_FILE = "doorway-console.db"
DATABASE_URL = f"sqlite:///./{DATABASE_FILE}"
# Next to it, the console's clock: after `tick +15d` the decisions' dates are two weeks
# ahead, and a restart must not bring the clock back behind them.
CLOCK_FILE = "doorway-console.clock"


def restored_clock(path: Path) -> Clock | None:
    """The clock as the last session left it, if it is still ahead of real time."""
    try:
        saved = datetime.fromisoformat(path.read_text("utf-8").strip())
    except (OSError, ValueError):
        return None
    if saved.tzinfo is None or saved <= datetime.now(UTC):
        return None
    return Clock(at=saved)


def save_clock(path: Path, clock: Clock) -> None:
    with contextlib.suppress(OSError):  # a clock we can't keep starts from now next time
        path.write_text(clock.now().isoformat() + "\n", "utf-8")


@dataclass
class Reply:
    status: int
    body: str

    def json(self) -> dict[str, Any] | None:
        try:
            parsed = json.loads(self.body) if self.body.strip() else None
        except json.JSONDecodeError:
            return None
        return parsed if isinstance(parsed, dict) else None


def _check_sqlite_file(url: str) -> None:
    """Say plainly when a SQLite file can't be made, before a migration fails on it noisily."""
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    if not name or name == ":memory:":
        return
    path = Path(name)
    folder = path.parent.resolve()
    if not folder.is_dir():
        raise FileNotFoundError(f"there is no folder {folder} for the SQLite file")
    if not os.access(path if path.exists() else folder, os.W_OK):
        raise PermissionError(f"{path if path.exists() else folder} is not writable")


class Harness:
    def __init__(self, settings: Settings) -> None:
        self.token = "xoxb-console-" + secrets.token_hex(12)
        self.secret = secrets.token_hex(16)
        # Message timestamps from now on, as in Slack: the console's database outlives a
        # session, and what it keys by (channel, ts), e.g. one :chair: question per message,
        # must not match the same-numbered message of an earlier session.
        self.slack = LocalSlack(
            token=self.token,
            team_id=TEAM_ID,
            team_domain=TEAM_DOMAIN,
            first_ts=int(time.time() * 10_000) - 1_700_000_000 * 10_000,
        )
        self.base_settings = settings
        self.services: Services | None = None
        self.clock_restored = False
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> Services:
        await self.slack.start()
        settings = self.base_settings.model_copy(
            update={
                "slack_bot_token": SecretStr(self.token),
                "slack_signing_secret": SecretStr(self.secret),
                "slack_app_token": None,
                "slack_api_url": self.slack.api_url,
                "database_url": DATABASE_URL,
            }
        )
        _check_sqlite_file(settings.database_url)
        await asyncio.to_thread(migrate_if_embedded, settings)
        clock = restored_clock(Path(CLOCK_FILE))
        self.clock_restored = clock is not None
        self.services = create_services(settings, clock=clock or Clock(), bot_token=self.token)
        app = build_app(self.services, signing_secret=self.secret, token=self.token)
        self._runner = await start_http(app, self.services, host="127.0.0.1", port=0)
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}{EVENTS_PATH}"
        return self.services

    def save_clock(self) -> None:
        if self.services is not None:
            save_clock(Path(CLOCK_FILE), self.services.clock)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self.services is not None:
            self.save_clock()
            await self.services.aclose()
            self.services = None
        await self.slack.stop()

    # -- sending -------------------------------------------------------------------------

    async def send(self, body: str, content_type: str = payloads.FORM) -> Reply:
        """POST a signed body as Slack would; returns the bot's answer (its ack)."""
        headers = signed_headers(body, self.secret, content_type=content_type)
        timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
        # A fresh connection each time, closed after: nothing lingers between inputs.
        connector = aiohttp.TCPConnector(force_close=True)
        async with (
            aiohttp.ClientSession(timeout=timeout, connector=connector) as session,
            session.post(self.url, data=body.encode(), headers=headers) as response,
        ):
            return Reply(response.status, await response.text())

    async def interact(self, payload: dict[str, Any]) -> Reply:
        return await self.send(payloads.interactive(payload))

    async def event(self, event: dict[str, Any], actor: payloads.Actor) -> Reply:
        body = payloads.event_callback(event, actor, bot_user_id=self.slack.user_id)
        return await self.send(body, payloads.JSON)

    # -- waiting for the bot ------------------------------------------------------------------

    def busy_marker(self) -> set[asyncio.Task[Any]]:
        """The tasks running before an input; any others after it are the bot at work."""
        return set(asyncio.all_tasks())

    async def settle(self, before: set[asyncio.Task[Any]]) -> None:
        """Wait until the bot has finished answering: no work left, LocalSlack quiet."""
        loop = asyncio.get_running_loop()
        me = asyncio.current_task()
        start = loop.time()
        count, changed = len(self.slack.calls()), start
        while loop.time() - start < PATIENCE:
            await asyncio.sleep(POLL)
            now = loop.time()
            calls = self.slack.calls()
            if len(calls) != count:
                count, changed = len(calls), now
            working = any(t is not me for t in asyncio.all_tasks() - before)
            unanswered = any(not c.answered for c in calls)
            if not working and not unanswered and now - changed >= QUIET:
                return
