"""Builds the Bolt app: the platform's middleware and each room's listeners. No handler logic."""

from __future__ import annotations

import logging
import secrets

from bot import errors
from bot.context import SERVICES
from bot.dispatch import DoorwayApp
from bot.failures import SlackClient, SlackRespond
from bot.rooms import ROOMS
from bot.services import Services
from bot.slack import single_workspace_authorize

log = logging.getLogger(__name__)


def build_app(
    services: Services,
    *,
    signing_secret: str | None = None,
    token: str | None = None,
    socket_mode: bool = False,
) -> DoorwayApp:
    """An AsyncApp wired to `services`; secrets default to the settings' own.

    It fails closed: signature checking is never turned off. Without a signing secret it
    builds only for Socket Mode, whose requests Bolt does not verify (Slack authenticated
    the socket itself); an HTTP request reaching such an app is still checked, against a
    secret nobody knows, and refused.
    """
    settings = services.settings
    if not signing_secret and settings.slack_signing_secret is not None:
        signing_secret = settings.slack_signing_secret.get_secret_value()
    if token is None and settings.slack_bot_token is not None:
        token = settings.slack_bot_token.get_secret_value()
    if token is None:
        raise ValueError("a bot token is needed to build the app")
    if not signing_secret:
        if not socket_mode:
            raise ValueError(
                "a signing secret is needed to build the app for HTTP "
                "(SLACK_SIGNING_SECRET): every HTTP request is signature-checked"
            )
        signing_secret = secrets.token_hex(32)
    app = DoorwayApp(
        inflight=services.inflight,
        name="doorway",
        client=services.slack,
        authorize=single_workspace_authorize(token, services.slack),
        signing_secret=signing_secret,
        request_verification_enabled=True,
        process_before_response=False,
    )
    errors.register(app)

    @app.middleware
    async def attach_services(context, next):  # type: ignore[no-untyped-def]
        context[SERVICES] = services
        # Listeners get clients whose failures to reach Slack say so (bot/failures.py).
        if context.bot_token == services.slack.token and isinstance(services.slack, SlackClient):
            context["client"] = services.slack
        else:
            context["client"] = SlackClient.like(services.slack, token=context.bot_token)
        if context.response_url:
            context["respond"] = SlackRespond(response_url=context.response_url)
        await next()

    for room in ROOMS:
        room.register(app, services)
    return app
