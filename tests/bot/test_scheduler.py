"""`doorway serve`'s scheduler runs what is due, every minute, one tick at a time."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.jobs import JobRegistry
from bot.scheduler import TICK_ID, start_scheduler
from bot.services import Services
from storage.models import Job
from storage.queries.jobs import schedule_job


async def test_the_scheduler_ticks_at_once_and_then_every_minute(services: Services) -> None:
    ran: list[str] = []
    done = asyncio.Event()
    services.jobs = JobRegistry()

    @services.jobs.on("test")
    async def handle(_: Services, job: Job) -> None:
        ran.append(job.key)
        done.set()

    async with services.db.session() as session:
        await schedule_job(session=session, team_id="T0DOORWAY", kind="test", key="missed",
                           due_at=services.clock.now() - timedelta(hours=3), payload={})
    scheduler = start_scheduler(services)
    try:
        await asyncio.wait_for(done.wait(), timeout=30)
        job = scheduler.get_job(TICK_ID)
        assert job is not None
        assert job.coalesce is True and job.max_instances == 1
        assert job.trigger.interval == timedelta(minutes=1)
    finally:
        scheduler.shutdown(wait=False)
    assert ran == ["missed"], "what came due while the bot was down goes out when it is back"
