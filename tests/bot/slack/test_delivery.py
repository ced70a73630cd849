"""The delivery guarantee, clause by clause: every scheduled item is delivered at least once;
a duplicate is possible only when the process dies, or Slack's answer is lost, between
Slack's accepting a message and the database recording it."""

from __future__ import annotations

import asyncio
import os
import signal
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp import ServerDisconnectedError
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from sqlalchemy import update
from sqlmodel import col

from bot.services import Services
from bot.slack.client import ConnectionErrorRetry, ServerErrorRetry
from console.localslack import Call, LocalSlack
from storage.models import Job, JobState
from tests.bot.test_tick_processes import NINE_UTC, delivered, seed_reviews
from tests.driver import TEAM
from tests.ticking import DOORWAY, cli_env, doorway, jobs, tick


def posts(slack: LocalSlack) -> list[int | None]:
    return [c.status for c in slack.calls("chat.postMessage")]


async def test_a_crash_between_the_post_and_the_settle_resends_exactly_once(
    services: Services, local_slack: LocalSlack, database_url: str, tmp_path: Path
) -> None:
    [owner] = await seed_reviews(services, local_slack, 1)
    env = cli_env(database_url, local_slack.api_url)
    at = NINE_UTC.isoformat()
    ticking: list[asyncio.subprocess.Process] = []

    def crash(call: Call) -> None:
        # Slack has taken the message; the process dies before it hears so.
        if call.method == "chat.postMessage" and ticking:
            os.kill(ticking.pop().pid, signal.SIGKILL)

    local_slack.on_call = crash
    process = await asyncio.create_subprocess_exec(
        DOORWAY,
        "tick",
        "--at",
        at,
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    ticking.append(process)
    assert await asyncio.wait_for(process.wait(), 60) == -signal.SIGKILL
    assert delivered(local_slack) == Counter({owner: 1})
    [job] = await jobs(services, TEAM, "review:")
    assert job.state == JobState.CLAIMED, "the database never heard it was sent"

    # The dead process's lease runs out (moved into the past rather than waited for).
    async with services.db.session() as session:
        await session.exec(
            update(Job)
            .where(col(Job.id) == job.id)  # type: ignore[call-overload]
            .values(lease_until=services.clock.now() - timedelta(seconds=1))
        )
    for _ in range(2):
        code, _, err = await doorway("tick", "--at", at, env=env, cwd=tmp_path)
        assert code == 0, err
    assert delivered(local_slack) == Counter({owner: 2}), "one re-send, and only one"
    [job] = await jobs(services, TEAM, "review:")
    assert job.state == JobState.DONE


async def test_a_rate_limited_post_is_waited_out_and_sent_once(
    services: Services, local_slack: LocalSlack
) -> None:
    [owner] = await seed_reviews(services, local_slack, 1)
    local_slack.fail("chat.postMessage", status=429, retry_after=1)
    report = await tick(services, NINE_UTC)
    assert report.done == 1
    assert posts(local_slack) == [429, 200]  # Slack applied nothing the first time
    assert delivered(local_slack) == Counter({owner: 1})


async def test_a_post_slack_fails_is_not_resent_by_the_client_but_by_its_job(
    services: Services, local_slack: LocalSlack
) -> None:
    [owner] = await seed_reviews(services, local_slack, 1)
    local_slack.fail("chat.postMessage", status=500)
    report = await tick(services, NINE_UTC)
    assert report.retrying == 1
    assert posts(local_slack) == [500], "a 500 may have been posted: the client must not re-send"
    [job] = await jobs(services, TEAM, "review:")
    assert (job.state, job.attempts) == (JobState.PENDING, 1)
    assert "500" in (job.last_error or "")

    report = await tick(services, NINE_UTC + timedelta(minutes=2))  # its own backoff
    assert report.done == 1
    assert posts(local_slack) == [500, 200]
    assert delivered(local_slack) == Counter({owner: 1})


def request_for(method: str) -> HttpRequest:
    return HttpRequest(method="POST", url=f"https://slack.com/api/{method}", headers={})


@pytest.mark.parametrize(
    ("method", "retried"),
    [
        ("chat.postMessage", False),
        ("chat.postEphemeral", False),
        ("views.open", False),
        ("chat.update", True),
        ("users.info", True),
        ("views.publish", True),
    ],
)
async def test_the_client_re_sends_only_calls_that_are_safe_to_apply_twice(
    method: str, retried: bool
) -> None:
    request = request_for(method)
    server = await ServerErrorRetry().can_retry_async(
        state=RetryState(), request=request, response=HttpResponse(status_code=500, headers={})
    )
    dropped = await ConnectionErrorRetry().can_retry_async(
        state=RetryState(), request=request, error=ServerDisconnectedError()
    )
    assert (server, dropped) == (retried, retried)


async def test_a_post_whose_answer_is_lost_is_sent_again_by_its_job(
    services: Services, local_slack: LocalSlack
) -> None:
    [owner] = await seed_reviews(services, local_slack, 1)
    services.slack.timeout = 1
    local_slack.fail("chat.postMessage", delay=2)  # Slack posts it, but answers too late
    report = await tick(services, NINE_UTC)
    assert report.retrying == 1
    await local_slack.wait_for("chat.postMessage")
    assert delivered(local_slack) == Counter({owner: 1})
    await tick(services, NINE_UTC + timedelta(minutes=2))
    # The one duplicate the guarantee allows: Slack had it, the answer never came back.
    assert delivered(local_slack) == Counter({owner: 2})
    [job] = await jobs(services, TEAM, "review:")
    assert job.state == JobState.DONE
