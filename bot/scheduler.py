"""The in-process scheduler of `doorway serve`: `run_due` every minute.

APScheduler only says *when*; what is due lives in the database, so a restart loses
nothing and several `serve` processes share the work (see bot/jobs.py).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.jobs import run_due
from bot.services import Services

log = logging.getLogger(__name__)

TICK_ID = "doorway-tick"


async def tick(services: Services) -> None:
    """One scheduled pass; a failure is logged and the next minute tries again."""
    try:
        report = await run_due(services, at=services.clock.now())
    except Exception:  # noqa: BLE001 - the scheduler must outlive a bad minute
        log.exception("scheduled tick failed; the next one runs in a minute")
        return
    if report.ran:
        log.info("%s", report)


def start_scheduler(services: Services) -> AsyncIOScheduler:
    """Start ticking every minute on the running event loop (the first tick right away)."""
    scheduler = AsyncIOScheduler(timezone=UTC)
    scheduler.add_job(
        tick, "interval", minutes=1, args=[services], id=TICK_ID,
        # A slow tick is never doubled up, and missed minutes collapse into one run.
        coalesce=True, max_instances=1, misfire_grace_time=60,
        next_run_time=datetime.now(UTC),
    )
    scheduler.start()
    return scheduler
