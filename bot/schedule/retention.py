"""Pruning, once a day: what Doorway keeps only for a while, and how long.

- Jobs, for JOBS_KEPT after they settle (done, failed, skipped or cancelled). A settled
  job's row is what keeps its key from being sent twice; every key embeds the day or week
  it is for, or is planned once per decision, so nothing schedules it again that late.
  Jobs still pending or claimed are never pruned, however old.
- Things done once (SeenEvent: a claimed post, a reaction answered), for SEEN_KEPT after
  they were done. Slack retries a request within minutes, and a card's own state
  (shared, closed) guards its buttons after that; a claim still held is never pruned.
- People's profiles (a cache of Slack's users.info, refreshed after a day when read), for
  PROFILES_KEPT after they were last fetched. The next read asks Slack again.
- Everything of a workspace that uninstalled Doorway, DOORWAY_RETENTION_DAYS after it did
  (bot/listeners/uninstall.py), unless it installed Doorway again meanwhile.

The prune is a job like any other (kind `prune`, one key per UTC day), so of several
processes ticking at once one runs it; and each delete touches only rows nothing waits on,
so running it again deletes nothing more than it should. `doorway serve` plans the next one
as it starts, and each run plans the next day's.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time, timedelta

from bot.listeners.uninstall import forget_workspace
from bot.schedule.jobs import JobRegistry, running_at
from bot.services import Services
from storage.models import Job
from storage.queries import retention as q
from storage.queries import workspaces as wq
from storage.queries.jobs import plant_job

log = logging.getLogger(__name__)

PRUNE_KIND = "prune"
PRUNE_AT = time(3, 17, tzinfo=UTC)  # a quiet hour almost everywhere, off the hour
JOBS_KEPT = timedelta(days=30)
SEEN_KEPT = timedelta(days=30)
PROFILES_KEPT = timedelta(days=30)
# Platform work across every workspace: no Slack team id starts with "*".
EVERY_TEAM = "*"


def prune_key(day: datetime) -> str:
    return f"{PRUNE_KIND}:{day.date().isoformat()}"


def next_prune(after: datetime) -> datetime:
    """The first PRUNE_AT (UTC) strictly after `after`."""
    after = after.astimezone(UTC)
    slot = datetime.combine(after.date(), PRUNE_AT)
    return slot if slot > after else slot + timedelta(days=1)


async def plan(services: Services, *, after: datetime) -> None:
    """Make sure the first prune after `after` is scheduled (`doorway serve` does this as it
    starts, and each prune for the day after it; a day's job is inserted once, whoever asks)."""
    due = next_prune(after)
    async with services.db.session() as session:
        await plant_job(
            session=session,
            team_id=EVERY_TEAM,
            kind=PRUNE_KIND,
            key=prune_key(due),
            due_at=due,
            payload={},
        )


async def prune(services: Services, job: Job) -> None:
    """Delete what is past its time; plan tomorrow's first, so a failure breaks no chain."""
    at = running_at() or services.clock.now()
    await plan(services, after=at)
    async with services.db.session() as session:
        jobs = await q.prune_jobs(session=session, settled_before=at - JOBS_KEPT)
        seen = await q.prune_seen(
            session=session, seen_before=at - SEEN_KEPT, now=services.clock.now()
        )
        people = await q.prune_profiles(session=session, fetched_before=at - PROFILES_KEPT)
        gone = await wq.due_to_forget(session=session, at=at)
    log.info("pruned %d settled jobs, %d done-once keys, %d profiles", jobs, seen, people)
    for team_id in gone:  # one transaction each: a failure keeps the others' deletes
        await forget_workspace(services, team_id)


def register_jobs(registry: JobRegistry) -> None:
    registry.on(PRUNE_KIND)(prune)
