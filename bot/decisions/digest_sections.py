"""How a room adds a section to a channel's weekly digest without knowing the digest room.

A room declares its providers as `DIGEST_SECTIONS`; the composition root (bot/app.py) hands
them all to `Services` when it builds it. The digest room calls every provider for each
digest (and each `/digest now` preview) and shows the sections that come back, after its
own, in the order of the rooms.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession


@dataclass(frozen=True)
class DigestWindow:
    """What one digest covers: one channel, `start` < t <= `end` (UTC)."""

    team_id: str
    channel_id: str
    start: datetime
    end: datetime
    today: date  # the digest's day in the subscriber's zone
    tz: str


@dataclass(frozen=True)
class DigestSection:
    """A titled list; `lines` are mrkdwn, user text already escaped (bot.slack.text.safe)."""

    title: str
    lines: list[str] = field(default_factory=list)


SectionProvider = Callable[[AsyncSession, DigestWindow], Awaitable[DigestSection | None]]
