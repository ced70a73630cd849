"""`doorway serve` starting up: what listens in which mode, and how Slack's answers (or
their absence) at start are handled. Real processes, real signals."""

from __future__ import annotations

import signal
from pathlib import Path
from urllib.parse import parse_qsl

import aiohttp
import pytest
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.app import build_app
from bot.services import Services
from bot.serving.http import start_http
from console.localslack import LocalSlack
from tests import signing
from tests.driver import ALICE, CHANNEL, TEAM
from tests.serving import free_port, serve_env, serving_over_socket_mode, start_serve


def slash_payload(slack: LocalSlack, text: str, name: str) -> dict[str, str]:
    """A /door as Socket Mode carries it: the fields HTTP would form-encode."""
    body, _ = signing.slash_command(
        "/door",
        text,
        team_id=TEAM,
        user_id=ALICE,
        channel_id=CHANNEL,
        response_url=slack.response_url(name),
    )
    return dict(parse_qsl(body))


# -- item 1: Socket Mode never serves Slack's requests over HTTP --------------------------


def test_an_app_for_http_needs_a_signing_secret(services: Services) -> None:
    settings = services.settings.model_copy(update={"slack_signing_secret": None})
    bare = Services(settings=settings, db=services.db, slack=services.slack)
    with pytest.raises(ValueError, match="signing secret"):
        build_app(bare)
    with pytest.raises(ValueError, match="signing secret"):
        build_app(bare, signing_secret="")
    build_app(bare, socket_mode=True)


async def test_a_socket_mode_app_still_refuses_unsigned_http(services: Services) -> None:
    settings = services.settings.model_copy(update={"slack_signing_secret": None})
    bare = Services(settings=settings, db=services.db, slack=services.slack)
    app = build_app(bare, socket_mode=True)
    body, headers = signing.slash_command(
        "/door",
        "Forged",
        team_id=TEAM,
        user_id=ALICE,
        channel_id=CHANNEL,
        response_url="http://x/y",
        secret="",
    )
    response = await app.async_dispatch(AsyncBoltRequest(body=body, headers=dict(headers)))
    assert response.status == 401


async def test_in_socket_mode_the_port_serves_health_only(services: Services) -> None:
    app = build_app(services, socket_mode=True)
    runner = await start_http(app, services, host="127.0.0.1", port=0, serve_slack=False)
    host, port = runner.addresses[0][:2]
    body, headers = signing.slash_command(
        "/door",
        "Forged",
        team_id=TEAM,
        user_id=ALICE,
        channel_id=CHANNEL,
        response_url="http://x/y",
    )
    try:
        status, _ = await signing.post(f"http://{host}:{port}/slack/events", body, headers)
        assert status in (404, 405)
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"http://{host}:{port}/healthz") as health,
        ):
            assert health.status == 200
    finally:
        await runner.cleanup()


async def test_serve_in_socket_mode_answers_over_the_socket_not_the_port(tmp_path: Path) -> None:
    async with (
        LocalSlack(team_id=TEAM) as slack,
        serving_over_socket_mode(tmp_path, slack) as (served, _),
    ):
        body, headers = signing.slash_command(
            "/door",
            "Forged from outside",
            team_id=TEAM,
            user_id=ALICE,
            channel_id=CHANNEL,
            response_url=slack.response_url("forged"),
            secret="",
        )
        status, _ = await signing.post(served.url + "/slack/events", body, headers)
        assert status in (404, 405)
        async with aiohttp.ClientSession() as http, http.get(served.url + "/healthz") as health:
            assert health.status == 200
        ack = await slack.socket.deliver(
            "slash_commands", slash_payload(slack, "Try a blue button", "socket")
        )
        assert ack is not None
        await slack.wait_for("response_url")
        assert [c.url_name for c in slack.calls("response_url")] == ["socket"]
    assert "Traceback" not in served.stderr


# -- item 6: start-up against a Slack that refuses, stalls or is not there ----------------


async def test_a_bot_token_slack_rejects_stops_serve_with_one_line(tmp_path: Path) -> None:
    async with LocalSlack(team_id=TEAM, token="xoxb-the-right-one") as slack:
        env = serve_env(
            tmp_path,
            SLACK_BOT_TOKEN="xoxb-revoked",
            SLACK_SIGNING_SECRET="s",
            SLACK_API_URL=slack.api_url,
        )
        served = await start_serve(tmp_path, env)
        assert await served.wait() == 2
    [line] = [line for line in served.lines if "SLACK_BOT_TOKEN" in line]
    assert "rejected by Slack (invalid_auth)" in line
    assert "Traceback" not in served.stderr
    assert "xoxb-revoked" not in served.stderr


async def test_an_app_token_slack_rejects_stops_serve_with_one_line(tmp_path: Path) -> None:
    async with LocalSlack(team_id=TEAM) as slack:
        slack.fail("apps.connections.open", error="invalid_auth")
        env = serve_env(
            tmp_path,
            SLACK_BOT_TOKEN="xoxb-ok",
            SLACK_APP_TOKEN="xapp-revoked",
            SLACK_API_URL=slack.api_url,
        )
        served = await start_serve(tmp_path, env)
        assert await served.wait() == 2
    [line] = [line for line in served.lines if "SLACK_APP_TOKEN" in line]
    assert "rejected by Slack (invalid_auth)" in line
    assert "Traceback" not in served.stderr


async def test_an_unreachable_slack_is_retried_with_one_line_each_until_sigterm(
    tmp_path: Path,
) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}/api/"  # nothing listens there
    env = serve_env(
        tmp_path, SLACK_BOT_TOKEN="xoxb-ok", SLACK_APP_TOKEN="xapp-ok", SLACK_API_URL=nowhere
    )
    served = await start_serve(tmp_path, env)
    await served.wait_for_line("attempt 2,")
    tries = [line for line in served.lines if "can't reach Slack" in line]
    assert len(tries) >= 2, served.stderr
    assert "attempt 1, trying again in 1 s" in tries[0]
    assert "attempt 2, trying again in 2 s" in tries[1]
    assert await served.stop() < 5
    assert served.process.returncode == 0
    assert "Traceback" not in served.stderr


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
async def test_a_signal_while_slack_stalls_the_connect_stops_serve_quickly(
    tmp_path: Path, sig: int
) -> None:
    async with LocalSlack(team_id=TEAM) as slack:
        slack.fail("apps.connections.open", delay=60)
        env = serve_env(
            tmp_path,
            SLACK_BOT_TOKEN="xoxb-ok",
            SLACK_APP_TOKEN="xapp-ok",
            SLACK_API_URL=slack.api_url,
        )
        served = await start_serve(tmp_path, env)
        await slack.wait_for("apps.connections.open", answered=False, timeout=20)
        assert await served.stop(sig) < 5
    assert served.process.returncode == 0
    assert "Traceback" not in served.stderr
