"""Acknowledged work a stop cut short: kept in the database, replayed by the next start.

When the grace period after SIGTERM runs out, each request whose work is still running
is kept as it arrived (`keep`). The next `doorway serve` to start, on any instance,
claims each kept request once and dispatches it into the app again (`resume`).

A replay does not duplicate what the first run did: listeners are idempotent on what
Slack sends (a command's trigger_id, a view's id, an event's id, a button on a decision
that is already shared). Its ack goes nowhere; Slack was answered the first time. What
it says to the person goes to the request's response_url, which Slack honours for 30
minutes and five uses: a replay later than that still records everything, but its
ephemeral answer is refused by Slack (logged) and the person finds the result in App
Home or with `/decisions`.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

from bot.inflight import Work
from bot.services import Services
from bot.serving.dispatch import DoorwayApp
from storage.models import UnfinishedRequest
from storage.queries import unfinished as q

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)  # a replay runs as long as any listener: the model, Slack
BATCH = 20
MAX_REPLAYS = 3  # a request whose replay keeps getting cut short is given up, not looped
KEEP_BUDGET = 5.0  # seconds to write what is left, inside the platform's kill window


async def keep(services: Services, left: list[Work]) -> int:
    """Keep the requests whose work did not finish; returns how many were kept."""
    owner = services.instance_id[:64]
    now = services.clock.now()
    try:
        async with asyncio.timeout(KEEP_BUDGET):
            async with services.db.session() as session:
                for work in left:
                    if work.resumed_from is not None:
                        # Already kept: give it back for the next start rather than twice.
                        await q.release_unfinished(
                            session=session, owner=owner, request_id=work.resumed_from
                        )
                    else:
                        await q.keep_unfinished(
                            session=session, team_id=_team(work.body), body=_kept(work.body), at=now
                        )
    except Exception as exc:  # noqa: BLE001 - stopping goes on; say exactly what is lost
        log.error(
            "could not keep %d unfinished request(s) in the database (%s): their work is lost",
            len(left),
            type(exc).__name__,
        )
        return 0
    return len(left)


async def resume(services: Services, app: DoorwayApp) -> int:
    """Replay every kept request this process can claim; returns how many it replayed."""
    owner = services.instance_id[:64]
    replayed = 0
    while services.inflight.accepting:
        now = services.clock.now()
        async with services.db.session() as session:
            claimed = await q.claim_unfinished(
                session=session, now=now, owner=owner, lease_until=now + LEASE, limit=BATCH
            )
        if not claimed:
            break
        outcomes = await asyncio.gather(*(_replay(services, app, row, owner) for row in claimed))
        replayed += sum(outcomes)
    if replayed:
        log.info("replayed %d request(s) kept by an earlier stop", replayed)
    return replayed


async def _replay(services: Services, app: DoorwayApp, row: UnfinishedRequest, owner: str) -> bool:
    """Replay one claimed request and wait for its work; False if it was given up."""
    assert row.id is not None
    if row.attempts > MAX_REPLAYS:
        log.error("kept request %s was cut short %d times; giving it up", row.id, row.attempts - 1)
        async with services.db.session() as session:
            await q.release_unfinished(session=session, request_id=row.id, owner=owner, failed=True)
        return False
    work = await app.replay(row.body, resumed_from=row.id)
    await work.finished.wait()
    async with services.db.session() as session:
        await q.forget_unfinished(session=session, request_id=row.id, owner=owner)
    return True


def _kept(body: dict[str, Any]) -> dict[str, Any]:
    # The legacy verification token is a credential, and no listener reads it.
    return {key: value for key, value in body.items() if key != "token"}


def _team(body: dict[str, Any]) -> str:
    team = (
        body.get("team_id")
        or (body.get("team") or {}).get("id")
        or (body.get("user") or {}).get("team_id")
        or ""
    )
    return str(team)[:32]
