"""The reveal happens exactly once: with two `doorway tick` processes, with buttons racing
the timer, after a restart, and when Slack refuses the post (recorded, retried, never
posted twice)."""

from __future__ import annotations

import asyncio
import copy
import json
from datetime import datetime, timedelta
from pathlib import Path

from bot.app import create_services
from bot.clock import Clock
from console.localslack import Call
from handlers.memo.ids import Action
from tests.driver import BOB, CAROL, BotDriver
from tests.handlers.memo.steps import (
    MONDAY,
    answer,
    comment,
    comment_state,
    press,
    revealed_text,
    run_export,
    shown,
    start,
    the_card,
    thread,
)
from tests.ticking import cli_env, doorway, jobs, tick

END = MONDAY + timedelta(minutes=20)


async def exported(bot: BotDriver) -> dict[str, object]:
    [entry] = json.loads(await run_export(bot, "--kind", "memo", "--format", "json"))
    assert isinstance(entry, dict)
    return entry


async def test_two_doorway_ticks_at_once_reveal_once(bot: BotDriver, tmp_path: Path) -> None:
    bot.services.clock.set(MONDAY)
    await start(bot, "Q3 plan")
    await comment(bot, "Section 2 needs numbers", user=BOB)
    env = cli_env(bot.services.settings.database_url, bot.slack.api_url)
    at = ("tick", "--at", END.isoformat())
    results = await asyncio.gather(*(doorway(*at, env=env, cwd=tmp_path) for _ in range(2)))
    assert [code for code, _, _ in results] == [0, 0], results
    assert (await doorway(*at, env=env, cwd=tmp_path))[0] == 0  # and again, after a restart
    [reveal] = thread(bot)
    assert "Section 2 needs numbers" in revealed_text(bot)
    assert "The reading is over" in shown(the_card(bot)[1])
    assert (await exported(bot))["state"] == "revealed"


async def _reading_ending_now(bot: BotDriver, title: str) -> datetime:
    """A reading started twenty minutes ago, with a reader and a comment; its end, now.

    The `doorway` process keeps Slack's claims by the real clock, so this one does too.
    """
    bot.slack.clear()
    bot.services.clock.set(Clock().now() - timedelta(minutes=20, seconds=1))
    await start(bot, title)
    await press(bot, Action.READING, user=BOB)
    await comment(bot, f"A comment on {title}", user=CAROL)
    bot.services.clock.set(Clock().now())
    return bot.services.clock.now()


async def _posting(bot: BotDriver) -> None:
    """Until the reveal's first post has reached Slack (which holds it a while)."""
    for _ in range(200):
        if any(c.args.get("thread_ts") for c in bot.slack.calls("chat.postMessage")):
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the reveal was never posted")


async def test_a_button_racing_the_timer_reveals_once(bot: BotDriver, tmp_path: Path) -> None:
    env = cli_env(bot.services.settings.database_url, bot.slack.api_url)
    end = await _reading_ending_now(bot, "Round one memo")
    bot.slack.fail("chat.postMessage", delay=1.5)  # Slack takes its time over the reveal
    await press(bot, Action.END_NOW, settle=False)
    await _posting(bot)
    # While the owner's reveal is being posted, the timer runs out in two processes.
    await asyncio.gather(
        tick(bot.services, end), doorway("tick", "--at", end.isoformat(), env=env, cwd=tmp_path)
    )
    await bot.settled()
    await tick(bot.services, end + timedelta(minutes=2))
    assert len(thread(bot)) == 1, [c.args.get("text") for c in thread(bot)]
    assert revealed_text(bot).count("A comment on Round one memo") == 1
    assert "<@U0ALICE> ended it" in revealed_text(bot)


async def test_the_timer_racing_the_buttons_reveals_once(bot: BotDriver, tmp_path: Path) -> None:
    env = cli_env(bot.services.settings.database_url, bot.slack.api_url)
    end = await _reading_ending_now(bot, "Round two memo")
    bot.slack.fail("chat.postMessage", delay=1.5)
    timer = asyncio.ensure_future(tick(bot.services, end))
    await _posting(bot)
    # While the timer's reveal is being posted: the owner ends it, the reader finishes, and
    # another process ticks.
    said = await asyncio.gather(
        press(bot, Action.END_NOW),
        press(bot, Action.FINISHED, user=BOB),
        doorway("tick", "--at", end.isoformat(), env=env, cwd=tmp_path),
    )
    await timer
    await bot.settled()
    for name in said[:2]:
        assert isinstance(name, str) and "The reading is over" in await answer(bot, name)
    await tick(bot.services, end + timedelta(minutes=2))
    assert len(thread(bot)) == 1, [c.args.get("text") for c in thread(bot)]
    assert "time is up" in revealed_text(bot)


async def test_a_refused_reveal_is_recorded_and_retried_once(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    await start(bot, "Q3 plan")
    await press(bot, Action.READING, user=BOB)
    await comment(bot, "Where is the FAQ?", user=BOB, kind="question")
    _, card = the_card(bot)
    before = copy.deepcopy(card)  # Slack's copy changes with each update
    bot.slack.fail("chat.postMessage", status=500)
    await tick(bot.services, END)
    assert thread(bot) == []
    entry = await exported(bot)
    assert entry["state"] == "closing" and entry["reveal_error"]
    assert entry["comments"] is None  # not shown anywhere yet, so not exported either
    [end] = await jobs(bot.services, "T0DOORWAY", "memo:")
    assert end.state == "pending" and end.attempts == 1 and end.last_error
    # The reading is over even though Slack has not shown it yet: no comment joins now.
    _, _, name = await bot.click(before["blocks"], Action.COMMENT, user=CAROL, message_ts="1.2")
    said = await answer(bot, name)
    assert "The reading is over: its comments are being posted" in said
    assert "being posted in the thread" in shown(the_card(bot)[1])
    status, body = await bot.submit(
        "memo_comment", comment_state("A late thought"), user=CAROL,
        private_metadata='{"session": 1}',
    )  # fmt: skip
    assert status == 200 and "The reading is over" in body

    await tick(bot.services, END + timedelta(minutes=2))
    await tick(bot.services, END + timedelta(minutes=10))
    [reveal] = thread(bot)
    assert "Where is the FAQ?" in revealed_text(bot) and "A late thought" not in revealed_text(bot)
    entry = await exported(bot)
    assert entry["state"] == "revealed" and entry["reveal_error"] is None


async def test_a_reveal_refused_after_its_end_now_is_retried_by_the_job(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    await start(bot, "Q3 plan")
    await comment(bot, "Good memo", user=BOB)
    bot.slack.fail("chat.postMessage", error="channel_not_found")
    await press(bot, Action.END_NOW)
    assert thread(bot) == []
    assert (await exported(bot))["reveal_error"] == "channel_not_found"
    await tick(bot.services, MONDAY + timedelta(minutes=1))
    assert "Good memo" in revealed_text(bot) and "<@U0ALICE> ended it" in revealed_text(bot)
    await tick(bot.services, END)
    assert len(thread(bot)) == 1


async def test_a_long_reveal_cut_short_posts_only_what_slack_did_not_take(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    await start(bot, "Q3 plan")
    for n in range(48):  # a section each: more than one message's blocks
        assert await comment(bot, f"Point {n:02d}", user=BOB, section=f"Part {n}") == (200, "")
    failed: list[Call] = []

    def second_post_fails(call: Call) -> None:
        if call.method == "chat.postMessage" and call.args.get("thread_ts") and not failed:
            failed.append(call)
            bot.slack.fail("chat.postMessage", status=503)

    bot.slack.on_call = second_post_fails
    await tick(bot.services, END)
    assert len(thread(bot)) == 1
    await tick(bot.services, END + timedelta(minutes=2))
    posts = thread(bot)
    assert len(posts) == 2
    said = revealed_text(bot)
    assert all(said.count(f"Point {n:02d}") == 1 for n in range(48))


async def test_a_new_instance_over_the_same_database_reveals_on_time(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    await start(bot, "Q3 plan")
    await press(bot, Action.EXTEND_5)
    await comment(bot, "Survives a restart", user=BOB)
    restarted = create_services(bot.services.settings, clock=Clock())
    try:
        await tick(restarted, END)
        assert thread(bot) == []  # the old end: it was extended
        await tick(restarted, END + timedelta(minutes=5))
    finally:
        await restarted.aclose()
    assert "Survives a restart" in revealed_text(bot)
    assert "The reading is over" in shown(the_card(bot)[1])
