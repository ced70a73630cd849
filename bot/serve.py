"""The long-running process behind `doorway serve`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from bot.app import build_app
from bot.runtime import create_services, migrate_if_embedded
from bot.server import EVENTS_PATH, start_http
from bot.settings import Settings

log = logging.getLogger("doorway.serve")


async def run(settings: Settings) -> None:
    """Serve until SIGINT/SIGTERM, then stop cleanly."""
    await asyncio.to_thread(migrate_if_embedded, settings)
    services = create_services(settings)
    app = build_app(services)
    from bot.scheduler import start_scheduler

    scheduler = start_scheduler(services)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    runner = await start_http(app, services, host="0.0.0.0", port=settings.port)
    socket_handler = None
    try:
        if settings.socket_mode:
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

            assert settings.slack_app_token is not None
            socket_handler = AsyncSocketModeHandler(
                app, settings.slack_app_token.get_secret_value()
            )
            await socket_handler.connect_async()
            log.info("Doorway is connected to Slack over Socket Mode "
                     "(health on http://0.0.0.0:%s/healthz)", settings.port)
        else:
            log.info("Doorway is serving Slack on http://0.0.0.0:%s%s", settings.port,
                     EVENTS_PATH)
        await stop.wait()
    finally:
        log.info("Doorway is stopping")
        await scheduler.stop()  # lets a running tick finish first
        if socket_handler is not None:
            await socket_handler.close_async()
        await runner.cleanup()
        await services.aclose()
