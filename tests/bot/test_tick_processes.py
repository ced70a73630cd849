"""`doorway tick` as separate processes on one database: each item sent exactly once."""

from __future__ import annotations

import asyncio
import re
import signal
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.schedule.jobs import LEASE, run_due
from bot.schedule.retention import EVERY_TEAM
from bot.schedule.reviews import schedule_review
from bot.services import Services
from console.localslack import LocalSlack
from storage.models import JobState
from storage.queries.decisions import record_decision
from tests.driver import CHANNEL, TEAM
from tests.ticking import DOORWAY, cli_env, doorway, jobs

DAY = date(2026, 12, 10)
NINE_UTC = datetime(2026, 12, 10, 9, tzinfo=UTC)


async def seed_reviews(services: Services, slack: LocalSlack, count: int) -> list[str]:
    """`count` shared decisions, each with its own owner (in UTC), reviewed on DAY."""
    owners = [f"U{n:05d}" for n in range(count)]
    now = datetime(2026, 11, 1, tzinfo=UTC)
    for owner in owners:
        slack.add_user(owner, tz="UTC")
        values = {
            "team_id": TEAM,
            "channel_id": CHANNEL,
            "author_id": owner,
            "owner_id": owner,
            "text": f"Decision by {owner}",
            "door": "two_way",
            "door_source": "rules",
            "reasons": ["reversible"],
            "status": "shared",
            "request_key": f"seed:{owner}",
            "created_at": now,
            "updated_at": now,
            "shared_at": now,
            "review_at": DAY,
        }
        async with services.db.session() as session:
            decision, _ = await record_decision(session=session, values=values)
        await schedule_review(services, decision=decision)
    return owners


def done_in(report: str) -> int:
    found = re.search(r"(\d+) done", report)
    assert found, report
    return int(found.group(1))


def delivered(slack: LocalSlack) -> Counter[str]:
    return Counter(
        str(c.args["channel"])
        for c in slack.calls("chat.postMessage")
        if (c.response or {}).get("ok")
    )


async def test_two_processes_ticking_at_once_send_every_item_once(
    services: Services, local_slack: LocalSlack, database_url: str, tmp_path: Path
) -> None:
    owners = await seed_reviews(services, local_slack, 240)
    env = cli_env(database_url, local_slack.api_url)
    at = NINE_UTC.isoformat()

    results = await asyncio.gather(
        doorway("tick", "--at", at, env=env, cwd=tmp_path),
        doorway("tick", "--at", at, env=env, cwd=tmp_path),
    )
    for code, _, err in results:
        assert code == 0, err
    counts = delivered(local_slack)
    assert counts == Counter({owner: 1 for owner in owners})
    # What the two processes report adds up: no item was counted by both (the reviews,
    # and the platform's daily prune if one came due by then).
    pruned = sum(j.state == JobState.DONE for j in await jobs(services, EVERY_TEAM, "prune:"))
    assert sum(done_in(out) for _, out, _ in results) == len(owners) + pruned
    assert all(j.state == JobState.DONE for j in await jobs(services, TEAM, "review:"))

    code, out, err = await doorway("tick", "--at", at, env=env, cwd=tmp_path)
    assert code == 0, err
    assert done_in(out) == 0
    assert sum(delivered(local_slack).values()) == len(owners)


async def test_a_process_killed_between_claim_and_send_is_covered_after_the_lease(
    services: Services, local_slack: LocalSlack, database_url: str, tmp_path: Path
) -> None:
    [owner] = await seed_reviews(services, local_slack, 1)
    # The doomed process's DM hangs in Slack until it is killed: claimed, never sent.
    local_slack.fail("chat.postMessage", delay=600)
    process = await asyncio.create_subprocess_exec(
        DOORWAY,
        "tick",
        "--at",
        NINE_UTC.isoformat(),
        env=cli_env(database_url, local_slack.api_url),
        cwd=tmp_path,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        await local_slack.wait_for("chat.postMessage", answered=False, timeout=60)
    finally:
        process.send_signal(signal.SIGKILL)
        await process.wait()
    assert process.returncode == -signal.SIGKILL
    [job] = await jobs(services, TEAM, "review:")
    assert job.state == JobState.CLAIMED and job.lease_until is not None
    assert job.lease_until - job.created_at < LEASE + timedelta(minutes=1)
    assert delivered(local_slack)[owner] == 0

    # The doomed process judged its lease by the real clock; so does this one, until moved.
    report = await run_due(services, at=NINE_UTC + timedelta(minutes=1))
    assert report.ran == 0, "the dead process's lease still holds"
    services.clock.set(job.lease_until + timedelta(seconds=1))
    pending_prunes = [
        j for j in await jobs(services, EVERY_TEAM, "prune:") if j.state != JobState.DONE
    ]
    report = await run_due(services, at=NINE_UTC + timedelta(minutes=1))
    # The review, and the daily prune if it came due and the killed process hadn't run it.
    due_prunes = sum(j.due_at <= NINE_UTC + timedelta(minutes=1) for j in pending_prunes)
    assert report.done == 1 + due_prunes
    assert delivered(local_slack)[owner] == 1
    [job] = await jobs(services, TEAM, "review:")
    assert job.state == JobState.DONE
    assert job.lease_until is None


@pytest.mark.parametrize("args", [["--at", "tomorrow"]])
async def test_tick_refuses_an_unreadable_instant(
    args: list[str], database_url: str, local_slack: LocalSlack, tmp_path: Path
) -> None:
    code, _, err = await doorway(
        "tick", *args, env=cli_env(database_url, local_slack.api_url), cwd=tmp_path
    )
    assert code == 2 and "ISO-8601" in err


async def test_two_processes_send_each_channel_one_digest(
    services: Services, local_slack: LocalSlack, database_url: str, tmp_path: Path
) -> None:
    from handlers.digest.runs import plan_next
    from storage.queries.digests import subscribe

    monday, friday_4pm = (
        datetime(2026, 11, 30, 15, tzinfo=UTC),
        datetime(2026, 12, 4, 16, tzinfo=UTC),
    )
    channels = [f"C{n:05d}" for n in range(60)]
    for channel in channels:
        values = {
            "team_id": TEAM,
            "channel_id": channel,
            "author_id": "U0ALICE",
            "owner_id": "U0ALICE",
            "text": f"Decision in {channel}",
            "door": "two_way",
            "door_source": "rules",
            "reasons": ["reversible"],
            "status": "shared",
            "request_key": f"seed:{channel}",
            "created_at": monday,
            "updated_at": monday,
            "shared_at": monday,
        }
        async with services.db.session() as session:
            await record_decision(session=session, values=values)
            sub = await subscribe(
                session=session,
                team_id=TEAM,
                channel_id=channel,
                weekday=4,
                at_minute=16 * 60,
                tz="UTC",
                by="U0ALICE",
                at=monday,
            )
            assert await plan_next(session, sub, after=monday) == friday_4pm
    env = cli_env(database_url, local_slack.api_url)

    results = await asyncio.gather(
        *(doorway("tick", "--at", friday_4pm.isoformat(), env=env, cwd=tmp_path) for _ in range(2))
    )
    for code, _, err in results:
        assert code == 0, err
    assert delivered(local_slack) == Counter({channel: 1 for channel in channels})
