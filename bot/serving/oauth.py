"""OAuth installs (HTTP mode, SLACK_CLIENT_ID …): `GET /slack/install` sends the installer
to Slack with a fresh state; `GET /slack/oauth_redirect` checks that state, trades the code
for the workspace's bot token (oauth.v2.access at SLACK_API_URL) and keeps it, encrypted
(storage/installations.py). Requests are then authorized with that workspace's token by
Bolt's installation-store authorize, which also refreshes tokens about to expire (token
rotation) through the same client.

A forged, replayed or expired state, a refused code or an install cancelled at Slack is a
4xx page saying what to do; Slack or the database failing is a 502/503 saying so.
"""

from __future__ import annotations

import html
import logging
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.oauth.async_callback_options import (
    AsyncCallbackOptions,
    AsyncFailureArgs,
    AsyncSuccessArgs,
)
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from bot.services import Services
from bot.slack.failures import what_failed
from storage.installations import SignedStateStore

log = logging.getLogger("doorway.oauth")

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
# The bot scopes of manifest.yml (tests/bot/serving/test_oauth.py holds them equal).
SCOPES = (
    "commands",
    "chat:write",
    "canvases:write",
    "chat:write.public",
    "im:write",
    "users:read",
    "reactions:read",
    "channels:history",
    "groups:history",
    "channels:read",
    "groups:read",
)
# Bolt refreshes a rotating token this long before it expires (its default).
ROTATE_MINUTES_BEFORE = 120

_WHY = {
    "invalid_browser": "this link was opened in another browser than the one that started "
    "the install",
    "invalid_state": "this install link is not one Doorway gave out, has been used already, "
    "or is more than ten minutes old",
    "missing_code": "Slack's answer carries no code",
    "invalid_code": "Slack did not accept the code (it is used or expired)",
    "access_denied": "the install was cancelled in Slack",
    "storage_error": "the install could not be saved",
}


def app_arguments(services: Services) -> dict[str, Any]:
    """What the AsyncApp needs to keep and use many workspaces' installs."""
    settings, store = services.settings, services.installations
    assert store is not None and settings.slack_client_id and settings.slack_client_secret
    assert settings.slack_state_secret is not None
    client_secret = settings.slack_client_secret.get_secret_value()
    flow = AsyncOAuthFlow(
        # Bolt's flow would call slack.com itself; this one calls SLACK_API_URL.
        client=services.slack,
        settings=AsyncOAuthSettings(
            client_id=settings.slack_client_id,
            client_secret=client_secret,
            scopes=list(SCOPES),
            install_path=INSTALL_PATH,
            redirect_uri_path=REDIRECT_PATH,
            install_page_rendering_enabled=False,
            installation_store=store,
            installation_store_bot_only=True,
            token_rotation_expiration_minutes=ROTATE_MINUTES_BEFORE,
            state_store=SignedStateStore(
                db=services.db, secret=settings.slack_state_secret.get_secret_value()
            ),
            callback_options=AsyncCallbackOptions(success=_installed, failure=_not_installed),
        ),
    )
    authorize = AsyncInstallationStoreAuthorize(
        logger=log,
        installation_store=store,
        client_id=settings.slack_client_id,
        client_secret=client_secret,
        token_rotation_expiration_minutes=ROTATE_MINUTES_BEFORE,
        bot_only=True,
        # One auth.test per token, not per request (a rotated token is a new entry).
        cache_enabled=True,
        client=services.slack,  # token rotation at SLACK_API_URL too
    )
    return {
        "installation_store": store,
        "installation_store_bot_only": True,
        "oauth_flow": flow,
        "authorize": authorize,
    }


def add_routes(application: web.Application, app: AsyncApp) -> None:
    """The install and redirect pages; without OAuth, a 404 that says why."""
    flow = app.oauth_flow

    async def install(request: web.Request) -> web.Response:
        if flow is None:
            return _single_workspace()
        return await _answer(lambda: flow.handle_installation(_bolt_request(request)))

    async def redirect(request: web.Request) -> web.Response:
        if flow is None:
            return _single_workspace()
        return await _answer(lambda: flow.handle_callback(_bolt_request(request)))

    application.router.add_get(INSTALL_PATH, install)
    application.router.add_get(REDIRECT_PATH, redirect)


def _bolt_request(request: web.Request) -> AsyncBoltRequest:
    return AsyncBoltRequest(body="", query=request.query_string, headers=dict(request.headers))


async def _answer(handle: Any) -> web.Response:
    try:
        return await to_aiohttp_response(await handle())
    except Exception as exc:
        failed = what_failed(exc)
        if failed is None:
            raise
        # The code is not logged: it is a credential for a few minutes.
        log.warning("an install could not finish: %s failed (%s)", failed, type(exc).__name__)
        return _page(
            502 if failed == "slack" else 503,
            "Doorway could not finish installing",
            f"{'Slack' if failed == 'slack' else 'Its database'} did not answer. "
            f"Try again in a minute from {INSTALL_PATH}.",
        )


def _single_workspace() -> web.Response:
    return _page(
        404,
        "No install page here",
        "This Doorway serves one workspace (SLACK_BOT_TOKEN). To let any workspace install "
        "it, set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET and "
        "DOORWAY_ENCRYPTION_KEY instead (see the README).",
    )


async def _installed(args: AsyncSuccessArgs) -> BoltResponse:
    team = args.installation.team_name or args.installation.enterprise_name or "your workspace"
    log.info(
        "Doorway installed in %s (%s)",
        args.installation.team_id or args.installation.enterprise_id,
        "org-wide" if args.installation.is_enterprise_install else "one workspace",
    )
    return _bolt_page(
        200,
        "Doorway is installed",
        f"Doorway is ready in {team}. Type /door help in any channel to start.",
    )


async def _not_installed(args: AsyncFailureArgs) -> BoltResponse:
    # The reason may be an `error=` anyone typed into the address: one printable line.
    reason = "".join(c if c.isprintable() else "?" for c in args.reason[:60])
    why = _WHY.get(args.reason, "Slack answered with " + reason)
    log.info("an install was refused: %s", reason)
    status = 503 if args.reason == "storage_error" else 400
    return _bolt_page(
        status,
        "Doorway was not installed",
        f"Not installed: {why}. Start again from {INSTALL_PATH}.",
    )


def _html(title: str, text: str) -> str:
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"</head><body><h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></body></html>"
    )


def _bolt_page(status: int, title: str, text: str) -> BoltResponse:
    return BoltResponse(
        status=status, body=_html(title, text), headers={"Content-Type": "text/html; charset=utf-8"}
    )


def _page(status: int, title: str, text: str) -> web.Response:
    return web.Response(status=status, text=_html(title, text), content_type="text/html")
