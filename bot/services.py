"""What the listeners and scheduled jobs share: settings, database, clock, clients."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import Clock
from bot.inflight import InFlight
from bot.judgment import Judgment
from bot.pacing import ChannelPacer
from bot.settings import Settings
from storage.engine import Database

if TYPE_CHECKING:
    from bot.digest_sections import SectionProvider
    from bot.jobs import JobRegistry
    from bot.model import ModelClient

Sizer = Callable[[str, str], Awaitable[Judgment]]


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
    sizer: Sizer | None = None
    # Listener work acknowledged to Slack and not finished yet (see bot/inflight.py).
    inflight: InFlight = field(default_factory=InFlight)
    # Sends to one channel are spaced a second apart (Slack's posting limit).
    pacer: ChannelPacer = field(default_factory=ChannelPacer)
    # Extra sections of the weekly digest, added by rooms in `register`.
    digest_sections: list[SectionProvider] = field(default_factory=list)

    async def size(self, text: str, context: str = "") -> Judgment:
        """Size a decision as the door room does (the room installs its sizer on register)."""
        if self.sizer is None:
            raise RuntimeError("the door room is not registered")
        return await self.sizer(text, context)

    async def aclose(self) -> None:
        if self.model is not None:
            await self.model.aclose()
        await self.db.dispose()
