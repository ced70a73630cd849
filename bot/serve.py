"""The long-running process behind `doorway serve`."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import signal

from aiohttp import web
from slack_bolt.async_app import AsyncApp

from bot.app import build_app
from bot.runtime import create_services, ready_database
from bot.server import EVENTS_PATH, start_http
from bot.services import Services
from bot.settings import Settings, SettingsError

log = logging.getLogger("doorway.serve")


async def run(settings: Settings) -> None:
    """Serve until SIGINT/SIGTERM, then stop cleanly."""
    services = create_services(settings)
    try:
        await ready_database(settings, services)
        app = build_app(services)
        runner = await _listen(app, services, port=settings.port)
    except BaseException:
        await services.aclose()
        raise
    from bot.scheduler import start_scheduler

    scheduler = start_scheduler(services)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
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


async def _listen(app: AsyncApp, services: Services, *, port: int) -> web.AppRunner:
    """Bind the HTTP port, or say in one line why PORT can't be used."""
    try:
        return await start_http(app, services, host="0.0.0.0", port=port)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise SettingsError(f"PORT {port} is already in use by another process: stop it, "
                                "or set PORT to a free port") from None
        if exc.errno == errno.EACCES:
            raise SettingsError(f"PORT {port} needs privileges this process lacks: "
                                "set PORT to 1024 or above") from None
        raise SettingsError(f"can't listen on PORT {port} ({exc.strerror}): "
                            "set PORT to a free port") from None
