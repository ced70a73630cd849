"""Posts that happen once and are never lost: claim, post, then confirm with the state.

A Share press, the :chair: question and a check-back summary each must reach Slack once.
Remembering "done" before the post loses it when the post fails; remembering after lets a
double press post twice. So the work is claimed first (a lease, so a holder that dies
gives it up), the post is made, and the claim is confirmed in the same transaction that
records what the post changed. Any failure of the post, a timeout or cancellation
included, gives the claim back so a press, a retry or the durable job can try again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from bot.services import Services
from storage.queries import events

log = logging.getLogger(__name__)

# Longer than a post that waits out Slack's rate limits; shorter than a person's patience.
LEASE = timedelta(minutes=5)


async def claim(services: Services, *, team_id: str, key: str) -> bool:
    """Take `key` for this post; False if it was done, or another holder is at it."""
    now = services.clock.now()
    async with services.db.session() as session:
        return await events.claim(
            session=session, team_id=team_id, key=key, at=now, until=now + LEASE
        )


async def confirm(services: Services, *, team_id: str, key: str) -> None:
    """The post was made: `key` is done for good (when nothing else needs recording with it)."""
    async with services.db.session() as session:
        await events.confirm(session=session, team_id=team_id, key=key)


@asynccontextmanager
async def released_on_failure(services: Services, *, team_id: str, key: str) -> AsyncIterator[None]:
    """Give the claim on `key` back if the block fails in any way, cancellation included."""
    try:
        yield
    except BaseException:
        # shielded: a cancelled listener still gives its claim back
        await asyncio.shield(_release(services, team_id=team_id, key=key))
        raise


async def _release(services: Services, *, team_id: str, key: str) -> None:
    try:
        async with services.db.session() as session:
            await events.release(session=session, team_id=team_id, key=key)
    except Exception as exc:  # noqa: BLE001 - the post's own failure is the one to raise
        log.warning(
            "could not give back the claim %s (it lapses in %s): %s", key, LEASE, type(exc).__name__
        )
