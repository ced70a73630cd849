"""Review reminders through the real surface: pick a date, tick, answer, see it exported."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlmodel import select

from bot.decisions.followups import review_key
from storage.models import DoorDecision, JobState
from tests.driver import ALICE, CHANNEL, TEAM, BotDriver, blocks_of, text_of
from tests.ticking import cli_env, export, jobs, local, tick

NEW_YORK = "America/New_York"


async def the_decision(bot: BotDriver) -> DoorDecision:
    async with bot.services.db.session() as session:
        return (await session.exec(select(DoorDecision))).one()


def dms(bot: BotDriver, user: str) -> list:
    return [
        c
        for c in bot.slack.calls("chat.postMessage")
        if c.args.get("channel") == user and (c.response or {}).get("ok")
    ]


async def test_pick_a_date_tick_at_nine_answer_and_export(
    bot: BotDriver, database_url: str, tmp_path: Path
) -> None:
    bot.services.clock.set(local(NEW_YORK, 2026, 11, 23, 10))
    _, _, name = await bot.command("/door", "Try a blue checkout button for a week")
    card = blocks_of(await bot.response(name))
    _, _, shared = await bot.click(card, "door_share")
    [posted] = await bot.slack.wait_for("chat.postMessage")
    card = blocks_of(await bot.response(shared))

    _, _, picked = await bot.click(card, "door_review_date", selected_date="2026-12-10")
    await bot.response(picked)
    decision = await the_decision(bot)
    assert str(decision.review_at) == "2026-12-10"
    [reminder] = [
        j for j in await jobs(bot.services, TEAM, "review:") if j.state == JobState.PENDING
    ]
    assert decision.id is not None and decision.review_at is not None
    assert reminder.key == review_key(decision.id, decision.review_at)
    assert reminder.due_at == local(NEW_YORK, 2026, 12, 10, 9)

    assert (await tick(bot.services, local(NEW_YORK, 2026, 12, 10, 8, 59))).ran == 0
    assert dms(bot, ALICE) == []
    assert (await tick(bot.services, local(NEW_YORK, 2026, 12, 10, 9))).done == 1
    [dm] = dms(bot, ALICE)
    shown = text_of(dm)
    assert "Try a blue checkout button" in shown and "Two-way door" in shown
    assert decision.permalink and decision.permalink in shown
    await tick(bot.services, local(NEW_YORK, 2026, 12, 10, 9, 1))
    assert len(dms(bot, ALICE)) == 1

    dm_blocks, dm_ts = blocks_of(dm), dm.ts
    for _ in range(2):  # a double press records once and tells the thread once
        _, _, pressed = await bot.click(
            dm_blocks, "review_worked", channel="D" + ALICE, message_ts=dm_ts
        )
        answer = await bot.response(pressed)
        assert answer.args["replace_original"] is True
        assert "It worked out" in text_of(answer)
    threads = [c for c in bot.slack.calls("chat.postMessage") if c.args.get("thread_ts")]
    assert len(threads) == 1
    assert threads[0].args["thread_ts"] == posted.ts
    assert threads[0].args["channel"] == CHANNEL
    assert "worked out" in threads[0].args["text"]

    decision = await the_decision(bot)
    assert (decision.outcome, decision.outcome_by, decision.status) == ("worked", ALICE, "closed")
    [entry] = await export(cli_env(database_url, bot.slack.api_url), tmp_path)
    assert entry["outcome"]["result"] == "worked"
    assert entry["outcome"]["by"] == ALICE
    assert entry["outcome"]["at"].startswith("2026-12-10")
    assert entry["status"] == "closed"


async def test_too_early_asks_again_in_two_weeks(bot: BotDriver) -> None:
    bot.services.clock.set(local(NEW_YORK, 2026, 11, 23, 10))
    _, _, name = await bot.command("/door", "Move standup to 9:45")
    card = blocks_of(await bot.response(name))
    _, _, picked = await bot.click(card, "door_review_date", selected_date="2026-11-30")
    await bot.response(picked)
    await tick(bot.services, local(NEW_YORK, 2026, 11, 30, 9))
    [dm] = dms(bot, ALICE)

    for _ in range(2):
        _, _, pressed = await bot.click(
            blocks_of(dm), "review_too_early", channel="D" + ALICE, message_ts=dm.ts
        )
        assert "14 Dec 2026" in text_of(await bot.response(pressed))
    decision = await the_decision(bot)
    assert str(decision.review_at) == "2026-12-14" and decision.outcome is None
    pending = [j for j in await jobs(bot.services, TEAM, "review:") if j.state == JobState.PENDING]
    assert [j.due_at for j in pending] == [local(NEW_YORK, 2026, 12, 14, 9)]

    await tick(bot.services, local(NEW_YORK, 2026, 12, 14, 9) - timedelta(minutes=1))
    assert len(dms(bot, ALICE)) == 1
    await tick(bot.services, local(NEW_YORK, 2026, 12, 14, 9))
    assert len(dms(bot, ALICE)) == 2

    _, _, pressed = await bot.click(
        blocks_of(dms(bot, ALICE)[-1]),
        "review_did_not_work",
        channel="D" + ALICE,
        message_ts="1700000000.000777",
    )
    await bot.response(pressed)
    assert (await the_decision(bot)).outcome == "did_not_work"
    # Never shared: nothing to tell in a thread.
    assert not [c for c in bot.slack.calls("chat.postMessage") if c.args.get("thread_ts")]


async def test_too_early_on_a_shared_card_tells_its_thread_once(bot: BotDriver) -> None:
    bot.services.clock.set(local(NEW_YORK, 2026, 11, 23, 10))
    _, _, name = await bot.command("/door", "Move standup to 9:45")
    card = blocks_of(await bot.response(name))
    _, _, shared = await bot.click(card, "door_share")
    [posted] = await bot.slack.wait_for("chat.postMessage")
    card = blocks_of(await bot.response(shared))
    _, _, picked = await bot.click(card, "door_review_date", selected_date="2026-11-30")
    await bot.response(picked)
    await tick(bot.services, local(NEW_YORK, 2026, 11, 30, 9))
    [dm] = dms(bot, ALICE)

    for _ in range(2):  # the second press the same day moves nothing, and says nothing
        _, _, pressed = await bot.click(
            blocks_of(dm), "review_too_early", channel="D" + ALICE, message_ts=dm.ts
        )
        await bot.response(pressed)
    threads = [c for c in bot.slack.calls("chat.postMessage") if c.args.get("thread_ts")]
    assert [(c.args["channel"], c.args["thread_ts"]) for c in threads] == [(CHANNEL, posted.ts)]
    assert f"<@{ALICE}> says it's too early to tell" in threads[0].args["text"]
    assert "Mon 14 Dec 2026" in threads[0].args["text"]
