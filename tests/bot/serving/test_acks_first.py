"""A burst's acks go first: the work after a listener's ack waits until no request is
waiting for its own ack, then for one of a few places, first come first served."""

from __future__ import annotations

import asyncio
from typing import Any

from slack_bolt.authorization import AuthorizeResult
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import guarded
from bot.inflight import InFlight
from bot.serving.dispatch import DoorwayApp


def door(i: int) -> dict[str, Any]:
    return {
        "command": "/door",
        "text": f"decision {i}",
        "team_id": "T1",
        "user_id": "U1",
        "channel_id": "C1",
        "trigger_id": f"t{i}",
        "response_url": f"http://127.0.0.1:9/{i}",
    }


def app_recording(inflight: InFlight, events: list[str], work: Any) -> DoorwayApp:
    async def authorize(enterprise_id: str | None, team_id: str | None) -> AuthorizeResult:
        return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id, bot_token="xoxb-t")

    app = DoorwayApp(
        inflight=inflight,
        client=AsyncWebClient(token="xoxb-t", base_url="http://127.0.0.1:9/api/"),
        authorize=authorize,
        signing_secret="test-secret",
        process_before_response=False,
    )

    async def on_door(ack: AsyncAck, command: dict[str, Any]) -> None:
        await ack()
        events.append(f"work {command['text']}")
        await work(command)

    app.command("/door")(guarded(on_door))
    return app


async def dispatch(app: DoorwayApp, events: list[str], i: int) -> None:
    response = await app.async_dispatch(AsyncBoltRequest(body=door(i), mode="socket_mode"))
    assert response.status == 200
    events.append(f"ack decision {i}")


async def test_every_ack_of_a_burst_is_answered_before_any_work_after_an_ack() -> None:
    inflight, events = InFlight(), list[str]()

    async def slow(_: dict[str, Any]) -> None:
        await asyncio.sleep(0)

    app = app_recording(inflight, events, slow)
    await asyncio.gather(*(dispatch(app, events, i) for i in range(20)))
    await inflight.idle()

    assert len(events) == 40
    kinds = [event.split()[0] for event in events]
    assert kinds == ["ack"] * 20 + ["work"] * 20


async def test_work_after_the_ack_runs_in_few_places_first_come_first_served() -> None:
    inflight, events = InFlight(), list[str]()
    inflight.workers = asyncio.Semaphore(2)
    running: list[str] = []
    most = 0
    release = asyncio.Event()

    places_taken = asyncio.Event()

    async def held(command: dict[str, Any]) -> None:
        nonlocal most
        running.append(command["text"])
        most = max(most, len(running))
        if len(running) == 2:
            places_taken.set()
        await release.wait()
        running.remove(command["text"])

    app = app_recording(inflight, events, held)
    for i in range(5):  # one after another: their work queues in this order
        await dispatch(app, events, i)
    await places_taken.wait()
    for _ in range(10):
        await asyncio.sleep(0)
    assert sorted(running) == ["decision 0", "decision 1"]  # the rest wait for a place
    assert inflight.running == 5  # waiting, they still count: a stop waits for them, or keeps them

    release.set()
    await inflight.idle()
    assert most == 2
    started = [event.removeprefix("work ") for event in events if event.startswith("work")]
    assert started == [f"decision {i}" for i in range(5)]
