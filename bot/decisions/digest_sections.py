"""How a room adds a section to a channel's weekly digest without knowing the digest room.

A room declares its providers as `DIGEST_SECTIONS`; the composition root (bot/app.py) hands
them all to `Services` when it builds it. The digest room builds a batch of digests at once
(a tick's due channels, or the one window of a `/digest now` preview): it calls every
provider once per batch, with all the batch's windows, and shows the sections that come
back, after its own, in the order of the rooms.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
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


SectionProvider = Callable[
    [AsyncSession, Sequence[DigestWindow]], Awaitable[Sequence[DigestSection | None]]
]
"""Given the session and a batch's windows, the section for each window, in their order
(None: nothing to add to that one). A few set-based queries for the whole batch, not a
few per window: a tick builds a thousand digests at once."""
