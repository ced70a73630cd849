"""/door through the real surface: signed requests in, the card out to a local Slack."""

from __future__ import annotations

import json

from sqlmodel import col, select

from storage.models import DoorDecision
from tests.driver import ALICE, BOB, CHANNEL, BotDriver, blocks_of, text_of


async def decisions(bot: BotDriver) -> list[DoorDecision]:
    async with bot.services.db.session() as session:
        return list((await session.exec(select(DoorDecision).order_by(col(DoorDecision.id)))).all())


async def test_door_acks_and_answers_with_a_card(bot: BotDriver) -> None:
    status, ack, name = await bot.command("/door", "Sign a 3-year exclusive contract with Acme")

    assert status == 200
    card = await bot.response(name)
    shown = text_of(card)
    assert "One-way door" in shown
    assert "empty chair" in shown.lower()
    assert [d.door for d in await decisions(bot)] == ["one_way"]


async def test_share_posts_the_card_and_overrule_flips_the_door(bot: BotDriver) -> None:
    _, _, name = await bot.command("/door", "Try a blue checkout button for a week")
    card = blocks_of(await bot.response(name))

    _, _, click = await bot.click(card, "door_share")
    note = await bot.response(click)
    assert "Shared in the channel" in text_of(note)
    posted = bot.slack.calls("chat.postMessage")
    assert posted[0].args["channel"] == CHANNEL
    [decision] = await decisions(bot)
    assert decision.status == "shared" and decision.message_ts

    shared_blocks = blocks_of(posted[0])
    await bot.click(shared_blocks, "door_overrule", user=BOB, message_ts=decision.message_ts)
    await bot.slack.wait_for("chat.postMessage", count=2)  # the overrule, said in the thread
    [decision] = await decisions(bot)
    assert decision.door == "one_way"
    assert decision.door_source == "person"
    assert decision.overruled_by == BOB
    assert json.loads(json.dumps(decision.reasons))  # reasons survive the flip
    [updated] = bot.slack.calls("chat.update")[-1:]
    shown = text_of(updated)
    assert "overruled the sizing" in shown and "had been sized as a two-way door" in shown


async def test_unsigned_request_is_refused_and_stores_nothing(bot: BotDriver) -> None:
    status, _, _ = await bot.command("/door", "Ship it", bad_signature=True)
    assert status == 401
    status, _, _ = await bot.command("/door", "Ship it", stale=True)
    assert status == 401
    assert await decisions(bot) == []


async def test_retry_of_the_same_command_records_once(bot: BotDriver) -> None:
    _, _, name = await bot.command("/door", "Rename the channel", trigger_id="111.222.abc")
    await bot.response(name)
    status, _, _ = await bot.command(
        "/door",
        "Rename the channel",
        trigger_id="111.222.abc",
        retry_num=1,
        retry_reason="http_timeout",
    )
    assert status == 200
    assert len(await decisions(bot)) == 1
    assert ALICE == (await decisions(bot))[0].author_id
