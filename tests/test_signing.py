"""Requests from tests/signing.py pass Bolt's own checks, or fail them on purpose."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs

import pytest
from aiohttp import web
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from console.localslack import LocalSlack
from tests import signing


def test_signature_matches_slack_sdk() -> None:
    body, headers = signing.slash_command(
        "/door",
        "Try a blue button",
        team_id="T1",
        user_id="U1",
        channel_id="C1",
        response_url="http://localhost/response/x",
    )
    verifier = SignatureVerifier(signing.SIGNING_SECRET)
    assert verifier.is_valid_request(body, headers)
    fields = {k: v[0] for k, v in parse_qs(body).items()}
    assert fields["command"] == "/door" and fields["text"] == "Try a blue button"
    assert fields["is_enterprise_install"] == "false" and fields["trigger_id"]
    _, bad = signing.slash_command(
        "/door",
        "x",
        team_id="T1",
        user_id="U1",
        channel_id="C1",
        response_url="http://localhost/",
        bad_signature=True,
    )
    assert not verifier.is_valid_request(body, bad)
    assert not verifier.is_valid_request(body, signing.sign(body, stale=True))
    assert signing.sign(body, retry_num=1)["X-Slack-Retry-Reason"] == "http_timeout"


def test_interactive_payloads_are_form_encoded_json() -> None:
    payload = signing.block_actions_payload(
        "share",
        "42",
        team_id="T1",
        user_id="U1",
        channel_id="C1",
        message={"ts": "1700000000.000100", "text": "card"},
    )
    body, headers = signing.block_actions(payload)
    decoded = json.loads(parse_qs(body)["payload"][0])
    assert decoded["type"] == "block_actions"
    assert decoded["actions"][0]["value"] == "42"
    assert decoded["container"]["message_ts"] == "1700000000.000100"
    assert headers["Content-Type"] == signing.FORM
    body, _ = signing.view_submission(
        "commit",
        {"b": {"a": {"type": "plain_text_input", "value": "v"}}},
        team_id="T1",
        user_id="U1",
        private_metadata="C1",
    )
    view = json.loads(parse_qs(body)["payload"][0])["view"]
    assert view["callback_id"] == "commit" and view["state"]["values"]["b"]["a"]["value"] == "v"


@pytest.fixture
async def bolt() -> AsyncIterator[tuple[str, LocalSlack]]:
    """A tiny Bolt app served over HTTP, talking to LocalSlack."""
    async with LocalSlack() as slack:
        client = AsyncWebClient(token="xoxb-test", base_url=slack.api_url)
        app = AsyncApp(client=client, signing_secret=signing.SIGNING_SECRET)

        @app.command("/door")
        async def door(ack: AsyncAck, respond: AsyncRespond, command: dict[str, Any]) -> None:
            await ack()
            await respond(text=f"sized: {command['text']}")

        @app.event("reaction_added")
        async def reaction(event: dict[str, Any]) -> None:
            await client.chat_postMessage(channel=event["item"]["channel"], text="chair")

        runner = web.AppRunner(app.web_app(path="/slack/events"))
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        host, port = runner.addresses[0][:2]
        try:
            yield f"http://{host}:{port}/slack/events", slack
        finally:
            await runner.cleanup()


async def test_bolt_accepts_signed_requests(bolt: tuple[str, LocalSlack]) -> None:
    url, slack = bolt
    body, headers = signing.slash_command(
        "/door",
        "Try a blue button",
        team_id=slack.team_id,
        user_id="U1",
        channel_id="C1",
        response_url=slack.response_url("door"),
    )
    status, _ = await signing.post(url, body, headers)
    assert status == 200
    (call,) = await slack.wait_for("response_url")
    assert call.args["text"] == "sized: Try a blue button"

    event = {
        "type": "reaction_added",
        "user": "U1",
        "reaction": "chair",
        "item": {"type": "message", "channel": "C1", "ts": "1.2"},
        "event_ts": "1.3",
    }
    body, headers = signing.event_callback(event, team_id=slack.team_id, event_id="Ev1")
    status, _ = await signing.post(url, body, headers)
    assert status == 200
    await slack.wait_for("chat.postMessage")


async def test_bolt_refuses_bad_and_stale_signatures(bolt: tuple[str, LocalSlack]) -> None:
    url, slack = bolt
    for option in ({"bad_signature": True}, {"stale": True}):
        body, headers = signing.slash_command(
            "/door",
            "x",
            team_id=slack.team_id,
            user_id="U1",
            channel_id="C1",
            response_url=slack.response_url("door"),
            **option,  # type: ignore[arg-type]
        )
        status, _ = await signing.post(url, body, headers)
        assert status == 401
    assert slack.calls("response_url") == []
