"""*Disagree and commit on this*: /commit's form about a message, its card in the thread."""

from __future__ import annotations

import json
from typing import Any

from handlers.commit.ids import Field, Shortcut
from tests.driver import ALICE, BOB, CAROL, CHANNEL, OTHER_TEAM, TEAM, BotDriver, text_of
from tests.handlers.commit.steps import (
    MONDAY,
    dm,
    errors_of,
    export,
    form_state,
    posts_to,
    rows,
    started,
    submit,
    wait_posts,
)

SOURCE_TS = "1700000000.000200"
PERMALINK = f"https://example.slack.com/archives/{CHANNEL}/p1700000000000200"


async def opened_on(bot: BotDriver, message: dict[str, Any], **where: Any) -> dict[str, Any]:
    bot.services.clock.set(MONDAY)
    status, _ = await bot.shortcut(Shortcut.ON_MESSAGE, message=message, **where)
    assert status == 200
    [opened] = await bot.slack.wait_for("views.open")
    view: dict[str, Any] = opened.args["view"]
    return view


def by_bob(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "message", "user": BOB, "ts": SOURCE_TS, "text": text, "team": TEAM, **extra}


def element(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    [block] = [b for b in view["blocks"] if b.get("block_id") == block_id]
    found: dict[str, Any] = block["element"]
    return found


async def test_the_form_is_about_the_message_and_the_card_goes_in_its_thread(
    bot: BotDriver,
) -> None:
    view = await opened_on(bot, by_bob("We ship on Friday, <@U0CAROL> &amp; QA disagree"))
    assert element(view, Field.DECISION)["initial_value"] == (
        "We ship on Friday, @Carol Chen & QA disagree"
    )
    assert element(view, Field.OWNER)["initial_user"] == BOB  # who said it
    assert element(view, Field.DISSENTERS)["initial_users"] == [CAROL]

    status, answer = await submit(
        bot, view, form_state(decision="We ship on Friday", owner=BOB, dissenters=[CAROL])
    )
    assert (status, answer) == (200, "")
    await started(bot)

    [card] = await wait_posts(bot, CHANNEL)
    assert card.args["thread_ts"] == SOURCE_TS
    assert card.args["metadata"] == {
        "event_type": "doorway_decision",
        "event_payload": {
            "id": 1,
            "kind": "commit",
            "door": "two_way",
            "status": "open",
            "source_url": PERMALINK,
        },
    }
    [decision], _, _ = await rows(bot)
    assert decision.source_url == PERMALINK and decision.message_ts == card.ts
    assert decision.owner_id == BOB and decision.author_id == ALICE
    [entry] = await export(bot)
    assert entry["source_url"] == PERMALINK


async def test_a_bots_message_suggests_whoever_used_the_shortcut_as_owner(
    bot: BotDriver,
) -> None:
    view = await opened_on(bot, by_bob("", bot_id="B0OTHER", files=[{"id": "F1"}]))
    assert element(view, Field.OWNER)["initial_user"] == ALICE
    assert "initial_value" not in element(view, Field.DECISION)
    assert "no text I can read" in json.dumps(view["blocks"])


async def test_a_channel_doorway_is_not_in_is_recorded_and_the_author_told(
    bot: BotDriver,
) -> None:
    bot.slack.add_channel("G0HIDDEN", is_private=True, is_member=False)
    view = await opened_on(bot, by_bob("We ship on Friday"), channel="G0HIDDEN")
    await submit(bot, view, form_state(dissenters=[CAROL]))
    await started(bot)

    [refused] = posts_to(bot, "G0HIDDEN")
    assert refused.response and refused.response["error"] == "not_in_channel"
    [decision], _, _ = await rows(bot)
    assert decision.post_error == "not_in_channel" and decision.message_ts is None
    [told] = await wait_posts(bot, dm(ALICE))
    assert "/invite @Doorway" in text_of(told)


async def test_forged_form_metadata_records_nothing(bot: BotDriver) -> None:
    view = await opened_on(bot, by_bob("We ship on Friday"))
    outer = json.loads(view["private_metadata"])
    inner = json.loads(outer["sealed"])
    inner["origin"]["channel"] = "G0SECRET"
    forged = {**view, "private_metadata": json.dumps({**outer, "sealed": json.dumps(inner)})}
    status, answer = await submit(bot, forged, form_state(dissenters=[CAROL]))
    assert status == 200 and "can't be checked any more" in errors_of(answer)[Field.DECISION]
    status, answer = await submit(bot, view, form_state(dissenters=[CAROL]), user=CAROL)
    assert status == 200 and "can't be checked any more" in errors_of(answer)[Field.DECISION]
    status, answer = await bot.submit(
        view["callback_id"],
        form_state(dissenters=[CAROL]),
        team=OTHER_TEAM,
        private_metadata=view["private_metadata"],
    )
    assert status == 200 and "can't be checked any more" in errors_of(answer)[Field.DECISION]
    decisions, _, _ = await rows(bot)
    assert decisions == [] and bot.slack.calls("chat.postMessage") == []
