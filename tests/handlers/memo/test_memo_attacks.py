"""An attacker's pass on /memo through signed requests: a reading is pressed and commented
on only from where it runs, by forms Doorway opened; its owner alone extends or ends it,
within its limits; odd input gets a friendly word, never a 5xx."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from typing import Any

from handlers.memo.ids import Action, Callback
from tests.driver import BOB, CAROL, CHANNEL, PRIVATE, TEAM, BotDriver, text_of
from tests.handlers.memo.steps import (
    MONDAY,
    answer,
    calls_showing,
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
from tests.signing import post
from tests.ticking import tick

MALLORY = "U0MALLORY"
TITLE = "Layoffs plan"
SECRET = "The second round is in March"


def forged(action: str, value: str) -> list[dict[str, Any]]:
    """A reading's button as Mallory makes it up: any reading's id, pressed where she is."""
    label = {"type": "plain_text", "text": "x"}
    button = {"type": "button", "action_id": action, "value": value, "text": label}
    return [{"type": "actions", "block_id": f"memo_readers:{value}", "elements": [button]}]


async def private_reading(bot: BotDriver) -> None:
    """Alice starts a reading in the private channel; Bob reads and comments."""
    bot.services.clock.set(MONDAY)
    status, body, _ = await bot.command("/memo", f"{TITLE} 30", channel=PRIVATE)
    assert (status, body) == (200, "")
    ts, card = the_card(bot, PRIVATE)
    await bot.click(card["blocks"], Action.READING, user=BOB, channel=PRIVATE, message_ts=ts)
    before = len(bot.slack.calls("views.open"))
    await bot.click(card["blocks"], Action.COMMENT, user=BOB, channel=PRIVATE, message_ts=ts)
    [opened] = bot.slack.calls("views.open")[before:]
    view = opened.response["view"] if opened.response else {}
    status, body = await bot.submit(
        Callback.COMMENT,
        comment_state(SECRET, section="Timeline"),
        user=BOB,
        private_metadata=view["private_metadata"],
        view_id=view["id"],
    )
    assert (status, body) == (200, "")


async def test_a_readings_buttons_pressed_from_another_channel_do_nothing(
    bot: BotDriver,
) -> None:
    await private_reading(bot)
    opened, calls = len(bot.slack.calls("views.open")), len(bot.slack.calls())
    for action in Action:
        _, _, name = await bot.click(forged(action, "1"), action, user=MALLORY, channel=CHANNEL)
        assert "That reading is gone" in await answer(bot, name), action
    # Nothing was shown to her (not even the title, in a comment form), nothing moved.
    assert len(bot.slack.calls("views.open")) == opened
    assert not [c for c in calls_showing(bot, TITLE) if c in bot.slack.calls()[calls:]]
    [entry] = json.loads(await run_export(bot, "--kind", "memo"))
    assert entry["state"] == "reading" and (entry["started"], entry["finished"]) == (1, 0)
    assert entry["ends_at"] == (MONDAY + timedelta(minutes=30)).isoformat()
    assert thread(bot, PRIVATE) == []


async def test_a_comment_form_naming_another_reading_is_refused(bot: BotDriver) -> None:
    await private_reading(bot)
    # A form for Mallory's own reading in #general, its metadata changed to the private one.
    await start(bot, "Lunch menu", user=MALLORY)
    ts, card = the_card(bot)
    before = len(bot.slack.calls("views.open"))
    await bot.click(card["blocks"], Action.COMMENT, user=MALLORY, message_ts=ts)
    [opened] = bot.slack.calls("views.open")[before:]
    view_id = opened.response["view"]["id"] if opened.response else ""
    for meta, view in (('{"session": 1}', view_id), ('{"session": 1}', "VFORGED01")):
        status, body = await bot.submit(
            Callback.COMMENT,
            comment_state("Injected from outside", section="Timeline"),
            user=MALLORY,
            private_metadata=meta,
            view_id=view,
        )
        assert status == 200 and '"errors"' in body and "Comment privately" in body
    await tick(bot.services, MONDAY + timedelta(minutes=30))
    said = " ".join(text_of(c) for c in thread(bot, PRIVATE))
    assert SECRET in said and "Injected" not in said
    assert not calls_showing(bot, "Injected from outside")


async def test_only_the_owner_extends_and_never_past_the_limit(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    await start(bot, "Budget 235")
    said = await answer(bot, await press(bot, Action.EXTEND_10, user=BOB))
    assert "Only <@U0ALICE>" in said
    assert "Only <@U0ALICE>" in await answer(bot, await press(bot, Action.END_NOW, user=BOB))
    assert "Extended" in await answer(bot, await press(bot, Action.EXTEND_5))
    for action in (Action.EXTEND_5, Action.EXTEND_10):
        said = await answer(bot, await press(bot, action))
        assert "within 240 minutes" in said, action
    [entry] = json.loads(await run_export(bot, "--kind", "memo"))
    assert entry["ends_at"] == (MONDAY + timedelta(minutes=240)).isoformat()
    assert entry["state"] == "reading"


async def test_end_now_pressed_twice_at_once_reveals_once(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    await start(bot, "Q3 plan")
    assert await comment(bot, "Ship it", user=BOB) == (200, "")
    ts, card = the_card(bot)
    presses = [
        bot.click(card["blocks"], Action.END_NOW, message_ts=ts, settle=False) for _ in range(4)
    ]
    await asyncio.gather(*presses)
    await bot.settled()
    [reveal] = thread(bot)
    assert "Ship it" in shown({"blocks": reveal.args["blocks"]})
    await tick(bot.services, MONDAY + timedelta(minutes=20))
    assert len(thread(bot)) == 1


async def test_odd_buttons_and_forms_get_a_friendly_word_not_a_5xx(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    await start(bot, "Q3 plan")
    for value in ("", "abc", "-1", "1.5", "99999999999999999999"):
        _, body, name = await bot.click(forged(Action.READING, value), Action.READING)
        assert "Traceback" not in body
        assert "incomplete" in await answer(bot, name), value
    for meta in ("not json", "[]", '{"session": null}', '{"session": -1}', '{"session": 2e40}'):
        status, body = await bot.submit(Callback.COMMENT, comment_state("x"), private_metadata=meta)
        assert status == 200 and "out of date" in body, meta
    for values in ({}, {"text": "no block"}, {"text": {"text": {"value": ["a", "list"]}}}):
        status, body = await bot.submit(Callback.COMMENT, values, private_metadata='{"session": 1}')
        assert status == 200 and "Traceback" not in body and "Internal" not in body
    status, body = await bot.submit(
        Callback.COMMENT, comment_state("x" * 10_000), private_metadata='{"session": 1}'
    )
    assert "up to 2,000 characters" in body
    status, body = await bot.submit(
        Callback.COMMENT,
        comment_state("fine", section="s" * 5_000),
        private_metadata='{"session": 1}',
    )
    assert "Up to 200 characters" in body
    await tick(bot.services, MONDAY + timedelta(minutes=20))
    assert "No comments or questions were sent." in revealed_text(bot)


async def test_unsigned_requests_never_reach_a_reading(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    await start(bot, "Q3 plan")
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM},
        "user": {"id": MALLORY},
        "actions": [{"action_id": Action.END_NOW, "value": "1", "type": "button"}],
    }
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    status, _ = await post(bot.events_url, "payload=" + json.dumps(payload), form)
    assert status == 401
    badly = {**form, "X-Slack-Signature": "v0=1", "X-Slack-Request-Timestamp": "1"}
    status, _ = await post(bot.events_url, "command=/memo&text=x", badly)
    assert status == 401
    [entry] = json.loads(await run_export(bot, "--kind", "memo"))
    assert entry["state"] == "reading"


async def test_every_field_reaches_slack_escaped(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    # As Slack sends a command's text: links and mentions wrapped, & < > escaped.
    await start(bot, "<https://evil.example|click> *b* _i_ ~s~ &lt;b&gt; <!channel> 5")
    hostile = "<!here> <@U0EVIL> <https://evil.example|click> &lt; *b* _i_ ~s~"
    assert await comment(bot, hostile, user=CAROL, section=hostile, kind="question") == (200, "")
    await tick(bot.services, MONDAY + timedelta(minutes=5))
    for call in bot.slack.calls():
        said = json.dumps(call.args, ensure_ascii=False)
        for mention in ("<!here>", "<!channel>", "<@U0EVIL>", "<https://evil.example|"):
            assert mention not in said, (call.method, mention)
    assert "*b* _i_ ~s~" in revealed_text(bot)
