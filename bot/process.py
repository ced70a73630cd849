"""The two processes Doorway runs: `doorway serve`, long-running, and `doorway tick`, one pass.

Serve starts: health on PORT (and, over HTTP, Slack's requests: bot/serving/http.py), the
tokens checked with Slack, Socket Mode connected (bot/serving/socket_mode.py), the
scheduler started, then the requests an earlier stop kept are replayed
(bot/serving/resume.py).

Serve stops (SIGTERM or SIGINT, at any point, even while still reaching Slack): no new
requests (the socket is closed; HTTP answers 503 so Slack retries), acknowledged work gets
the grace period (DOORWAY_GRACE_SECONDS, 20 s by default) to finish, what is still running
then is kept to be replayed by the next start, and the process exits. A second signal ends
the grace period at once (what is left is kept).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from datetime import datetime
from typing import Any

from bot.app import build_app, create_services
from bot.schedule import retention
from bot.schedule.jobs import TickReport, run_due
from bot.schedule.scheduler import DoorwayScheduler, start_scheduler
from bot.services import Services
from bot.serving import http, resume, socket_mode, startup
from bot.serving.database import ready_database
from bot.serving.dispatch import DoorwayApp
from bot.settings import Settings, SettingsError

log = logging.getLogger("doorway.serve")
RESUME_SETTLE = 2.0  # seconds for the replayer to mark finished replays done


async def run(settings: Settings) -> None:
    """Serve until SIGINT/SIGTERM, then stop cleanly."""
    stop, hurry = asyncio.Event(), asyncio.Event()

    def on_signal() -> None:
        (hurry if stop.is_set() else stop).set()

    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, on_signal)
    services = create_services(settings)
    try:
        # Migrates SQLite; refuses (one line) a PostgreSQL schema that is not at head.
        await ready_database(settings, services)
        # The in-process scheduler runs the daily prune; each run plans the next.
        await retention.plan(services, after=services.clock.now())
        if not stop.is_set():
            await _serve(settings, services, stop, hurry)
    finally:
        await services.aclose()


async def _serve(
    settings: Settings, services: Services, stop: asyncio.Event, hurry: asyncio.Event
) -> None:
    app = build_app(services, socket_mode=settings.socket_mode)
    runner = await http.listen(
        app, services, port=settings.port, serve_slack=not settings.socket_mode
    )
    scheduler: DoorwayScheduler | None = None
    socket_handler: Any = None
    resuming: asyncio.Task[int] | None = None
    try:
        socket_handler = await _connect(settings, app, stop)
        if socket_handler is not None:
            log.info(
                "Doorway is connected to Slack over Socket Mode "
                "(health on http://0.0.0.0:%s/healthz)",
                settings.port,
            )
        else:
            log.info(
                "Doorway is serving Slack on http://0.0.0.0:%s%s%s",
                settings.port,
                http.EVENTS_PATH,
                " (any workspace installs it from /slack/install)" if settings.oauth else "",
            )
        scheduler = start_scheduler(services)
        resuming = asyncio.ensure_future(_resume(services, app))
        await stop.wait()
    except startup.Stopped:
        pass
    finally:
        log.info("Doorway is stopping")
        services.inflight.accepting = False
        if socket_handler is not None:
            await socket_handler.close_async()
        await _drain(services, scheduler, settings.doorway_grace_seconds, hurry)
        if resuming is not None:
            # Its replays are done or kept by now; let it settle their rows, then stop it.
            await asyncio.wait({resuming}, timeout=RESUME_SETTLE)
            resuming.cancel()
            await asyncio.gather(resuming, return_exceptions=True)
        await runner.cleanup()


async def _resume(services: Services, app: DoorwayApp) -> int:
    """Replay what an earlier stop kept; a failure is logged and left to the next start."""
    try:
        return await resume.resume(services, app)
    except Exception as exc:  # noqa: BLE001 - serving goes on; the rows stay kept
        log.error(
            "could not replay the requests an earlier stop kept (%s: %s); the next "
            "start tries again",
            type(exc).__name__,
            str(exc).splitlines()[0][:200] if str(exc) else "",
        )
        return 0


async def _connect(settings: Settings, app: DoorwayApp, stop: asyncio.Event) -> Any:
    """Reach Slack: over Socket Mode the socket's handler, over HTTP None once the tokens
    check out. Raises SettingsError when Slack refuses a token and startup.Stopped when a
    signal comes first."""
    if settings.socket_mode:
        return await socket_mode.connect(settings, app, stop)
    await startup.tokens_checked(settings, stop)
    return None


async def _drain(
    services: Services, scheduler: DoorwayScheduler | None, grace: float, hurry: asyncio.Event
) -> None:
    """Let acknowledged work finish within `grace` seconds (or until `hurry`); keep the rest."""
    ticking = scheduler.stop(grace) if scheduler is not None else asyncio.sleep(0)
    try:
        finished, _ = await startup.until_stopped(
            asyncio.gather(services.inflight.idle_within(grace), ticking), hurry
        )
    except startup.Stopped:
        finished = False
        if scheduler is not None:
            await scheduler.stop(0)  # a tick cut short runs again after its lease
    if finished:
        return
    left = services.inflight.unfinished()
    kept = await resume.keep(services, left)
    log.warning(
        "%d request(s) still running when the grace period (%g s) ended; %d kept "
        "for the next start to finish",
        len(left),
        grace,
        kept,
    )
    await services.inflight.cancel()


async def tick_once(settings: Settings, *, at: datetime) -> TickReport:
    """`doorway tick`: one pass over everything due at `at`, then the process ends."""
    if settings.slack_bot_token is None and not settings.oauth:
        raise SettingsError(
            "SLACK_BOT_TOKEN (or SLACK_CLIENT_ID …) is not set: `doorway tick` sends messages "
            "to Slack"
        )
    services = create_services(settings)
    try:
        await ready_database(settings, services)
        return await run_due(services, at=at)
    finally:
        await services.aclose()
