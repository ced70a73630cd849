"""/commit from the command to the export, through signed requests and the local Slack."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from tests.driver import ALICE, BOB, CAROL, CHANNEL, BotDriver, blocks_of, text_of
from tests.handlers.commit.steps import (
    CHECK_BACK,
    MONDAY,
    dm,
    export,
    form_state,
    hold,
    open_form,
    pledge,
    posts_to,
    press,
    rows,
    started,
    submit,
    tick,
    wait_posts,
    wait_until,
)


def shown(bot: BotDriver, channel: str, ts: str) -> str:
    """A message as it stands in Slack now, after every chat.update."""
    message = bot.slack.messages[(channel, ts)]
    return json.dumps(message.get("blocks", []), ensure_ascii=False) + message["text"]


def element(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    block = next(b for b in view["blocks"] if b.get("block_id") == block_id)
    found: dict[str, Any] = block["element"]
    return found


def at(iso: str) -> datetime:
    return datetime.fromisoformat(iso)


async def test_disagree_and_commit_from_command_to_export(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    slack = bot.slack

    # 1. Record: the form is prefilled from the command, and the submission posts a card.
    view = await open_form(bot, "<@U0BOB|bob> <@U0CAROL> We ship on Friday")
    assert element(view, "decision")["initial_value"] == "We ship on Friday"
    assert element(view, "owner")["initial_user"] == ALICE
    assert element(view, "dissenters")["initial_users"] == [BOB, CAROL]
    assert element(view, "check_back")["initial_date"] == CHECK_BACK
    state = form_state(dissenters=[BOB, CAROL], summary="QA says <the test plan> isn't done")
    status, answer = await submit(bot, view, state, view_id="V0RECORD")
    assert (status, answer) == (200, "")
    await started(bot)

    [ask_bob] = await wait_posts(bot, dm(BOB))
    [ask_carol] = await wait_posts(bot, dm(CAROL))
    [card] = await wait_posts(bot, CHANNEL)
    card_ts = card.ts
    for ask in (ask_bob, ask_carol):
        assert "We ship on Friday" in text_of(ask)
        assert [
            e["text"]["text"]
            for b in blocks_of(ask)
            if b["type"] == "actions"
            for e in b["elements"]
        ] == ["I disagree and commit", "I can't commit yet"]
    on_card = text_of(card)
    assert "We ship on Friday" in on_card and "Two-way door" in on_card
    assert "<@U0ALICE>" in on_card and on_card.count("asked to commit") == 2
    assert "&lt;the test plan&gt;" in on_card and "<the test plan>" not in on_card

    # Slack retries the same submission: nothing is recorded or sent twice.
    await submit(bot, view, state, view_id="V0RECORD")
    await wait_until(lambda: _count(bot, 1))
    assert len(posts_to(bot, CHANNEL)) == 1 and len(posts_to(bot, dm(BOB))) == 1

    # 2. Bob disagrees and commits, in his own words; the card updates.
    status, _ = await pledge(
        bot,
        ask_bob,
        user=BOB,
        concern="The test plan isn't done",
        expectation="A hotfix the week after",
    )
    assert status == 200
    await wait_until(lambda: _has(bot, CHANNEL, card_ts, "The test plan isn't done"))
    assert "disagrees and commits" in shown(bot, CHANNEL, card_ts)
    assert "You disagreed and committed" in shown(bot, dm(BOB), ask_bob.ts)
    updates = len(slack.calls("chat.update"))
    # Pressing again on the old message opens nothing and changes nothing.
    opened = len(slack.calls("views.open"))
    name = await press(bot, ask_bob, "commit_commit", user=BOB)
    await bot.response(name)
    assert len(slack.calls("views.open")) == opened
    assert len(slack.calls("chat.update")) == updates

    # 3. A working day later only Carol, who hasn't answered, is reminded; once.
    assert (await tick(bot, MONDAY + timedelta(hours=23))).done == 0
    await tick(bot, MONDAY + timedelta(days=1, minutes=1))
    reminder = posts_to(bot, dm(CAROL))[-1]
    assert len(posts_to(bot, dm(CAROL))) == 2 and "Reminder" in text_of(reminder)
    assert len(posts_to(bot, dm(BOB))) == 1
    await tick(bot, MONDAY + timedelta(days=4))
    assert len(posts_to(bot, dm(CAROL))) == 2

    # Carol can't commit yet: her reason goes to the owner only.
    await hold(bot, reminder, user=CAROL, reason="Legal hasn't signed off")
    [to_owner] = await wait_posts(bot, dm(ALICE))
    assert "Legal hasn't signed off" in text_of(to_owner) and "<@U0CAROL>" in text_of(to_owner)
    # The card shows her as it did before: the channel can't tell she is holding out.
    assert "can't commit" not in shown(bot, CHANNEL, card_ts)
    assert "Legal" not in shown(bot, CHANNEL, card_ts)
    # … and later commits from the first DM.
    await pledge(bot, ask_carol, user=CAROL, concern="Legal risk")
    await wait_until(lambda: _has(bot, CHANNEL, card_ts, "2 of 2 committed"))

    # 4. Check back at 09:00 in each person's zone on the check-back date.
    assert (await tick(bot, at("2026-03-15T23:59:00+00:00"))).done == 0
    await tick(bot, at("2026-03-16T00:00:00+00:00"))  # 09:00 in Tokyo
    assert len(posts_to(bot, dm(CAROL))) == 3 and len(posts_to(bot, dm(BOB))) == 1
    await tick(bot, at("2026-03-16T09:00:00+00:00"))  # 09:00 in London
    assert len(posts_to(bot, dm(BOB))) == 2 and len(posts_to(bot, dm(ALICE))) == 1
    await tick(bot, at("2026-03-16T12:59:00+00:00"))
    assert len(posts_to(bot, dm(ALICE))) == 1
    await tick(bot, at("2026-03-16T13:00:00+00:00"))  # 09:00 in New York (daylight time)
    check_alice, check_bob, check_carol = (posts_to(bot, dm(u))[-1] for u in (ALICE, BOB, CAROL))
    assert "How did it turn out?" in text_of(check_bob)
    assert "Your concern" in text_of(check_bob) and "hotfix" in text_of(check_bob)

    # 5. The outcome buttons: one answer each, the last one brings the summary.
    for who, message, answer in (
        (CAROL, check_carol, "concerns_right"),
        (BOB, check_bob, "concerns_right"),
    ):
        name = await press(bot, message, f"commit_outcome_{answer}", user=who)
        assert "The concerns were right".lower() in text_of(await bot.response(name))
    name = await press(bot, check_bob, "commit_outcome_held_up", user=BOB)
    assert "already answered" in text_of(await bot.response(name))
    assert not [c for c in posts_to(bot, CHANNEL) if c.args.get("thread_ts")]
    await press(bot, check_alice, "commit_outcome_held_up", user=ALICE)
    [summary] = [c for c in await wait_posts(bot, CHANNEL, 2) if c.args.get("thread_ts")]
    assert summary.args["thread_ts"] == card_ts
    said = text_of(summary)
    assert "3 of 3 answered" in said and "The concerns were right: 2" in said
    assert "<@" not in said, "the thread gets counts, not names"
    await wait_until(lambda: _has(bot, CHANNEL, card_ts, "Checked back"))
    # Three days on, the summary job finds nothing left to do.
    await tick(bot, at("2026-03-20T00:00:00+00:00"))
    assert len([c for c in posts_to(bot, CHANNEL) if c.args.get("thread_ts")]) == 1

    # 6. The export shows the dissent, the commitments and the outcome.
    [entry] = await export(bot)
    assert entry["kind"] == "commit" and entry["text"] == "We ship on Friday"
    assert entry["owner_id"] == ALICE and entry["review_at"] == CHECK_BACK
    assert entry["status"] == "closed"
    assert [(d["user_id"], d["concern"], d["state"]) for d in entry["dissent"]] == [
        (BOB, "The test plan isn't done", "committed"),
        (CAROL, "Legal risk", "committed"),
    ]
    assert all(d["committed_at"] for d in entry["dissent"])
    assert entry["dissent"][0]["expectation"] == "A hotfix the week after"
    assert entry["outcome"]["result"] == "concerns_right"
    assert sorted((c["user_id"], c["answer"]) for c in entry["checkins"]) == [
        (ALICE, "held_up"),
        (BOB, "concerns_right"),
        (CAROL, "concerns_right"),
    ]

    # 7. Bob's own record, only to him.
    _, _, name = await bot.command("/commit", "me", user=BOB)
    record = await bot.response(name)
    assert record.args.get("response_type", "ephemeral") == "ephemeral"
    assert "right in *1 of 1*" in text_of(record)


async def _count(bot: BotDriver, n: int) -> bool:
    decisions, _, _ = await rows(bot)
    return len(decisions) == n


async def _has(bot: BotDriver, channel: str, ts: str, words: str) -> bool:
    return words in shown(bot, channel, ts)


async def test_the_weekly_digest_shows_commitments_and_check_backs(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    view = await open_form(bot, "")
    await submit(bot, view, form_state(decision="Drop IE11 support", dissenters=[BOB]))
    await started(bot)
    [ask] = await wait_posts(bot, dm(BOB))
    await pledge(bot, ask, user=BOB, concern="Some customers still use it")
    await wait_until(lambda: _committed(bot))

    _, _, name = await bot.command("/digest", "now")
    digest = text_of(await bot.response(name))
    assert "Disagree and commit" in digest
    assert "<@U0BOB> disagreed and committed to" in digest and "Drop IE11 support" in digest

    await tick(bot, at("2026-03-16T13:00:00+00:00"))
    for who in (ALICE, BOB):
        await press(bot, posts_to(bot, dm(who))[-1], "commit_outcome_concerns_right", user=who)
    await wait_posts(bot, CHANNEL, 2)
    bot.services.clock.set(at("2026-03-17T12:00:00+00:00"))
    _, _, name = await bot.command("/digest", "now")
    digest = text_of(await bot.response(name))
    assert "Checked back on" in digest and "the concerns were right" in digest
    assert "disagreed and committed" not in digest, "that was two weeks ago"


async def _committed(bot: BotDriver) -> bool:
    _, dissent, _ = await rows(bot)
    return dissent[0].state == "committed"


async def test_no_reminder_once_the_check_back_day_has_come(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    tomorrow = (MONDAY + timedelta(days=1)).date().isoformat()
    view = await open_form(bot, "<@U0CAROL> We ship tomorrow")
    await submit(bot, view, form_state(dissenters=[CAROL], check_back=tomorrow))
    await started(bot)
    await wait_posts(bot, dm(CAROL))

    # Carol never answers; her reminder and the check-back both fall on Tuesday.
    await tick(bot, MONDAY + timedelta(days=2))
    to_carol = [text_of(c) for c in posts_to(bot, dm(CAROL))]
    assert not any("Reminder" in t for t in to_carol), to_carol
    assert len(to_carol) == 2  # the ask, then the check-back question


async def test_after_downtime_people_get_three_days_before_the_summary(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    view = await open_form(bot, "<@U0BOB> We ship on Friday")
    await submit(bot, view, form_state(dissenters=[BOB]))
    await started(bot)
    await wait_posts(bot, CHANNEL)

    # Doorway was down from before the check-back until four days after it.
    await tick(bot, at(CHECK_BACK + "T00:00+00:00") + timedelta(days=4))
    assert "how did it turn out" in text_of(posts_to(bot, dm(BOB))[-1]).lower()
    assert [c for c in posts_to(bot, CHANNEL) if c.args.get("thread_ts")] == []
    await tick(bot, at(CHECK_BACK + "T00:00+00:00") + timedelta(days=4, hours=1))
    assert [c for c in posts_to(bot, CHANNEL) if c.args.get("thread_ts")] == []

    await tick(bot, at(CHECK_BACK + "T00:00+00:00") + timedelta(days=7, hours=1))
    [summary] = [c for c in posts_to(bot, CHANNEL) if c.args.get("thread_ts")]
    assert "0 of 2 answered" in text_of(summary)
