"""What the listeners and scheduled jobs share: settings, database, clock, clients."""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import Clock
from bot.inflight import InFlight
from bot.pacing import ChannelPacer
from bot.settings import Settings
from storage.engine import Database

if TYPE_CHECKING:
    from bot.decisions.digest_sections import SectionProvider
    from bot.jobs import JobRegistry
    from bot.model import ModelClient


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
