"""Slack's requests over Socket Mode: the socket opened with the app-level token.

Slack authenticates the socket itself, so these requests carry no signature to check; the
HTTP port then serves health only (bot/serving/http.py). A socket Slack won't open is
retried like any unreachable Slack (bot/serving/startup.py), with a fresh URL each time.
"""

from __future__ import annotations

import asyncio
import logging

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

from bot.serving import startup
from bot.settings import Settings


async def connect(settings: Settings, app: AsyncApp, stop: asyncio.Event) -> AsyncSocketModeHandler:
    """The tokens checked and the socket open, retrying until Slack answers.

    Raises SettingsError when Slack refuses a token and startup.Stopped when a signal
    comes first.
    """
    attempt = 0
    while True:
        wss_url, attempt = await startup.tokens_checked(settings, stop, after=attempt)
        handler = _handler(settings, app)
        handler.client.wss_uri = wss_url  # the URL the token check was just issued
        connected = await startup.reach(
            _open(handler), stop=stop, number=attempt, url=wss_url.split("?", 1)[0]
        )
        if connected:
            return handler
        await handler.close_async()


async def _open(handler: AsyncSocketModeHandler) -> bool:
    await handler.connect_async()
    return True


def _handler(settings: Settings, app: AsyncApp) -> AsyncSocketModeHandler:
    sdk_log = logging.getLogger("doorway.socket_mode")
    sdk_log.addFilter(startup.OneLine())
    assert settings.slack_app_token is not None
    return AsyncSocketModeHandler(app, settings.slack_app_token.get_secret_value(), logger=sdk_log)
