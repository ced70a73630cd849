"""The composition root: the one place that names the rooms.

It builds `Services` once, with each room's scheduled work and digest sections, and the Bolt
app with the platform's middleware and each room's listeners. No handler logic.

It is also the platform's public surface (`__all__`): what embeds the bot, such as the
console, imports from here and nowhere else in `bot` (an import contract holds it to that).
"""

from __future__ import annotations

import logging
import secrets
from typing import TYPE_CHECKING, Protocol

from slack_bolt.async_app import AsyncApp

from bot import dates as dates  # for the console: it imports bot.app only
from bot import errors
from bot.clock import Clock
from bot.decisions.digest_sections import SectionProvider
from bot.listeners import uninstall
from bot.listeners.context import SERVICES
from bot.model.client import model_client_from
from bot.schedule import retention
from bot.schedule.jobs import JobRegistry, TickReport, run_due
from bot.services import Services
from bot.serving import oauth
from bot.serving.database import migrate_if_embedded
from bot.serving.dispatch import DoorwayApp
from bot.serving.http import EVENTS_PATH, start_http
from bot.settings import Settings
from bot.slack import markup as markup  # for the console: it imports bot.app only
from bot.slack.client import SlackRespond, single_workspace_authorize, web_client
from bot.slack.failures import SlackClient
from bot.slack.signing import (
    signed_headers as signed_headers,  # for the console: it imports bot.app only
)
from handlers import chair, coe, commit, digest, door, home, memo, prfaq, review, search
from storage.engine import Database
from storage.installations import EncryptedInstallationStore
from storage.queries.forget import ForgetStep
from storage.queries.forget_platform import PLATFORM

if TYPE_CHECKING:
    from bot.export_rooms import Export

log = logging.getLogger(__name__)

__all__ = [
    "EVENTS_PATH",
    "Clock",
    "Services",
    "Settings",
    "TickReport",
    "build_app",
    "create_services",
    "dates",
    "markup",
    "migrate_if_embedded",
    "run_due",
    "signed_headers",
    "start_http",
]


class Room(Protocol):
    """What every room exposes (see handlers/__init__.py)."""

    # Sections the room adds to a channel's weekly digest, after the digest's own.
    DIGEST_SECTIONS: tuple[SectionProvider, ...]

    def register(self, app: AsyncApp) -> None: ...

    # What `doorway forget` deletes of the room's tables (storage/queries/forget.py).
    FORGET: ForgetStep

    def register_jobs(self, registry: JobRegistry) -> None: ...


# The rituals Doorway serves, in the order their listeners (and digest sections) are added.
ROOMS: tuple[Room, ...] = (door, chair, commit, coe, prfaq, memo, home, review, digest, search)


def exports() -> dict[str, Export]:
    """What `doorway export --kind` writes besides the decision log, by kind."""
    from handlers.coe.export import EXPORT as COE
    from handlers.memo.export import EXPORT as MEMO
    from handlers.prfaq.export import EXPORT as PRFAQ

    return {"coe": COE, "memo": MEMO, "prfaq": PRFAQ}


def create_services(
    settings: Settings, *, clock: Clock | None = None, bot_token: str | None = None
) -> Services:
    """Everything a listener or job needs, built once per process and not changed after.

    The rooms' job kinds are registered here, so `doorway tick` runs them without a Bolt app.
    """
    token = bot_token or (
        settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    )
    jobs = JobRegistry()
    retention.register_jobs(jobs)  # the platform's own daily prune
    for room in ROOMS:
        room.register_jobs(jobs)
    db = Database(settings.database_url)
    return Services(
        settings=settings,
        db=db,
        slack=web_client(token=token, base_url=settings.slack_api_url),
        clock=clock or Clock(),
        model=model_client_from(
            settings.openai_api_key, settings.openai_base_url, settings.openai_model
        ),
        jobs=jobs,
        digest_sections=tuple(section for room in ROOMS for section in room.DIGEST_SECTIONS),
        forget_steps=forget_steps(),
        installations=_installations(settings, db),
    )


def forget_steps() -> tuple[ForgetStep, ...]:
    """Every room's forget step, then the platform's (their rows point at its tables)."""
    return (*(room.FORGET for room in ROOMS), PLATFORM)


async def forget_now(settings: Settings, *, team: str, user: str | None) -> str:
    """`doorway forget`: the workspace's rows, or one person's, deleted now; what was done."""
    services = Services(
        settings=settings,
        db=Database(settings.database_url),
        slack=web_client(token=None, base_url=settings.slack_api_url),
        forget_steps=forget_steps(),
    )
    try:
        if user is None:
            deleted = await uninstall.forget_workspace(services, team)
            return f"workspace {team} forgotten: {deleted} row(s) deleted"
        placeholder = await uninstall.forget_person(services, team, user)
        return (
            f"{user} forgotten in workspace {team}: their own rows deleted, their words "
            f"removed, and {placeholder} in their place where others' records keep them"
        )
    finally:
        await services.aclose()


def _installations(settings: Settings, db: Database) -> EncryptedInstallationStore | None:
    if not settings.oauth or settings.doorway_encryption_key is None:
        return None
    return EncryptedInstallationStore(
        client_id=str(settings.slack_client_id),
        db=db,
        key=settings.doorway_encryption_key.get_secret_value(),
    )


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
    many = services.installations is not None and not socket_mode  # OAuth: HTTP mode only
    if token is None and not many:
        raise ValueError("a bot token (or OAuth settings) is needed to build the app")
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
        # Many workspaces: each request with its workspace's token from the installs.
        **(
            oauth.app_arguments(services)
            if many or token is None
            else {"authorize": single_workspace_authorize(token, services.slack)}
        ),
        signing_secret=signing_secret,
        request_verification_enabled=True,
        process_before_response=False,
    )
    errors.register(app)

    @app.middleware
    async def attach_services(context, next):  # type: ignore[no-untyped-def]
        context[SERVICES] = services
        # Listeners get clients whose failures to reach Slack say so (bot/slack/failures.py).
        # A workflow step's run brings its own token, for its calls and its complete/fail.
        token = context.function_bot_access_token or context.bot_token
        if token == services.slack.token and isinstance(services.slack, SlackClient):
            context["client"] = services.slack
        else:
            context["client"] = SlackClient.like(services.slack, token=token)
        if context.response_url:
            context["respond"] = SlackRespond(
                response_url=context.response_url, session=services.responses
            )
        await next()

    if app.installation_store is not None:
        uninstall.register(app)
    for room in ROOMS:
        room.register(app)
    return app
