"""What the listeners and scheduled jobs share: settings, database, clock, clients."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import Clock
from bot.inflight import InFlight
from bot.settings import Settings
from bot.slack.pacing import ChannelPacer
from storage.engine import Database
from storage.models import Job

if TYPE_CHECKING:
    from bot.decisions.digest_sections import SectionProvider
    from bot.model.client import ModelClient

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

    async def aclose(self) -> None:
        if self.model is not None:
            await self.model.aclose()
        await self.db.dispose()
