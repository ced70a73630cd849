"""The daily prune: what is past its retention goes, everything else stays, and of several
processes ticking at the same moment one prunes."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from bot.app import create_services
from bot.clock import Clock
from bot.schedule.jobs import run_due
from bot.schedule.retention import EVERY_TEAM, JOBS_KEPT, PRUNE_KIND, next_prune, plan, prune_key
from bot.services import Services
from bot.settings import Settings
from console.localslack import LocalSlack
from storage.engine import Database
from storage.models import Job, JobState, SeenEvent, UserProfile
from tests.driver import TEAM as SLACK_TEAM
from tests.serving import serving_over_socket_mode

TEAM = "T0DOORWAY"
NOW = datetime(2027, 3, 10, 3, 17, tzinfo=UTC)  # the prune's slot that day
OLD = NOW - timedelta(days=45)
RECENT = NOW - timedelta(days=2)


def _job(key: str, state: JobState, *, at: datetime, **values: Any) -> Job:
    return Job(
        team_id=TEAM,
        kind="review",
        key=key,
        due_at=at,
        state=state,
        created_at=at,
        done_at=at
        if state not in (JobState.PENDING, JobState.CLAIMED, JobState.CANCELLED)
        else None,
        **values,
    )


async def _fill(services: Services) -> None:
    far = NOW + timedelta(days=3)  # held past tomorrow's prune too
    async with services.db.session() as session:
        session.add_all(
            [
                _job("old-done", JobState.DONE, at=OLD),
                _job("old-failed", JobState.FAILED, at=OLD),
                _job("old-skipped", JobState.SKIPPED, at=OLD),
                _job("old-cancelled", JobState.CANCELLED, at=OLD),
                _job("recent-done", JobState.DONE, at=RECENT),
                _job("old-pending", JobState.PENDING, at=OLD + timedelta(days=400)),
                _job("old-claimed", JobState.CLAIMED, at=OLD, lease_owner="x", lease_until=far),
                SeenEvent(team_id=TEAM, event_id="old-done", seen_at=OLD),
                SeenEvent(team_id=TEAM, event_id="old-lapsed", seen_at=OLD, lease_until=OLD),
                SeenEvent(team_id=TEAM, event_id="old-held", seen_at=OLD, lease_until=far),
                SeenEvent(team_id=TEAM, event_id="recent", seen_at=RECENT),
                UserProfile(team_id=TEAM, user_id="U0OLD", fetched_at=OLD),
                UserProfile(team_id=TEAM, user_id="U0RECENT", fetched_at=RECENT),
            ]
        )


async def _left(services: Services) -> tuple[list[str], list[str], list[str]]:
    async with services.db.session() as session:
        jobs = (await session.exec(select(Job).where(Job.team_id == TEAM))).all()
        seen = (await session.exec(select(SeenEvent))).all()
        people = (await session.exec(select(UserProfile))).all()
    return (
        sorted(j.key for j in jobs),
        sorted(s.event_id for s in seen),
        sorted(p.user_id for p in people),
    )


async def _prunes(services: Services) -> list[Job]:
    async with services.db.session() as session:
        statement = select(Job).where(Job.kind == PRUNE_KIND).order_by(col(Job.due_at))
        return list((await session.exec(statement)).all())


async def test_old_rows_go_and_recent_or_unsettled_ones_stay(services: Services) -> None:
    services.clock.set(NOW - timedelta(hours=1))
    await plan(services, after=services.clock.now())
    await _fill(services)
    services.clock.set(NOW)
    report = await run_due(services, at=NOW)
    assert report.done == 1
    jobs, seen, people = await _left(services)
    assert jobs == ["old-claimed", "old-pending", "recent-done"]
    assert seen == ["old-held", "recent"]
    assert people == ["U0RECENT"]


async def test_one_of_two_processes_prunes_and_tomorrow_is_planned_once(
    services: Services, settings: Settings
) -> None:
    other = create_services(settings, clock=Clock(at=NOW - timedelta(hours=1)))
    try:
        services.clock.set(NOW - timedelta(hours=1))
        # Both processes start and plan the day's prune: one row.
        await plan(services, after=services.clock.now())
        await plan(other, after=other.clock.now())
        await _fill(services)
        services.clock.set(NOW)
        other.clock.set(NOW)
        reports = await asyncio.gather(run_due(services, at=NOW), run_due(other, at=NOW))
    finally:
        await other.aclose()
    assert sorted(r.done for r in reports) == [0, 1]
    prunes = await _prunes(services)
    assert [(p.key, p.team_id, p.state) for p in prunes] == [
        (prune_key(NOW), EVERY_TEAM, JobState.DONE),
        (prune_key(NOW + timedelta(days=1)), EVERY_TEAM, JobState.PENDING),
    ]
    assert prunes[1].due_at == next_prune(NOW)
    jobs, seen, people = await _left(services)
    assert jobs == ["old-claimed", "old-pending", "recent-done"]
    assert (seen, people) == (["old-held", "recent"], ["U0RECENT"])


async def test_the_next_days_prune_keeps_what_is_still_recent(services: Services) -> None:
    services.clock.set(NOW - timedelta(hours=1))
    await plan(services, after=services.clock.now())
    await _fill(services)
    services.clock.set(NOW)
    await run_due(services, at=NOW)
    tomorrow = next_prune(NOW)
    services.clock.set(tomorrow)
    assert (await run_due(services, at=tomorrow)).done == 1
    jobs, seen, people = await _left(services)
    assert jobs == ["old-claimed", "old-pending", "recent-done"]
    assert (seen, people) == (["old-held", "recent"], ["U0RECENT"])
    # Yesterday's prune is itself a settled job, kept like the others until JOBS_KEPT.
    assert [p.state for p in await _prunes(services)][:2] == [JobState.DONE, JobState.DONE]
    assert JOBS_KEPT > timedelta(days=1)


def test_the_prune_runs_at_its_slot_each_day() -> None:
    assert next_prune(NOW - timedelta(minutes=1)) == NOW
    assert next_prune(NOW) == NOW + timedelta(days=1)


async def test_serve_plans_the_next_prune_as_it_starts(tmp_path: Path) -> None:
    async with (
        LocalSlack(team_id=SLACK_TEAM) as slack,
        serving_over_socket_mode(tmp_path, slack) as (_, env),
    ):
        pass
    started = datetime.now(UTC)
    db = Database(env["DATABASE_URL"])
    try:
        async with db.session() as session:
            planned = (await session.exec(select(Job).where(Job.kind == PRUNE_KIND))).all()
    finally:
        await db.dispose()
    assert [(j.team_id, j.state) for j in planned] == [(EVERY_TEAM, JobState.PENDING)]
    assert planned[0].due_at in (next_prune(started), next_prune(started - timedelta(minutes=5)))
