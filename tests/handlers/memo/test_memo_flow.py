"""/memo starts a silent reading: its card, its timer, its buttons; the reveal comes when
time is up, when everyone reading has finished, or when the owner ends it."""

from __future__ import annotations

import copy
from datetime import timedelta

from handlers.memo.ids import Action
from tests.driver import ALICE, BOB, CAROL, CHANNEL, BotDriver, text_of
from tests.handlers.memo.steps import (
    MONDAY,
    answer,
    card_posts,
    comment,
    comment_state,
    press,
    revealed_text,
    shown,
    start,
    the_card,
    thread,
)
from tests.ticking import jobs, tick

MEMO = "<https://docs.example.com/q3-plan> Q3 plan"  # as Slack sends a typed link


def minutes(n: int) -> int:
    return int((MONDAY + timedelta(minutes=n)).timestamp())


async def test_the_card_shows_the_memo_the_timer_and_the_buttons(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    await start(bot, MEMO)
    _, card = the_card(bot)
    text = shown(card)
    assert "*Q3 plan*" in text and "<https://docs.example.com/q3-plan>" in text
    # Each reader sees the end in their own zone; the fallback is the owner's (New York).
    assert f"<!date^{minutes(20)}^" in text and "|Mon 02 Mar 2026 10:20 EST>" in text
    labels = [
        e["text"]["text"] for b in card["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert {"I'm reading", "I've finished", "Comment privately", "End now"} <= set(labels)
    [end] = await jobs(bot.services, "T0DOORWAY", "memo:")
    assert end.due_at == MONDAY + timedelta(minutes=20)

    bot.services.clock.set(MONDAY)  # the clock runs: the second reading starts at MONDAY too
    await start(bot, "Budget memo 45")
    _, card = the_card(bot)
    assert "*Budget memo*" in shown(card) and f"<!date^{minutes(45)}^" in shown(card)


async def test_impossible_minutes_and_no_memo_are_refused_kindly(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    for typed in ("Budget 0", "Budget 241", "Budget -5", "Budget 99999999999"):
        said = await answer(bot, await start(bot, typed))
        assert "from 1 to 240 minutes" in said, typed
    assert "Name the memo" in await answer(bot, await start(bot, ""))
    assert "Name the memo" in await answer(bot, await start(bot, "30"))
    assert "Comment privately" in await answer(bot, await start(bot, "help"))
    assert card_posts(bot) == []
    assert await jobs(bot.services, "T0DOORWAY", "memo:") == []


async def test_time_up_reveals_every_comment_by_section_with_the_counts(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    await start(bot, MEMO)
    for person in (ALICE, BOB, CAROL):
        await press(bot, Action.READING, user=person)
    assert "3 reading · 0 finished" in shown(the_card(bot)[1])
    ok = (200, "")
    assert (
        await comment(bot, "Is the price right?", user=BOB, section="Pricing", kind="question")
        == ok
    )
    assert await comment(bot, "Margins look thin", user=CAROL, section="  pricing ") == ok
    assert await comment(bot, "Nice and short", user=ALICE) == ok
    for person in (BOB, CAROL):
        await press(bot, Action.FINISHED, user=person)

    await tick(bot.services, MONDAY + timedelta(minutes=19))
    assert thread(bot) == []
    await tick(bot.services, MONDAY + timedelta(minutes=20))
    [reveal] = thread(bot)
    said = text_of(reveal)
    assert "2 of 3 read to the end" in said and "time is up" in said
    assert "The discussion starts now" in said
    assert said.lower().count("*pricing*") == 1, "one section, however it was spelt"
    pricing, general = said.index("*Pricing*"), said.index("*General*")
    assert pricing < said.index("Is the price right?") < said.index("Margins look thin") < general
    assert said.index("Nice and short") > general
    assert "*Question:* Is the price right?" in said
    card = shown(the_card(bot)[1])
    assert "The reading is over" in card and "2 of 3 read to the end" in card
    assert "I'm reading" not in card and "the discussion has started" in card

    await tick(bot.services, MONDAY + timedelta(minutes=25))
    assert len(thread(bot)) == 1


async def test_everyone_who_is_reading_finishing_reveals_early(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    await start(bot, MEMO)
    await press(bot, Action.READING, user=ALICE)
    await press(bot, Action.READING, user=BOB)
    await comment(bot, "What about Europe?", user=BOB, section="Markets")
    await press(bot, Action.FINISHED, user=ALICE)
    assert thread(bot) == []
    assert "You've already finished" in await answer(
        bot, await press(bot, Action.FINISHED, user=ALICE)
    )
    await press(bot, Action.FINISHED, user=BOB)
    said = revealed_text(bot)
    assert "2 of 2 read to the end" in said and "everyone reading has finished" in said
    assert "What about Europe?" in said
    await tick(bot.services, MONDAY + timedelta(minutes=20))
    assert len(thread(bot)) == 1
    [end] = await jobs(bot.services, "T0DOORWAY", "memo:")
    assert end.state == "cancelled"


async def test_the_owner_extends_and_the_old_end_reveals_nothing(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    await start(bot, MEMO)
    await comment(bot, "Section two is long", user=BOB)
    said = await answer(bot, await press(bot, Action.EXTEND_10, user=BOB))
    assert "Only <@U0ALICE>, who started this reading" in said
    said = await answer(bot, await press(bot, Action.EXTEND_10))
    assert f"<!date^{minutes(30)}^" in said
    await press(bot, Action.EXTEND_5)
    assert f"<!date^{minutes(35)}^" in shown(the_card(bot)[1])
    [end] = await jobs(bot.services, "T0DOORWAY", "memo:")
    assert end.due_at == MONDAY + timedelta(minutes=35)

    await tick(bot.services, MONDAY + timedelta(minutes=20))
    await tick(bot.services, MONDAY + timedelta(minutes=34))
    assert thread(bot) == []
    await tick(bot.services, MONDAY + timedelta(minutes=35))
    assert "Section two is long" in revealed_text(bot)


async def test_the_owner_ends_it_now_and_later_comments_are_refused(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    await start(bot, MEMO)
    ts, card = the_card(bot)
    card = copy.deepcopy(card)  # Slack's copy changes with each update
    await press(bot, Action.READING, user=BOB)
    await comment(bot, "Ship it", user=BOB)
    assert "Only <@U0ALICE>" in await answer(bot, await press(bot, Action.END_NOW, user=BOB))
    assert thread(bot) == []
    bot.services.clock.set(MONDAY + timedelta(minutes=5))
    await press(bot, Action.END_NOW)
    said = revealed_text(bot)
    assert "<@U0ALICE> ended it" in said and "0 of 1 read to the end" in said
    assert "Ship it" in said

    # The card as it was before the reveal: its buttons now say the reading is over.
    _, _, name = await bot.click(card["blocks"], Action.COMMENT, user=CAROL, message_ts=ts)
    assert "The reading is over" in await answer(bot, name)
    _, _, name = await bot.click(card["blocks"], Action.EXTEND_5, message_ts=ts)
    assert "The reading is over" in await answer(bot, name)
    # A comment form opened before the reveal and sent after it is refused in the form.
    status, body = await bot.submit(
        "memo_comment",
        comment_state("Too late"),
        user=CAROL,
        private_metadata='{"session": 1}',
    )
    assert status == 200 and "The reading is over" in body
    assert "Too late" not in revealed_text(bot)
    assert all(c.args.get("channel") == CHANNEL for c in thread(bot))


async def test_a_comment_form_from_another_version_is_told_to_open_again(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    await start(bot, MEMO)
    for metadata, values in (
        ('{"session": 1}', {}),  # its blocks renamed
        ("", comment_state("Kept")),  # no metadata
        ('{"session": "1"}', comment_state("Kept")),
    ):
        status, body = await bot.submit("memo_comment", values, private_metadata=metadata)
        assert status == 200 and "out of date" in body and "open it again" in body
    await tick(bot.services, MONDAY + timedelta(minutes=20))
    assert "No comments or questions were sent." in revealed_text(bot)
    assert bot.slack.calls("chat.postEphemeral") == []
