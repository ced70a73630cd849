"""The long-running process behind `doorway serve`.

Start: health on PORT (and, over HTTP, Slack's requests), the tokens checked with Slack,
then Socket Mode connected. SIGTERM or SIGINT stops it at any point, even while it is
still reaching Slack.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot import startup
from bot.app import build_app
from bot.runtime import create_services, migrate_if_embedded
from bot.scheduler import DoorwayScheduler, start_scheduler
from bot.server import EVENTS_PATH, start_http
from bot.services import Services
from bot.settings import Settings

log = logging.getLogger("doorway.serve")


async def run(settings: Settings) -> None:
    """Serve until SIGINT/SIGTERM, then stop cleanly."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await asyncio.to_thread(migrate_if_embedded, settings)
    if stop.is_set():
        return
    services = create_services(settings)
    try:
        await _serve(settings, services, stop)
    finally:
        await services.aclose()


async def _serve(settings: Settings, services: Services, stop: asyncio.Event) -> None:
    app = build_app(services, socket_mode=settings.socket_mode)
    runner = await start_http(app, services, host="0.0.0.0", port=settings.port,
                              serve_slack=not settings.socket_mode)
    scheduler: DoorwayScheduler | None = None
    socket_handler: Any = None
    try:
        socket_handler = await _connect(settings, app, stop)
        if socket_handler is not None:
            log.info("Doorway is connected to Slack over Socket Mode "
                     "(health on http://0.0.0.0:%s/healthz)", settings.port)
        else:
            log.info("Doorway is serving Slack on http://0.0.0.0:%s%s", settings.port,
                     EVENTS_PATH)
        scheduler = start_scheduler(services)
        await stop.wait()
    except startup.Stopped:
        pass
    finally:
        log.info("Doorway is stopping")
        if socket_handler is not None:
            await socket_handler.close_async()
        if scheduler is not None:
            await scheduler.stop()  # lets a running tick finish first
        await runner.cleanup()


async def _connect(settings: Settings, app: AsyncApp, stop: asyncio.Event) -> Any:
    """Check the tokens (and connect Socket Mode), retrying until Slack answers.

    Returns the Socket Mode handler, or None over HTTP. Raises SettingsError when Slack
    refuses a token and startup.Stopped when a signal comes first.
    """
    attempt = 0
    while True:
        attempt += 1
        wss_url = await startup.reach(startup.check_tokens(settings), stop=stop,
                                      number=attempt, url=settings.slack_api_url)
        if wss_url is None:
            continue
        if not settings.socket_mode:
            return None
        handler = _socket_handler(settings, app)
        handler.client.wss_uri = wss_url  # the URL the token check was just issued
        connected = await startup.reach(_open(handler), stop=stop, number=attempt,
                                        url=wss_url.split("?", 1)[0])
        if connected:
            return handler
        await handler.close_async()


async def _open(handler: Any) -> bool:
    await handler.connect_async()
    return True


def _socket_handler(settings: Settings, app: AsyncApp) -> Any:
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    sdk_log = logging.getLogger("doorway.socket_mode")
    sdk_log.addFilter(startup.OneLine())
    assert settings.slack_app_token is not None
    return AsyncSocketModeHandler(app, settings.slack_app_token.get_secret_value(),
                                  logger=sdk_log)
