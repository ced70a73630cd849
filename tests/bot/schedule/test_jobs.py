"""The durable schedule: scheduling is idempotent, each due job runs once, failures are kept."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.schedule.jobs import MAX_ATTEMPTS, JobRegistry, RetryLater, Skip, run_due
from bot.services import Services
from storage.models import Job, JobState
from storage.queries.jobs import cancel_jobs, claim_due, get_job, list_jobs, schedule_job

TEAM = "T0DOORWAY"
T0 = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


def with_registry(services: Services) -> JobRegistry:
    services.jobs = JobRegistry()
    return services.jobs


async def schedule(
    services: Services,
    key: str,
    due: datetime = T0,
    *,
    kind: str = "test",
    payload: dict | None = None,
) -> None:
    async with services.db.session() as session:
        await schedule_job(
            session=session,
            team_id=TEAM,
            kind=kind,
            key=key,
            due_at=due,
            payload=payload or {"n": key},
        )


async def job(services: Services, key: str) -> Job:
    async with services.db.session() as session:
        found = await get_job(session=session, team_id=TEAM, key=key)
    assert found is not None
    return found


async def test_due_jobs_run_once_and_later_ones_wait(services: Services) -> None:
    ran: list[str] = []
    registry = with_registry(services)

    @registry.on("test")
    async def handle(_: Services, item: Job) -> None:
        ran.append(item.key)

    await schedule(services, "a", T0)
    await schedule(services, "b", T0 + timedelta(minutes=1))

    early = await run_due(services, at=T0 - timedelta(seconds=1))
    assert (early.ran, ran) == (0, [])
    report = await run_due(services, at=T0)
    assert (report.done, ran) == (1, ["a"])
    await run_due(services, at=T0)
    assert ran == ["a"]
    await run_due(services, at=T0 + timedelta(hours=1))
    assert ran == ["a", "b"]
    assert (await job(services, "a")).state == JobState.DONE


async def test_rescheduling_moves_a_pending_job_and_leaves_a_done_one(services: Services) -> None:
    ran: list[dict] = []
    registry = with_registry(services)
    registry.on("test")(lambda _s, item: _record(ran, item))

    await schedule(services, "k", T0, payload={"v": 1})
    await schedule(services, "k", T0 + timedelta(days=1), payload={"v": 2})
    await run_due(services, at=T0)
    assert ran == []
    await run_due(services, at=T0 + timedelta(days=1))
    assert ran == [{"v": 2}]

    await schedule(services, "k", T0 + timedelta(days=2), payload={"v": 3})
    await run_due(services, at=T0 + timedelta(days=3))
    assert ran == [{"v": 2}], "a done job is not run again under the same key"
    async with services.db.session() as session:
        assert len(await list_jobs(session=session, team_id=TEAM)) == 1


async def _record(ran: list[dict], item: Job) -> None:
    ran.append(item.payload)


async def test_cancel_by_prefix_and_schedule_again_revives(services: Services) -> None:
    ran: list[str] = []
    registry = with_registry(services)

    @registry.on("test")
    async def handle(_: Services, item: Job) -> None:
        ran.append(item.key)

    await schedule(services, "review:1:2026-12-04")
    await schedule(services, "review:10:2026-12-04")
    await schedule(services, "review_1")  # `_` is not a wildcard
    async with services.db.session() as session:
        cancelled = await cancel_jobs(session=session, team_id=TEAM, key_prefix="review:1:")
        other_team = await cancel_jobs(session=session, team_id="T0OTHER", key_prefix="review")
    assert (cancelled, other_team) == (1, 0)
    await run_due(services, at=T0)
    assert sorted(ran) == ["review:10:2026-12-04", "review_1"]
    assert (await job(services, "review:1:2026-12-04")).state == JobState.CANCELLED

    await schedule(services, "review:1:2026-12-04", T0 + timedelta(hours=1))
    await run_due(services, at=T0 + timedelta(hours=1))
    assert "review:1:2026-12-04" in ran


async def test_skip_and_retry_later(services: Services) -> None:
    calls: list[str] = []
    registry = with_registry(services)

    @registry.on("skip")
    async def skipping(_: Services, item: Job) -> None:
        raise Skip("nothing to say")

    @registry.on("later")
    async def later(_: Services, item: Job) -> None:
        calls.append(item.key)
        if len(calls) == 1:
            raise RetryLater(timedelta(minutes=30))

    await schedule(services, "s", kind="skip")
    await schedule(services, "l", kind="later")
    report = await run_due(services, at=T0)
    assert (report.skipped, report.retrying) == (1, 1)
    skipped = await job(services, "s")
    assert (skipped.state, skipped.last_error) == (JobState.SKIPPED, "nothing to say")
    waiting = await job(services, "l")
    assert waiting.state == JobState.PENDING and waiting.attempts == 0
    assert waiting.due_at >= T0 + timedelta(minutes=30)

    await run_due(services, at=T0 + timedelta(minutes=10))
    assert calls == ["l"]
    await run_due(services, at=waiting.due_at)
    assert calls == ["l", "l"]
    assert (await job(services, "l")).state == JobState.DONE


async def test_failures_back_off_then_fail_with_the_error_kept(services: Services) -> None:
    registry = with_registry(services)

    @registry.on("test")
    async def broken(_: Services, item: Job) -> None:
        raise ValueError("the printer is on fire")

    await schedule(services, "x")
    at = T0
    for attempt in range(1, MAX_ATTEMPTS):
        report = await run_due(services, at=at)
        assert report.retrying == 1
        retried = await job(services, "x")
        assert retried.attempts == attempt and retried.state == JobState.PENDING
        assert retried.due_at > at
        at = retried.due_at
    report = await run_due(services, at=at)
    assert report.failed == 1
    failed = await job(services, "x")
    assert failed.state == JobState.FAILED and failed.attempts == MAX_ATTEMPTS
    assert failed.last_error == "ValueError: the printer is on fire"
    assert (await run_due(services, at=at + timedelta(days=1))).ran == 0

    await schedule(services, "x", at + timedelta(days=2))  # an operator can revive it
    assert (await job(services, "x")).state == JobState.PENDING


async def test_unknown_kind_is_kept_as_an_error_not_dropped(services: Services) -> None:
    with_registry(services)
    await schedule(services, "orphan", kind="nobody")
    report = await run_due(services, at=T0)
    assert report.retrying == 1
    assert "no handler" in str((await job(services, "orphan")).last_error)


async def test_a_claim_expires_after_its_lease(services: Services) -> None:
    ran: list[str] = []
    registry = with_registry(services)

    @registry.on("test")
    async def handle(_: Services, item: Job) -> None:
        ran.append(item.key)

    await schedule(services, "a")
    now = services.clock.now()
    async with services.db.session() as session:
        taken = await claim_due(
            session=session,
            at=T0,
            now=now,
            owner="dead-process",
            lease_until=now + timedelta(minutes=5),
            limit=10,
        )
    assert [j.key for j in taken] == ["a"]

    await run_due(services, at=T0)
    assert ran == [], "a live lease is respected"
    services.clock.advance(timedelta(minutes=6))
    await run_due(services, at=T0)
    assert ran == ["a"]


async def test_two_runners_in_one_database_run_each_job_once(services: Services, settings) -> None:
    from bot.app import create_services

    ran: list[str] = []

    async def handle(_: Services, item: Job) -> None:
        await asyncio.sleep(0)
        ran.append(item.key)

    other = create_services(settings)
    try:
        for runner in (services, other):
            with_registry(runner).on("test")(handle)
        for n in range(60):
            await schedule(services, f"j{n:03d}")
        await asyncio.gather(run_due(services, at=T0, batch=7), run_due(other, at=T0, batch=5))
    finally:
        await other.aclose()
    assert sorted(ran) == [f"j{n:03d}" for n in range(60)]


def test_registering_two_handlers_for_one_kind_is_refused() -> None:
    import pytest

    registry = JobRegistry()

    async def one(_: Services, item: Job) -> None: ...

    async def two(_: Services, item: Job) -> None: ...

    registry.on("k")(one)
    registry.on("k")(one)
    with pytest.raises(ValueError):
        registry.on("k")(two)


async def test_retry_later_at_a_past_instant_does_not_spin_within_one_tick(
    services: Services,
) -> None:
    calls: list[str] = []
    registry = with_registry(services)

    @registry.on("test")
    async def handle(_: Services, item: Job) -> None:
        calls.append(item.key)
        raise RetryLater(0, until=T0 - timedelta(days=1))

    await schedule(services, "again")
    services.clock.set(T0 - timedelta(days=30))  # ticking at an instant ahead of the clock
    report = await run_due(services, at=T0)
    assert (report.retrying, calls) == (1, ["again"])
    assert (await job(services, "again")).due_at > T0
