"""A tick's jobs in batches: a bounded number run at once, each keeps its own outcome, what
finished is written while the rest still run, and a kind can read for its whole batch."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import pytest

from bot.schedule.jobs import JobRegistry, RetryLater, Skip, prefetched, run_due
from bot.services import Services
from storage.models import Job, JobState
from tests.bot.schedule.test_jobs import T0, job, schedule, with_registry


def at_most(services: Services, concurrency: int) -> None:
    services.settings = services.settings.model_copy(
        update={"doorway_send_concurrency": concurrency}
    )


async def test_a_tick_runs_no_more_jobs_at_once_than_the_setting_allows(
    services: Services,
) -> None:
    at_most(services, 3)
    registry = with_registry(services)
    running, most, finished = 0, 0, []

    @registry.on("test")
    async def slow(_: Services, item: Job) -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.01)
        running -= 1
        finished.append(item.key)

    for n in range(12):
        await schedule(services, f"k{n}")
    report = await run_due(services, at=T0)
    assert report.done == 12 and sorted(finished) == sorted(f"k{n}" for n in range(12))
    assert most == 3


async def test_what_finished_is_written_while_the_rest_of_its_batch_still_runs(
    services: Services,
) -> None:
    registry = with_registry(services)
    release = asyncio.Event()

    @registry.on("test")
    async def handle(_: Services, item: Job) -> None:
        if item.key == "slow":
            await release.wait()

    await schedule(services, "quick")
    await schedule(services, "slow")
    ticking = asyncio.ensure_future(run_due(services, at=T0))
    try:
        for _ in range(200):  # a crash now must not send "quick" again
            if (await job(services, "quick")).state == JobState.DONE:
                break
            await asyncio.sleep(0.02)
        assert (await job(services, "quick")).state == JobState.DONE
        assert (await job(services, "slow")).state == JobState.CLAIMED
    finally:
        release.set()
    assert (await ticking).done == 2
    assert (await job(services, "slow")).state == JobState.DONE


async def test_each_job_of_a_batch_keeps_its_own_outcome(services: Services) -> None:
    registry = with_registry(services)
    later = {"a": T0 + timedelta(hours=1), "b": T0 + timedelta(hours=2)}

    @registry.on("skip")
    async def skipping(_: Services, item: Job) -> None:
        raise Skip(f"nothing for {item.key}")

    @registry.on("later")
    async def waiting(_: Services, item: Job) -> None:
        raise RetryLater(until=later[item.key])

    @registry.on("broken")
    async def broken(_: Services, item: Job) -> None:
        raise ValueError(item.key)

    for key in ("x", "y"):
        await schedule(services, key, kind="skip")
    for key in later:
        await schedule(services, key, kind="later")
    await schedule(services, "z", kind="broken")
    await schedule(services, "fine", kind="skip", due=T0 + timedelta(days=1))  # not due
    report = await run_due(services, at=T0)
    assert (report.skipped, report.retrying) == (2, 3)
    assert [(await job(services, k)).last_error for k in ("x", "y")] == [
        "nothing for x",
        "nothing for y",
    ]
    for key, due in later.items():
        moved = await job(services, key)
        assert (moved.state, moved.due_at, moved.attempts) == (JobState.PENDING, due, 0)
    failed = await job(services, "z")
    assert (failed.state, failed.attempts, failed.last_error) == (
        JobState.PENDING,
        1,
        "ValueError: z",
    )
    assert (await job(services, "fine")).state == JobState.PENDING


@pytest.mark.parametrize("reads", ["work", "fail"])
async def test_a_kind_reads_for_its_whole_batch_once(services: Services, reads: str) -> None:
    registry = JobRegistry()
    services.jobs = registry
    batches: list[list[str]] = []
    seen: dict[str, Any] = {}

    async def read_ahead(_: Services, jobs: list[Job]) -> Mapping[int, Any]:
        batches.append(sorted(j.key for j in jobs))
        if reads == "fail":
            raise ConnectionError("the database went away")
        return {j.id: j.key.upper() for j in jobs if j.id is not None}

    @registry.on("test", prefetch=read_ahead)
    async def handle(_: Services, item: Job) -> None:
        seen[item.key] = prefetched(item)

    @registry.on("other")
    async def other(_: Services, item: Job) -> None:
        seen[item.key] = prefetched(item)

    for key in ("a", "b", "c"):
        await schedule(services, key)
    await schedule(services, "o", kind="other")
    assert (await run_due(services, at=T0)).done == 4
    assert batches == [["a", "b", "c"]]
    if reads == "work":
        assert seen == {"a": "A", "b": "B", "c": "C", "o": None}
    else:  # each handler reads for itself
        assert seen == {"a": None, "b": None, "c": None, "o": None}
