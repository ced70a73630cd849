"""`doorway serve`'s scheduler runs what is due, every minute, one tick at a time."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.schedule.jobs import JobRegistry
from bot.schedule.scheduler import TICK_ID, start_scheduler
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
        await schedule_job(
            session=session,
            team_id="T0DOORWAY",
            kind="test",
            key="missed",
            due_at=services.clock.now() - timedelta(hours=3),
            payload={},
        )
    scheduler = start_scheduler(services)
    try:
        await asyncio.wait_for(done.wait(), timeout=30)
        job = scheduler.get_job(TICK_ID)
        assert job is not None
        assert job.coalesce is True and job.max_instances == 1
        assert job.trigger.interval == timedelta(minutes=1)
    finally:
        await scheduler.stop()
    assert not scheduler.running
    assert ran == ["missed"], "what came due while the bot was down goes out when it is back"


async def test_stopping_waits_for_a_running_tick_and_cuts_a_stuck_one(services: Services) -> None:
    started, release = asyncio.Event(), asyncio.Event()
    finished: list[str] = []
    cancelled: list[str] = []
    services.jobs = JobRegistry()

    @services.jobs.on("test")
    async def handle(_: Services, job: Job) -> None:
        started.set()
        try:
            await release.wait()
        except asyncio.CancelledError:
            cancelled.append(job.key)
            raise
        finished.append(job.key)

    async with services.db.session() as session:
        for key in ("slow", "stuck"):
            await schedule_job(
                session=session,
                team_id="T0DOORWAY",
                kind="test",
                key=key,
                due_at=services.clock.now() - timedelta(minutes=1),
                payload={},
            )
    scheduler = start_scheduler(services)
    await asyncio.wait_for(started.wait(), timeout=30)
    asyncio.get_running_loop().call_soon(release.set)
    await scheduler.stop()
    assert sorted(finished) == ["slow", "stuck"]

    release.clear()
    started.clear()
    async with services.db.session() as session:
        await schedule_job(
            session=session,
            team_id="T0DOORWAY",
            kind="test",
            key="forever",
            due_at=services.clock.now() - timedelta(minutes=1),
            payload={},
        )
    scheduler = start_scheduler(services)
    await asyncio.wait_for(started.wait(), timeout=30)
    await asyncio.wait_for(scheduler.stop(budget=0.01), timeout=5)
    # The stuck tick was cancelled, not left running: it runs again after its lease.
    assert cancelled == ["forever"]
    assert "forever" not in finished
