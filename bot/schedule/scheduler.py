"""The in-process scheduler of `doorway serve`: `run_due` every minute.

APScheduler only says *when*; what is due lives in the database, so a restart loses
nothing and several `serve` processes share the work (see bot/schedule/jobs.py).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.schedule.jobs import run_due
from bot.services import Services

log = logging.getLogger(__name__)

TICK_ID = "doorway-tick"
STOP_BUDGET = 20.0  # seconds a running tick gets to finish when the bot stops


class DoorwayScheduler(AsyncIOScheduler):
    """Ticks every minute; `stop()` lets a running tick finish before the process exits."""

    def __init__(self, services: Services) -> None:
        super().__init__(timezone=UTC)
        self._services = services
        self._running: set[asyncio.Task[None]] = set()

    async def tick(self) -> None:
        """One scheduled pass; a failure is logged and the next minute tries again."""
        task = asyncio.current_task()
        if task is not None:
            self._running.add(task)  # type: ignore[arg-type]
        try:
            report = await run_due(self._services, at=self._services.clock.now())
        except Exception:
            log.exception("scheduled tick failed; the next one runs in a minute")
            return
        finally:
            if task is not None:
                self._running.discard(task)  # type: ignore[arg-type]
        if report.ran:
            log.info("%s", report)

    async def stop(self, budget: float = STOP_BUDGET) -> None:
        """No new ticks; wait (up to `budget`) for the running one, then shut down.

        A tick cut short loses nothing: its claimed jobs run again after their lease.
        """
        if not self.running:
            return
        self.pause()
        if self._running:
            _, late = await asyncio.wait(set(self._running), timeout=budget)
            for task in late:
                task.cancel()
            # Cancelled ticks release their database sessions before the engine is closed.
            await asyncio.gather(*late, return_exceptions=True)
        self.shutdown(wait=False)
        await asyncio.sleep(0)  # AsyncIOScheduler shuts down on the loop's next turn


def start_scheduler(services: Services) -> DoorwayScheduler:
    """Start ticking every minute on the running event loop (the first tick right away)."""
    scheduler = DoorwayScheduler(services)
    scheduler.add_job(
        scheduler.tick,
        "interval",
        minutes=1,
        id=TICK_ID,
        # A slow tick is never doubled up, and missed minutes collapse into one run.
        coalesce=True,
        max_instances=1,
        misfire_grace_time=60,
        next_run_time=datetime.now(UTC),
    )
    scheduler.start()
    return scheduler
