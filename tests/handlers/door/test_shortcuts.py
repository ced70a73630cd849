"""The door room's shortcuts through the real surface: *Size this decision* on a message
(the card in its thread, linked back to it) and *Log a decision* from anywhere."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel import col, select

from bot.export import decision_log
from handlers.door.ids import Callback, Field, Shortcut
from storage.models import DoorDecision
from tests import signing
from tests.driver import ALICE, BOB, CHANNEL, OTHER_TEAM, TEAM, BotDriver, blocks_of, text_of

SOURCE_TS = "1700000000.000100"
PERMALINK = f"https://example.slack.com/archives/{CHANNEL}/p1700000000000100"


def said(text: str, *, user: str = BOB, ts: str = SOURCE_TS, **extra: Any) -> dict[str, Any]:
    """A person's message, as a message shortcut's payload carries it."""
    return {"type": "message", "user": user, "ts": ts, "text": text, "team": TEAM, **extra}


async def decisions(bot: BotDriver) -> list[DoorDecision]:
    async with bot.services.db.session() as session:
        return list((await session.exec(select(DoorDecision).order_by(col(DoorDecision.id)))).all())


async def opened_form(bot: BotDriver, **shortcut: Any) -> dict[str, Any]:
    before = len(bot.slack.calls("views.open"))
    status, _ = await bot.shortcut(**shortcut)
    assert status == 200
    opened = await bot.slack.wait_for("views.open", count=before + 1)
    view: dict[str, Any] = opened[-1].args["view"]
    return view


def typed(text: str, *, picker: bool = False, post_in: str | None = None) -> dict[str, Any]:
    """The form's state as Slack sends it; `picker` for the global shortcut's form."""
    values: dict[str, Any] = {
        Field.DECISION: {Field.DECISION: {"type": "plain_text_input", "value": text}},
        Field.CONTEXT: {Field.CONTEXT: {"type": "plain_text_input", "value": None}},
    }
    if picker:
        values[Field.POST_IN] = {
            Field.POST_IN: {"type": "conversations_select", "selected_conversation": post_in}
        }
    return values


def initial_text(view: dict[str, Any]) -> str:
    [block] = [b for b in view["blocks"] if b.get("block_id") == Field.DECISION]
    return str(block["element"].get("initial_value", ""))


async def test_size_this_decision_sizes_the_message_and_answers_in_its_thread(
    bot: BotDriver,
) -> None:
    view = await opened_form(
        bot,
        callback_id=Shortcut.SIZE_MESSAGE,
        message=said(
            "<@U0BOB> and I agree: sign a 3-year exclusive contract with Acme &amp; tell "
            "<#C0GENERAL|general>"
        ),
    )
    # The message's words, readable: names for mentions, `&` as typed.
    assert initial_text(view) == (
        "@Bob Brown and I agree: sign a 3-year exclusive contract with Acme & tell #general"
    )
    assert view["callback_id"] == Callback.MODAL

    status, _ = await bot.submit(
        Callback.MODAL,
        typed(initial_text(view)),
        private_metadata=view["private_metadata"],
    )
    assert status == 200

    [card] = bot.slack.calls("chat.postMessage")
    assert card.args["channel"] == CHANNEL and card.args["thread_ts"] == SOURCE_TS
    assert "One-way door" in text_of(card)
    [decision] = await decisions(bot)
    assert card.args["metadata"] == {
        "event_type": "doorway_decision",
        "event_payload": {
            "id": decision.id,
            "kind": "door",
            "door": "one_way",
            "status": "open",
            "source_url": PERMALINK,
        },
    }
    assert decision.status == "shared" and decision.message_ts == card.ts
    assert decision.source_url == PERMALINK and decision.post_error is None
    assert decision.channel_id == CHANNEL and decision.team_id == TEAM
    # Redrawn with its review date, still a decision to other apps.
    stored = bot.slack.messages[(CHANNEL, card.ts)]
    assert stored["thread_ts"] == SOURCE_TS
    assert stored["metadata"]["event_payload"]["status"] == "shared"
    assert "review on" in json.dumps(stored["blocks"])
    assert f"<{PERMALINK}|a message>" in json.dumps(stored["blocks"])  # the card links back
    [entry] = await decision_log(bot.services.db, team_id=TEAM, since=None)
    assert entry["source_url"] == PERMALINK and entry["post_error"] is None
    await bot.event({"type": "app_home_opened", "user": ALICE, "tab": "home", "event_ts": "1.2"})
    [home] = bot.slack.calls("views.publish")
    assert f"<{PERMALINK}|the message>" in json.dumps(home.args["view"])


async def test_a_message_with_only_a_file_opens_an_empty_form_that_says_why(
    bot: BotDriver,
) -> None:
    view = await opened_form(
        bot,
        callback_id=Shortcut.SIZE_MESSAGE,
        message=said("", files=[{"id": "F1", "name": "plan.pdf"}]),
    )
    assert initial_text(view) == ""
    assert "no text I can read" in json.dumps(view["blocks"])
    status, answer = await bot.submit(
        Callback.MODAL, typed(""), private_metadata=view["private_metadata"]
    )
    assert status == 200 and json.loads(answer)["response_action"] == "errors"
    assert await decisions(bot) == []


async def test_a_channel_doorway_is_not_in_records_it_unposted_and_says_how_to_fix_it(
    bot: BotDriver,
) -> None:
    bot.slack.add_channel("G0HIDDEN", is_private=True, is_member=False)
    view = await opened_form(
        bot,
        callback_id=Shortcut.SIZE_MESSAGE,
        channel="G0HIDDEN",
        message=said("We rename the product"),
    )
    await bot.submit(
        Callback.MODAL, typed("We rename the product"), private_metadata=view["private_metadata"]
    )

    [refused] = [c for c in bot.slack.calls("chat.postMessage") if c.args["channel"] == "G0HIDDEN"]
    assert refused.response and refused.response["error"] == "not_in_channel"
    [decision] = await decisions(bot)
    assert decision.status == "open" and decision.message_ts is None
    assert decision.post_error == "not_in_channel"
    # Slack won't show it there either, so it comes by DM, with what to do.
    [told] = [c for c in bot.slack.calls("chat.postMessage") if c.args["channel"] == ALICE]
    assert "/invite @Doorway" in text_of(told) and "We rename the product" in text_of(told)
    [entry] = await decision_log(bot.services.db, team_id=TEAM, since=None)
    assert entry["post_error"] == "not_in_channel"


async def test_forged_form_metadata_posts_nowhere_and_records_nothing(bot: BotDriver) -> None:
    view = await opened_form(
        bot, callback_id=Shortcut.SIZE_MESSAGE, message=said("We move to weekly releases")
    )
    sealed = view["private_metadata"]
    outer = json.loads(sealed)
    inner = json.loads(outer["sealed"])
    inner["origin"]["channel"] = "G0SECRET"  # someone else's private channel
    moved = json.dumps({"sealed": json.dumps(inner), "mac": outer["mac"]})
    attempts = [
        {"private_metadata": moved},  # another channel, the seal kept
        {"private_metadata": sealed, "team": OTHER_TEAM},  # another workspace
        {"private_metadata": sealed, "user": BOB},  # someone else
        {"private_metadata": '{"sealed": "{}", "mac": "00"}'},
    ]
    for attempt in attempts:
        status, answer = await bot.submit(
            Callback.MODAL, typed("We move to weekly releases"), **attempt
        )
        assert status == 200
        assert "use the shortcut again" in json.loads(answer)["errors"][Field.DECISION]
    assert bot.slack.calls("chat.postMessage") == []
    assert await decisions(bot) == []


async def test_log_a_decision_posts_where_picked_with_metadata(bot: BotDriver) -> None:
    view = await opened_form(bot, callback_id=Shortcut.LOG)
    assert [b["element"]["type"] for b in view["blocks"] if b.get("block_id") == Field.POST_IN] == [
        "conversations_select"
    ]
    await bot.submit(
        Callback.MODAL,
        typed("Try a blue checkout button", picker=True, post_in=CHANNEL),
        private_metadata=view["private_metadata"],
    )

    [card] = bot.slack.calls("chat.postMessage")
    assert card.args["channel"] == CHANNEL and "thread_ts" not in card.args
    [decision] = await decisions(bot)
    assert decision.channel_id == CHANNEL and decision.status == "shared"
    assert decision.source_url is None
    # Other apps reading the channel see a Doorway decision, when they ask for metadata.
    reader = AsyncWebClient(token="xoxb-reader", base_url=bot.slack.api_url)
    found = await reader.conversations_history(channel=CHANNEL, include_all_metadata=True)
    [message] = found["messages"]
    assert message["metadata"]["event_type"] == "doorway_decision"
    assert message["metadata"]["event_payload"]["id"] == decision.id
    plain = await reader.conversations_history(channel=CHANNEL)
    assert "metadata" not in plain["messages"][0]


async def test_log_a_decision_with_nowhere_picked_comes_by_dm(bot: BotDriver) -> None:
    view = await opened_form(bot, callback_id=Shortcut.LOG)
    await bot.submit(
        Callback.MODAL,
        typed("Rename the staging cluster", picker=True),
        private_metadata=view["private_metadata"],
    )

    [card] = bot.slack.calls("chat.postMessage")
    assert card.args["channel"] == "D" + ALICE and "Rename the staging cluster" in text_of(card)
    [decision] = await decisions(bot)
    assert decision.channel_id == "D" + ALICE and decision.status == "open"


async def test_log_a_decision_refuses_a_channel_the_person_is_not_in(bot: BotDriver) -> None:
    bot.slack.add_channel("C0BOBS", name="bobs-team", members=[BOB])
    view = await opened_form(bot, callback_id=Shortcut.LOG)
    status, answer = await bot.submit(
        Callback.MODAL,
        typed("Drop the legacy API", picker=True, post_in="C0BOBS"),
        private_metadata=view["private_metadata"],
    )
    assert status == 200
    assert "not in that channel" in json.loads(answer)["errors"][Field.POST_IN]
    assert bot.slack.calls("chat.postMessage") == [] and await decisions(bot) == []


async def test_a_shared_door_card_carries_its_metadata(bot: BotDriver) -> None:
    _, _, name = await bot.command("/door", "Try a blue checkout button for a week")
    _, _, click = await bot.click(blocks_of(await bot.response(name)), "door_share")
    await bot.response(click)
    [posted] = bot.slack.calls("chat.postMessage")
    [decision] = await decisions(bot)
    assert posted.args["metadata"]["event_payload"] == {
        "id": decision.id,
        "kind": "door",
        "door": "two_way",
        "status": "open",
    }
    [updated] = bot.slack.calls("chat.update")
    assert updated.args["metadata"]["event_payload"]["status"] == "shared"


async def test_a_reply_is_sized_in_its_own_thread_and_linked_as_itself(bot: BotDriver) -> None:
    reply = said("We keep the old API for a month", ts="1700000000.000300", thread_ts=SOURCE_TS)
    view = await opened_form(bot, callback_id=Shortcut.SIZE_MESSAGE, message=reply)
    await bot.submit(
        Callback.MODAL, typed(initial_text(view)), private_metadata=view["private_metadata"]
    )
    [card] = bot.slack.calls("chat.postMessage")
    assert card.args["thread_ts"] == SOURCE_TS  # the thread, not the reply
    [decision] = await decisions(bot)
    assert decision.source_url == (
        f"https://example.slack.com/archives/{CHANNEL}/p1700000000000300"
    )


async def test_the_form_opens_in_time_when_slack_is_slow_to_name_people(bot: BotDriver) -> None:
    # Slack's trigger_id lives three seconds: a slow users.info must not hold the form up.
    bot.slack.fail("users.info", delay=5)
    loop = asyncio.get_running_loop()
    started = loop.time()
    status, _ = await bot.shortcut(
        Shortcut.SIZE_MESSAGE, message=said("<@U0CAROL> wants to drop IE11"), settle=False
    )
    assert status == 200 and loop.time() - started < 1  # acknowledged at once
    [opened] = await bot.slack.wait_for("views.open", timeout=3)
    assert opened.at - started < 2.5
    assert initial_text(opened.args["view"]) == "@U0CAROL wants to drop IE11"
    await bot.settled()


async def test_a_shortcut_without_its_message_is_answered_kindly(bot: BotDriver) -> None:
    payload = signing.shortcut_payload(
        Shortcut.SIZE_MESSAGE,
        team_id=TEAM,
        user_id=ALICE,
        message={"type": "message"},
        response_url=bot.slack.response_url("cut-short"),
    )
    del payload["message"], payload["channel"]
    body, headers = signing.interactive(payload)
    status, _ = await bot.post(body, headers)
    assert status == 200
    assert bot.slack.calls("views.open") == [] and await decisions(bot) == []
    told = await bot.response("cut-short")
    assert "incomplete" in text_of(told)
