"""What the listeners and scheduled jobs share: settings, database, clock, clients."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import Clock
from bot.inflight import InFlight
from bot.settings import Settings
from bot.slack.client import ResponseSession
from bot.slack.failures import SlackClient
from bot.slack.pacing import ChannelPacer
from storage.engine import Database
from storage.installations import EncryptedInstallationStore
from storage.models import Job
from storage.queries.forget import ForgetStep

if TYPE_CHECKING:
    from bot.decisions.digest_sections import SectionProvider
    from bot.model.client import ModelClient

# As Bolt's authorize does for requests: a token expiring within this is refreshed first.
ROTATE_MINUTES_BEFORE = 120


class NotInstalled(Exception):
    """Workspace `team_id` has no bot installed (uninstalled, or never installed)."""

    def __init__(self, team_id: str) -> None:
        super().__init__(f"Doorway is not installed in workspace {team_id}")
        self.team_id = team_id


# What runs one kind of durable job (see bot/schedule/jobs.py).
Handler = Callable[["Services", Job], Awaitable[None]]
# What one batch of a kind's jobs reads in a few queries, before their handlers run: job id ->
# what the handler would otherwise read itself (bot.schedule.jobs.prefetched).
Prefetch = Callable[["Services", list[Job]], Awaitable[Mapping[int, Any]]]


class JobRegistry:
    """Which handler runs each kind of job; rooms fill it in their `register_jobs`."""

    def __init__(self) -> None:
        self._handlers: dict[str, Handler] = {}
        self._prefetches: dict[str, Prefetch] = {}

    def on(self, kind: str, *, prefetch: Prefetch | None = None) -> Callable[[Handler], Handler]:
        """Register the handler of `kind`; `prefetch`, if given, reads for a whole batch."""

        def register(handler: Handler) -> Handler:
            existing = self._handlers.get(kind)
            if existing is not None and existing is not handler:
                raise ValueError(f"job kind {kind!r} already has a handler")
            self._handlers[kind] = handler
            if prefetch is not None:
                self._prefetches[kind] = prefetch
            return handler

        return register

    def handler_for(self, kind: str) -> Handler | None:
        return self._handlers.get(kind)

    def prefetch_for(self, kind: str) -> Prefetch | None:
        return self._prefetches.get(kind)

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(self._handlers)


@dataclass
class Services:
    settings: Settings
    db: Database
    slack: AsyncWebClient
    clock: Clock = field(default_factory=Clock)
    model: ModelClient | None = None
    jobs: JobRegistry | None = None
    instance_id: str = field(
        default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
    )
    # Listener work acknowledged to Slack and not finished yet (see bot/inflight.py).
    inflight: InFlight = field(default_factory=InFlight)
    # Sends to one channel are spaced a second apart (Slack's posting limit).
    pacer: ChannelPacer = field(default_factory=ChannelPacer)
    # Extra sections of the weekly digest, as the rooms declare them (bot/app.py collects
    # them when it builds these services).
    digest_sections: tuple[SectionProvider, ...] = ()
    # Every respond() of the process posts to its response_url through this one session.
    responses: ResponseSession = field(default_factory=ResponseSession)
    # What `doorway forget` and the end of an uninstalled workspace's retention delete:
    # each room's step, then the platform's (storage/queries/forget.py).
    forget_steps: tuple[ForgetStep, ...] = ()
    # OAuth installs (many workspaces): their bots' tokens, by team. None: the one
    # SLACK_BOT_TOKEN workspace, whose client is `slack`.
    installations: EncryptedInstallationStore | None = None
    _clients: dict[str, AsyncWebClient] = field(default_factory=dict, repr=False)

    async def slack_for(self, team_id: str) -> AsyncWebClient:
        """The client to send to workspace `team_id` with: its own bot's token when
        Doorway is installed through OAuth, else `slack` (the one workspace's)."""
        if self.installations is None:
            return self.slack
        bot = await self.installations.bot_of_team(team_id)
        if bot is None or not bot.bot_token:
            raise NotInstalled(team_id)
        if bot.bot_refresh_token and self.rotator is not None:
            rotated = await self.rotator.perform_bot_token_rotation(
                bot=bot, minutes_before_expiration=ROTATE_MINUTES_BEFORE
            )
            if rotated is not None:
                await self.installations.async_save_bot(rotated)
                bot = rotated
        token = str(bot.bot_token)
        client = self._clients.get(token)
        if client is None:
            client = self._clients[token] = SlackClient.like(self.slack, token=token)
        return client

    @property
    def rotator(self) -> AsyncTokenRotator | None:
        """Refreshes a bot token that expires soon (token rotation), through `slack`."""
        secret = self.settings.slack_client_secret
        if self.settings.slack_client_id is None or secret is None:
            return None
        return AsyncTokenRotator(
            client_id=self.settings.slack_client_id,
            client_secret=secret.get_secret_value(),
            client=self.slack,
        )

    async def aclose(self) -> None:
        await self.responses.aclose()
        if self.model is not None:
            await self.model.aclose()
        await self.db.dispose()
