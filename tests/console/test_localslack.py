"""LocalSlack answers a real slack_sdk client the way Slack would."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from console.localslack import Call, LocalSlack
from tests.blockkit import assert_valid_call

BLOCKS: list[dict[str, Any]] = [
    {"type": "section", "block_id": "s", "text": {"type": "mrkdwn", "text": "*Hi*"}},
    {
        "type": "actions",
        "elements": [
            {"type": "button", "action_id": "go", "text": {"type": "plain_text", "text": "Go"}}
        ],
    },
]


@pytest.fixture
async def slack() -> AsyncIterator[LocalSlack]:
    async with LocalSlack() as fake:
        yield fake


@pytest.fixture
def client(slack: LocalSlack) -> AsyncWebClient:
    return AsyncWebClient(token="xoxb-test", base_url=slack.api_url)


async def test_auth_test(slack: LocalSlack, client: AsyncWebClient) -> None:
    auth = await client.auth_test()
    assert (auth["team_id"], auth["user_id"], auth["bot_id"]) == (
        slack.team_id,
        slack.user_id,
        slack.bot_id,
    )
    assert [c.method for c in slack.calls()] == ["auth.test"]
    assert slack.last("auth.test").token == "xoxb-test"


async def test_post_message_records_json_and_returns_increasing_ts(
    slack: LocalSlack, client: AsyncWebClient
) -> None:
    first = await client.chat_postMessage(channel="C1", text="hello", blocks=BLOCKS)
    second = await client.chat_postMessage(channel="C1", text="again", thread_ts=first["ts"])
    assert first["ts"] == "1700000000.000100"
    assert float(second["ts"]) > float(first["ts"])
    assert first["message"]["blocks"] == BLOCKS
    call = slack.last("chat.postMessage")
    assert call.args == {"channel": "C1", "text": "again", "thread_ts": first["ts"]}
    assert slack.calls("chat.postMessage")[0].args["blocks"] == BLOCKS
    assert call.response is not None and call.ts == second["ts"]


async def test_form_encoded_blocks_are_decoded(slack: LocalSlack) -> None:
    async with aiohttp.ClientSession() as session:
        form = {"token": "xoxb-form", "channel": "C1", "text": "t", "blocks": json.dumps(BLOCKS)}
        async with session.post(slack.api_url + "chat.postMessage", data=form) as response:
            assert (await response.json())["ok"] is True
    call = slack.last("chat.postMessage")
    assert call.args["blocks"] == BLOCKS
    assert call.token == "xoxb-form" and "token" not in call.args


async def test_update_permalink_and_message_state(
    slack: LocalSlack, client: AsyncWebClient
) -> None:
    posted = await client.chat_postMessage(channel="C1", text="v1")
    updated = await client.chat_update(channel="C1", ts=posted["ts"], text="v2")
    assert updated["ts"] == posted["ts"] and updated["text"] == "v2"
    assert slack.messages[("C1", posted["ts"])]["text"] == "v2"
    link = await client.chat_getPermalink(channel="C1", message_ts=posted["ts"])
    assert (
        link["permalink"]
        == f"https://example.slack.com/archives/C1/p{posted['ts'].replace('.', '')}"
    )


async def test_ephemeral_dm_and_conversations(slack: LocalSlack, client: AsyncWebClient) -> None:
    slack.add_channel("CSECRET", name="secret", is_private=True)
    ephemeral = await client.chat_postEphemeral(channel="C1", user="U1", text="only you")
    assert ephemeral["message_ts"]
    assert (await client.conversations_open(users="U1"))["channel"]["id"] == "DU1"
    dm = await client.chat_postMessage(channel="U1", text="psst")
    assert dm["channel"] == "DU1"
    public = (await client.conversations_info(channel="C1"))["channel"]
    assert public["is_private"] is False and public["is_member"] is True
    private = (await client.conversations_info(channel="CSECRET"))["channel"]
    assert private["is_private"] is True and private["name"] == "secret"


async def test_history_holds_the_channels_messages_not_thread_replies(
    slack: LocalSlack, client: AsyncWebClient
) -> None:
    first = await client.chat_postMessage(channel="C1", text="one")
    await client.chat_postMessage(channel="C1", text="a reply", thread_ts=first["ts"])
    second = await client.chat_postMessage(channel="C1", text="two")
    await client.chat_postMessage(channel="C2", text="elsewhere")
    everything = await client.conversations_history(channel="C1")
    assert [m["text"] for m in everything["messages"]] == ["two", "one"]
    exactly = await client.conversations_history(
        channel="C1", oldest=first["ts"], latest=first["ts"], inclusive=True, limit=1
    )
    assert [m["text"] for m in exactly["messages"]] == ["one"]
    between = await client.conversations_history(channel="C1", oldest=first["ts"])
    assert [m["ts"] for m in between["messages"]] == [second["ts"]]


async def test_an_in_channel_answer_to_a_response_url_is_in_the_channel(
    slack: LocalSlack,
) -> None:
    url = slack.response_url("chair", channel="C1")
    await AsyncWebhookClient(url).send(text="Questions", response_type="in_channel")
    await AsyncWebhookClient(slack.response_url("private", channel="C1")).send(text="just you")
    posted = slack.last("response_url").posted_ts
    assert posted is None
    [(channel, ts)] = list(slack.messages)
    assert channel == "C1" and slack.calls("response_url")[0].posted_ts == ts
    assert slack.messages[(channel, ts)]["text"] == "Questions"


async def test_users_info(slack: LocalSlack, client: AsyncWebClient) -> None:
    slack.add_user("U1", name="ada", real_name="Ada L", tz="Europe/London", tz_offset=3600)
    user = (await client.users_info(user="U1"))["user"]
    assert (user["name"], user["real_name"], user["tz"], user["tz_offset"]) == (
        "ada",
        "Ada L",
        "Europe/London",
        3600,
    )
    assert user["is_bot"] is False and user["deleted"] is False
    with pytest.raises(SlackApiError) as raised:
        await client.users_info(user="UNKNOWN")
    assert raised.value.response["error"] == "user_not_found"


async def test_views(slack: LocalSlack, client: AsyncWebClient) -> None:
    modal = {
        "type": "modal",
        "callback_id": "commit",
        "title": {"type": "plain_text", "text": "Commit"},
        "blocks": BLOCKS,
    }
    opened = (await client.views_open(trigger_id="123.456.abc", view=modal))["view"]
    assert opened["id"].startswith("V") and opened["hash"] and opened["callback_id"] == "commit"
    again = (await client.views_open(trigger_id="123.456.abc", view=modal))["view"]
    assert again["id"] != opened["id"]
    home = {"type": "home", "blocks": BLOCKS}
    first = (await client.views_publish(user_id="U1", view=home))["view"]
    again = (await client.views_publish(user_id="U1", view=home))["view"]
    assert first["id"] == again["id"]
    assert slack.last("views.publish").args["view"] == home


async def test_unknown_method_and_bad_tokens(slack: LocalSlack, client: AsyncWebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        await client.api_call("no.such.method")
    assert raised.value.response["error"] == "unknown_method"
    with pytest.raises(SlackApiError) as raised:
        await AsyncWebClient(token="xoxp-user", base_url=slack.api_url).auth_test()
    assert raised.value.response["error"] == "invalid_auth"
    with pytest.raises(SlackApiError) as raised:
        await AsyncWebClient(base_url=slack.api_url).auth_test()
    assert raised.value.response["error"] == "not_authed"


async def test_expected_token_is_configurable() -> None:
    async with LocalSlack(token="xoxb-right") as slack:
        good = AsyncWebClient(token="xoxb-right", base_url=slack.api_url)
        assert (await good.auth_test())["ok"]
        with pytest.raises(SlackApiError):
            await AsyncWebClient(token="xoxb-wrong", base_url=slack.api_url).auth_test()


async def test_fail_with_error_then_recovers(slack: LocalSlack, client: AsyncWebClient) -> None:
    slack.fail("chat.postMessage", error="not_in_channel", times=2)
    for _ in range(2):
        with pytest.raises(SlackApiError) as raised:
            await client.chat_postMessage(channel="C1", text="x")
        assert raised.value.response["error"] == "not_in_channel"
    assert (await client.chat_postMessage(channel="C1", text="x"))["ok"]


async def test_server_error(slack: LocalSlack, client: AsyncWebClient) -> None:
    slack.fail("chat.postMessage", status=500)
    with pytest.raises(SlackApiError) as raised:
        await client.chat_postMessage(channel="C1", text="x")
    assert raised.value.response.status_code == 500
    assert slack.last("chat.postMessage").status == 500


async def test_rate_limit_retry_after_is_honoured(slack: LocalSlack) -> None:
    handler = AsyncRateLimitErrorRetryHandler(max_retry_count=1)
    client = AsyncWebClient(token="xoxb-test", base_url=slack.api_url, retry_handlers=[handler])
    slack.fail("chat.postMessage", status=429, retry_after=1)
    started = time.monotonic()
    response = await client.chat_postMessage(channel="C1", text="eventually")
    assert response["ok"]
    first, second = slack.calls("chat.postMessage")
    assert (first.status, second.status) == (429, 200)
    assert second.at - first.at >= 1.0
    assert time.monotonic() - started >= 1.0


async def test_rate_limit_without_retry_handler_raises(slack: LocalSlack) -> None:
    client = AsyncWebClient(token="xoxb-test", base_url=slack.api_url, retry_handlers=[])
    slack.fail("chat.postMessage", status=429, retry_after=3)
    with pytest.raises(SlackApiError) as raised:
        await client.chat_postMessage(channel="C1", text="x")
    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] == "3"
    assert raised.value.response["error"] == "ratelimited"


async def test_delay_times_out_the_client(slack: LocalSlack) -> None:
    client = AsyncWebClient(token="xoxb-test", base_url=slack.api_url, timeout=1)
    slack.fail("chat.postMessage", delay=30)
    started = time.monotonic()
    with pytest.raises(asyncio.TimeoutError):
        await client.chat_postMessage(channel="C1", text="slow")
    assert time.monotonic() - started < 3
    assert slack.last("chat.postMessage").answered is False


async def test_stop_cuts_a_delay_short() -> None:
    slack = await LocalSlack().start()
    client = AsyncWebClient(token="xoxb-test", base_url=slack.api_url, timeout=10)
    slack.fail("chat.postMessage", delay=30)
    task = asyncio.create_task(client.chat_postMessage(channel="C1", text="slow"))
    arrived = await slack.wait_for("chat.postMessage", answered=False)
    assert arrived[0].status is None
    started = time.monotonic()
    await slack.stop()
    assert time.monotonic() - started < 3
    with pytest.raises(SlackApiError) as raised:
        await task
    assert raised.value.response.status_code == 503


async def test_latency_applies_to_every_call() -> None:
    async with LocalSlack(latency=0.2) as slack:
        client = AsyncWebClient(token="xoxb-test", base_url=slack.api_url)
        started = time.monotonic()
        await client.auth_test()
        assert time.monotonic() - started >= 0.2


async def test_response_url_via_webhook_client(slack: LocalSlack) -> None:
    url = slack.response_url("door-1")
    assert url.startswith(slack.base_url + "/response/")
    webhook = AsyncWebhookClient(url)
    response = await webhook.send(text="Sized", blocks=BLOCKS, response_type="ephemeral")
    assert response.status_code == 200
    call = slack.last("response_url")
    assert call.url_name == "door-1"
    assert call.args == {"text": "Sized", "blocks": BLOCKS, "response_type": "ephemeral"}
    assert call.token is None


async def test_wait_for_and_on_call_callbacks() -> None:
    seen: list[str] = []

    async def on_call(call: Call) -> None:
        seen.append(f"{call.method}:{call.response and call.response.get('ok')}")

    async with LocalSlack(on_call=on_call) as slack:
        client = AsyncWebClient(token="xoxb-test", base_url=slack.api_url)

        async def later() -> None:
            await asyncio.sleep(0.1)
            await client.chat_postMessage(channel="C1", text="one")
            await client.chat_postMessage(channel="C1", text="two")

        task = asyncio.create_task(later())
        calls = await slack.wait_for("chat.postMessage", count=2, timeout=5)
        await task
        assert [c.args["text"] for c in calls] == ["one", "two"]
        assert seen == ["chat.postMessage:True", "chat.postMessage:True"]
        with pytest.raises(TimeoutError, match="chat.update"):
            await slack.wait_for("chat.update", timeout=0.1)
        slack.clear()
        assert slack.calls() == []
        with pytest.raises(AssertionError):
            slack.last("chat.postMessage")

    sync_seen: list[str] = []
    async with LocalSlack(on_call=lambda call: sync_seen.append(call.method)) as slack:
        await AsyncWebClient(token="xoxb-test", base_url=slack.api_url).auth_test()
    assert sync_seen == ["auth.test"]


async def test_validator_refuses_bad_blocks_like_slack() -> None:
    async with LocalSlack(validator=assert_valid_call) as slack:
        client = AsyncWebClient(token="xoxb-test", base_url=slack.api_url)
        assert (await client.chat_postMessage(channel="C1", text="fine", blocks=BLOCKS))["ok"]
        bad = [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}]
        with pytest.raises(SlackApiError) as raised:
            await client.chat_postMessage(channel="C1", text="too long", blocks=bad)
        assert raised.value.response["error"] == "invalid_blocks"
        assert "3001" in raised.value.response["response_metadata"]["messages"][0]
        with pytest.raises(SlackApiError) as raised:
            await client.views_open(trigger_id="t", view={"type": "modal", "blocks": BLOCKS})
        assert raised.value.response["error"] == "invalid_arguments"
