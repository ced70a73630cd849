"""Stopping `doorway serve` loses nothing it acknowledged: what can finish within the grace
period finishes; what cannot is kept and finished by the next start. Real processes."""

from __future__ import annotations

import asyncio
import json
import signal
import time
from datetime import date
from pathlib import Path
from urllib.parse import parse_qsl

import aiohttp
from sqlmodel import select

from console.localslack import LocalSlack
from handlers.door.ids import Action
from storage.engine import Database
from storage.models import DoorDecision, UnfinishedRequest
from tests import signing
from tests.driver import ALICE, CHANNEL, TEAM, blocks_of, find_element
from tests.fakes.openai_server import FakeOpenAI
from tests.serving import Served, serve_env, start_serve

SECRET = "stop-secret"
ANSWER = {
    "reasons": ["Vendor lock-in for three years"],
    "door": "one_way",
    "confidence": 0.9,
    "chair_question": "Will my data be safe with the new vendor?",
}


def door(slack: LocalSlack, n: int) -> tuple[str, dict[str, str]]:
    return signing.slash_command(
        "/door",
        f"Decision number {n}",
        team_id=TEAM,
        user_id=ALICE,
        channel_id=CHANNEL,
        response_url=slack.response_url(f"door-{n}"),
        secret=SECRET,
    )


async def rows(tmp_path: Path) -> tuple[list[DoorDecision], list[UnfinishedRequest]]:
    db = Database(f"sqlite:///{tmp_path}/doorway.db")
    try:
        async with db.session() as session:
            decisions = list((await session.exec(select(DoorDecision))).all())
            kept = list((await session.exec(select(UnfinishedRequest))).all())
        return decisions, kept
    finally:
        await db.dispose()


async def serving(tmp_path: Path, slack: LocalSlack, model: FakeOpenAI, **extra: str) -> Served:
    env = serve_env(
        tmp_path,
        SLACK_BOT_TOKEN="xoxb-stop",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=slack.api_url,
        OPENAI_API_KEY="test-key",
        OPENAI_BASE_URL=model.base_url,
        **extra,
    )
    served = await start_serve(tmp_path, env)
    await served.wait_for_line("Doorway is serving Slack")
    return served


async def send_doors(served: Served, slack: LocalSlack, count: int) -> None:
    answers = await asyncio.gather(
        *(signing.post(served.url + "/slack/events", *door(slack, n)) for n in range(count))
    )
    assert [status for status, _ in answers] == [200] * count


async def test_sigterm_lets_acknowledged_work_finish(tmp_path: Path) -> None:
    async with LocalSlack(team_id=TEAM) as slack, FakeOpenAI(content=json.dumps(ANSWER)) as model:
        model.hang(3)
        served = await serving(tmp_path, slack, model)
        await send_doors(served, slack, 20)
        started = time.monotonic()
        served.process.terminate()
        await served.wait_for_line("Doorway is stopping")
        status, _ = await signing.post(served.url + "/slack/events", *door(slack, 99))
        assert status == 503  # no new work while stopping: Slack retries elsewhere
        async with aiohttp.ClientSession() as http, http.get(served.url + "/healthz") as health:
            # and a load balancer stops sending any
            assert (health.status, await health.json()) == (503, {"ok": False, "draining": True})
        await served.wait()
        assert time.monotonic() - started < 20  # the default grace period
        cards = {c.url_name for c in slack.calls("response_url")}
    assert cards == {f"door-{n}" for n in range(20)}
    decisions, kept = await rows(tmp_path)
    assert sorted(d.text for d in decisions) == sorted(f"Decision number {n}" for n in range(20))
    assert {d.door_source for d in decisions} == {"model"}
    assert kept == []
    assert served.process.returncode == 0 and "Traceback" not in served.stderr


async def test_work_that_outlasts_the_grace_period_is_finished_by_the_next_start(
    tmp_path: Path,
) -> None:
    async with LocalSlack(team_id=TEAM) as slack, FakeOpenAI(content=json.dumps(ANSWER)) as model:
        model.hang(30)
        served = await serving(tmp_path, slack, model, DOORWAY_GRACE_SECONDS="1")
        await send_doors(served, slack, 5)
        assert await served.stop() < 8  # 1 s of grace, then keep what is left and go
        assert (
            "5 request(s) still running when the grace period (1 s) ended; 5 kept" in served.stderr
        )
        decisions, kept = await rows(tmp_path)
        assert decisions == [] and len(kept) == 5
        assert slack.calls("response_url") == []

        model.hang(0)
        again = await serving(tmp_path, slack, model)
        await slack.wait_for("response_url", count=5, timeout=20)
        await again.wait_for_line("replayed 5 request(s)")
        assert await again.stop() < 10
        cards = [c.url_name or "" for c in slack.calls("response_url")]
    assert sorted(cards) == sorted(f"door-{n}" for n in range(5))
    decisions, kept = await rows(tmp_path)
    assert sorted(d.text for d in decisions) == sorted(f"Decision number {n}" for n in range(5))
    assert kept == []


async def test_socket_mode_stops_taking_envelopes_and_finishes_acknowledged_ones(
    tmp_path: Path,
) -> None:
    async with LocalSlack(team_id=TEAM) as slack, FakeOpenAI(content=json.dumps(ANSWER)) as model:
        model.hang(2)
        env = serve_env(
            tmp_path,
            SLACK_BOT_TOKEN="xoxb-stop",
            SLACK_APP_TOKEN="xapp-stop",
            SLACK_API_URL=slack.api_url,
            OPENAI_API_KEY="test-key",
            OPENAI_BASE_URL=model.base_url,
        )
        served = await start_serve(tmp_path, env)
        await served.wait_for_line("connected to Slack over Socket Mode")
        acks = await asyncio.gather(
            *(
                slack.socket.deliver("slash_commands", dict(parse_qsl(door(slack, n)[0])))
                for n in range(5)
            )
        )
        assert None not in acks
        served.process.terminate()
        await served.wait()
        cards = {c.url_name for c in slack.calls("response_url")}
    assert cards == {f"door-{n}" for n in range(5)}
    decisions, _ = await rows(tmp_path)
    assert len(decisions) == 5
    assert "Traceback" not in served.stderr


async def test_a_review_date_picked_just_before_sigterm_is_stored(tmp_path: Path) -> None:
    async with LocalSlack(team_id=TEAM) as slack, FakeOpenAI(content=json.dumps(ANSWER)) as model:
        served = await serving(tmp_path, slack, model)
        await send_doors(served, slack, 1)
        card = await slack.wait_for("response_url")
        element, block_id = find_element(blocks_of(card[0]), Action.REVIEW_DATE)
        slack.fail("users.info", delay=3)  # the picker's time zone is looked up after the ack
        payload = signing.block_actions_payload(
            Action.REVIEW_DATE,
            team_id=TEAM,
            user_id=ALICE,
            channel_id=CHANNEL,
            response_url=slack.response_url("picked"),
            action={
                "type": element["type"],
                "action_id": Action.REVIEW_DATE,
                "block_id": block_id,
                "selected_date": "2031-05-06",
                "action_ts": "1700000000.000001",
            },
        )
        status, _ = await signing.post(
            served.url + "/slack/events", *signing.block_actions(payload, secret=SECRET)
        )
        assert status == 200
        assert await served.stop() < 20
    [decision] = (await rows(tmp_path))[0]
    assert decision.review_at == date(2031, 5, 6)


async def test_a_second_signal_ends_the_grace_period_and_keeps_what_is_left(tmp_path: Path) -> None:
    async with LocalSlack(team_id=TEAM) as slack, FakeOpenAI(content=json.dumps(ANSWER)) as model:
        model.hang(30)  # the model gives up after 4 s; then the cards stall too
        slack.fail("response_url", delay=60, times=3)
        served = await serving(tmp_path, slack, model)  # the default 20 s of grace
        await send_doors(served, slack, 3)
        started = time.monotonic()
        served.process.send_signal(signal.SIGINT)
        await served.wait_for_line("Doorway is stopping")
        assert await served.stop(signal.SIGINT) < 5
        assert time.monotonic() - started < 6
    _, kept = await rows(tmp_path)
    assert len(kept) == 3
