"""`guarded`: a listener failing before its ack still acks, and the person is told."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import guarded
from console.localslack import LocalSlack
from tests import signing


async def fails_before_ack(ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext) -> None:
    raise RuntimeError("a bug before the ack")


@pytest.fixture
async def bolt() -> AsyncIterator[tuple[str, LocalSlack]]:
    """A Bolt app whose every listener, registered through `guarded`, fails before acking."""
    async with LocalSlack() as slack:
        client = AsyncWebClient(token="xoxb-test", base_url=slack.api_url)
        app = AsyncApp(client=client, signing_secret=signing.SIGNING_SECRET)
        app.command("/door")(guarded(fails_before_ack))
        app.action("door_share")(guarded(fails_before_ack))
        app.view("door_modal")(guarded(fails_before_ack))
        runner = web.AppRunner(app.web_app(path="/slack/events"))
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        host, port = runner.addresses[0][:2]
        try:
            yield f"http://{host}:{port}/slack/events", slack
        finally:
            await runner.cleanup()


def _error_ids(caplog: pytest.LogCaptureFixture) -> list[str]:
    found = [
        re.search(r"unexpected error (\w+)", r.getMessage())
        for r in caplog.records
        if r.levelno >= logging.ERROR
    ]
    return [m.group(1) for m in found if m]


async def test_a_command_failing_before_its_ack_is_acked_and_told(
    bolt: tuple[str, LocalSlack], caplog: pytest.LogCaptureFixture
) -> None:
    url, slack = bolt
    body, headers = signing.slash_command(
        "/door",
        "x",
        team_id=slack.team_id,
        user_id="U1",
        channel_id="C1",
        response_url=slack.response_url("c"),
    )
    status, _ = await signing.post(url, body, headers)
    assert status == 200
    [told] = await slack.wait_for("response_url")
    [error_id] = _error_ids(caplog)
    assert error_id in told.args["text"] and told.args["response_type"] == "ephemeral"


async def test_a_button_failing_before_its_ack_is_acked_and_told(
    bolt: tuple[str, LocalSlack], caplog: pytest.LogCaptureFixture
) -> None:
    url, slack = bolt
    payload = signing.block_actions_payload(
        "door_share",
        "1",
        team_id=slack.team_id,
        user_id="U1",
        channel_id="C1",
        response_url=slack.response_url("b"),
    )
    status, _ = await signing.post(url, *signing.block_actions(payload))
    assert status == 200
    [told] = await slack.wait_for("response_url")
    [error_id] = _error_ids(caplog)
    assert error_id in told.args["text"]


async def test_a_submission_failing_before_its_ack_gets_the_message_in_the_modal(
    bolt: tuple[str, LocalSlack], caplog: pytest.LogCaptureFixture
) -> None:
    url, slack = bolt
    body, headers = signing.view_submission("door_modal", {}, team_id=slack.team_id, user_id="U1")
    status, answer = await signing.post(url, body, headers)
    assert status == 200
    response = json.loads(answer)
    assert response["response_action"] == "update"
    [error_id] = _error_ids(caplog)
    assert error_id in json.dumps(response["view"])
    assert len([r for r in caplog.records if r.exc_info]) == 1, "logged once, with its trace"
