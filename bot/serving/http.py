"""Slack's requests over HTTP: `POST /slack/events`, each checked by the gate
(bot/serving/gate.py) before Bolt sees it, and `/healthz` for load balancers.

In Socket Mode this port serves health only (bot/serving/socket_mode.py)."""

from __future__ import annotations

import asyncio
import errno
import logging

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_sdk.signature import SignatureVerifier

from bot.logs import ONE_LINE_BAD_REQUESTS
from bot.services import Services
from bot.serving import oauth
from bot.serving.gate import Refused, admit
from bot.settings import SettingsError
from storage.migrate import schema_health

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_BUDGET = 2.0
LISTEN_BACKLOG = 2048  # the kernel caps it at net.core.somaxconn


def web_app(app: AsyncApp, services: Services, *, serve_slack: bool = True) -> web.Application:
    """The HTTP surface: Slack's requests in (unless `serve_slack` is off), health out.

    In Socket Mode Slack's requests arrive over the socket and the app checks no
    signatures on them, so the port serves health only: nobody can post to it.
    """
    secret = services.settings.slack_signing_secret
    verifier = (
        SignatureVerifier(secret.get_secret_value())
        if secret is not None and secret.get_secret_value().strip()
        else None
    )

    async def slack_events(request: web.Request) -> web.Response:
        admitted = admit(
            await request.read(), request.headers, query=request.query_string, verifier=verifier
        )
        if isinstance(admitted, Refused):
            return web.Response(status=admitted.status, text=f"Doorway: {admitted.reason}.")
        return await to_aiohttp_response(await app.async_dispatch(admitted))

    async def healthz(_: web.Request) -> web.Response:
        if not services.inflight.accepting:
            # Stopping (after SIGTERM): a load balancer should send its traffic elsewhere.
            return web.json_response({"ok": False, "draining": True}, status=503)
        # Healthy only when the schema is the one this code needs: a release whose
        # `doorway migrate` has not run yet would fail every query it serves.
        try:
            async with asyncio.timeout(HEALTH_BUDGET):
                database = await schema_health(services.db.engine)
        except TimeoutError:
            database = "unreachable"
        if database == "ok":
            return web.json_response({"ok": True, "database": "ok"})
        return web.json_response({"ok": False, "database": database}, status=503)

    application = web.Application()
    if serve_slack:
        application.router.add_post(EVENTS_PATH, slack_events)
        oauth.add_routes(application, app)
    application.router.add_get("/healthz", healthz)
    return application


async def start_http(
    app: AsyncApp, services: Services, *, host: str, port: int, serve_slack: bool = True
) -> web.AppRunner:
    """Start serving; the caller keeps the runner and calls `cleanup()` to stop."""
    logging.getLogger("aiohttp.server").addFilter(ONE_LINE_BAD_REQUESTS)  # once: same filter
    runner = web.AppRunner(web_app(app, services, serve_slack=serve_slack), access_log=None)
    await runner.setup()
    # aiohttp listens with a backlog of 128: a burst of 500 connections overflows it, and a
    # client whose SYN is dropped retries it only after a second.
    await web.TCPSite(runner, host, port, backlog=LISTEN_BACKLOG).start()
    return runner


async def listen(
    app: AsyncApp, services: Services, *, port: int, serve_slack: bool
) -> web.AppRunner:
    """Bind the HTTP port, or say in one line why PORT can't be used (never the database)."""
    try:
        return await start_http(app, services, host="0.0.0.0", port=port, serve_slack=serve_slack)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise SettingsError(
                f"PORT {port} is already in use by another process: stop it, "
                "or set PORT to a free port"
            ) from None
        if exc.errno == errno.EACCES:
            raise SettingsError(
                f"PORT {port} needs privileges this process lacks: set PORT to 1024 or above"
            ) from None
        raise SettingsError(
            f"can't listen on PORT {port} ({exc.strerror}): set PORT to a free port"
        ) from None
