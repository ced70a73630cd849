"""/commit when Slack refuses, people are outside the channel, or the channel is private."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from storage.models import JobState
from storage.queries.jobs import list_jobs
from tests.driver import ALICE, BOB, CAROL, CHANNEL, PRIVATE, TEAM, BotDriver, text_of
from tests.handlers.commit.steps import (
    MONDAY,
    dm,
    form_state,
    hold,
    open_form,
    opened_by,
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

DECISION = "We ship on Friday"


async def record(bot: BotDriver, dissenters: list[str], *, channel: str = CHANNEL) -> None:
    bot.services.clock.set(MONDAY)
    view = await open_form(bot, "", channel=channel)
    status, answer = await submit(bot, view, form_state(decision=DECISION, dissenters=dissenters))
    assert (status, answer) == (200, "")
    await started(bot)


async def jobs(bot: BotDriver) -> dict[str, str]:
    async with bot.services.db.session() as session:
        return {j.key: j.state for j in await list_jobs(session=session, team_id=TEAM)}


@pytest.mark.parametrize(
    ("method", "error"),
    [
        ("conversations.open", "cannot_dm_bot"),
        ("chat.postMessage", "messages_tab_disabled"),
    ],
)
async def test_a_dm_that_fails_is_reported_to_the_owner(
    bot: BotDriver, method: str, error: str
) -> None:
    bot.slack.fail(method, error=error)  # the first DM: Bob's
    await record(bot, [BOB, CAROL])
    [card] = await wait_posts(bot, CHANNEL)
    [told] = await wait_posts(bot, dm(ALICE))
    assert "<@U0BOB>" in text_of(told) and error in text_of(told)
    assert "couldn't be asked by DM" in text_of(card)
    assert len(posts_to(bot, dm(CAROL))) == 1
    _, dissent, _ = await rows(bot)
    assert [(d.user_id, d.dm_error) for d in dissent] == [(BOB, error), (CAROL, None)]
    keys = await jobs(bot)
    assert keys["commit:1:remind:U0CAROL"] == JobState.PENDING
    assert keys["commit:1:remind:U0BOB"] == JobState.CANCELLED, "no reminder to an unreachable DM"


async def test_a_dm_slack_does_not_answer_is_reported_to_the_owner(bot: BotDriver) -> None:
    bot.services.slack.timeout = 1
    bot.slack.fail("conversations.open", delay=3)  # Bob's DM: longer than the client waits
    await record(bot, [BOB, CAROL])
    [told] = await wait_posts(bot, dm(ALICE))
    assert "<@U0BOB>" in text_of(told) and "TimeoutError" in text_of(told)
    _, dissent, _ = await rows(bot)
    assert [(d.user_id, d.dm_error) for d in dissent] == [(BOB, "TimeoutError"), (CAROL, None)]
    assert len(posts_to(bot, dm(CAROL))) == 1


async def test_a_dissenter_outside_the_channel_still_gets_the_dm(bot: BotDriver) -> None:
    # Doorway never asks who is in the channel: Carol, not in it, is asked like anyone.
    bot.slack.add_channel(CHANNEL, name="general")
    await record(bot, [CAROL])
    [ask] = await wait_posts(bot, dm(CAROL))
    assert DECISION in text_of(ask)


async def test_a_card_that_cannot_be_posted_goes_to_the_author(bot: BotDriver) -> None:
    bot.slack.fail("chat.postMessage")  # Bob's DM goes through …
    bot.slack.fail("chat.postMessage", error="not_in_channel")  # … the card doesn't
    await record(bot, [BOB], channel=PRIVATE)
    [told] = await wait_posts(bot, dm(ALICE))
    assert "/invite @Doorway" in text_of(told) and DECISION in text_of(told)
    assert len(posts_to(bot, dm(BOB))) == 1
    decisions, _, _ = await rows(bot)
    assert decisions[0].message_ts is None and decisions[0].status == "open"


async def test_answers_count_once_however_often_they_are_sent(bot: BotDriver) -> None:
    await record(bot, [BOB])
    [ask] = await wait_posts(bot, dm(BOB))
    form = await opened_by(bot, ask, "commit_not_yet", user=BOB)
    for _ in range(2):  # the same form, submitted twice (a double click, a retry)
        await submit(
            bot,
            form,
            {"reason": {"reason": {"type": "plain_text_input", "value": "Not convinced"}}},
            user=BOB,
        )
    await wait_posts(bot, dm(ALICE))
    await pledge(bot, ask, user=BOB, concern="First words")
    await wait_until(lambda: _state(bot, "committed"))
    # An old "I can't commit yet" button, pressed after committing, changes nothing.
    name = await press(bot, ask, "commit_not_yet", user=BOB)
    assert "You disagreed and committed" in text_of(await bot.response(name))
    assert len(posts_to(bot, dm(ALICE))) == 1, "the owner heard the reason once"
    _, [dissent], _ = await rows(bot)
    assert (dissent.state, dissent.concern, dissent.reason) == (
        "committed",
        "First words",
        "Not convinced",
    )


async def _state(bot: BotDriver, state: str) -> bool:
    _, dissent, _ = await rows(bot)
    return dissent[0].state == state


async def test_private_channel_decisions_reach_only_the_people_involved(bot: BotDriver) -> None:
    await record(bot, [BOB], channel=PRIVATE)
    [ask] = await wait_posts(bot, dm(BOB))
    await wait_posts(bot, PRIVATE)
    await hold(bot, ask, user=BOB, reason="Legal")
    await pledge(bot, ask, user=BOB, concern="Risky")
    await wait_until(lambda: _state(bot, "committed"))
    await tick(bot, MONDAY + timedelta(days=1, minutes=1))
    await tick(bot, datetime.fromisoformat("2026-03-16T13:00:00+00:00"))
    for who in (ALICE, BOB):
        await press(bot, posts_to(bot, dm(who))[-1], "commit_outcome_mixed", user=who)
    await wait_posts(bot, PRIVATE, 2)

    allowed = {PRIVATE, dm(ALICE), dm(BOB)}
    seen = [c for c in bot.slack.calls() if DECISION in json.dumps(c.args)]
    assert seen and {c.args.get("channel") for c in seen if "channel" in c.args} <= allowed
    assert not [c for c in bot.slack.calls() if CAROL in json.dumps(c.args)]


async def test_check_back_failures_are_told_and_the_summary_still_comes(bot: BotDriver) -> None:
    await record(bot, [BOB, CAROL])
    await wait_posts(bot, CHANNEL)
    await tick(bot, MONDAY + timedelta(days=1, minutes=1))  # the reminders
    bot.slack.fail("chat.postMessage", error="user_disabled")  # Carol's check-back, 09:00 JST
    await tick(bot, datetime.fromisoformat("2026-03-16T00:00:00+00:00"))
    [told] = await wait_posts(bot, dm(ALICE))
    assert "<@U0CAROL>" in text_of(told) and "check-back" in text_of(told)
    assert (await jobs(bot))["commit:1:checkback:U0CAROL"] == JobState.SKIPPED
    await tick(bot, datetime.fromisoformat("2026-03-16T13:00:00+00:00"))
    await press(bot, posts_to(bot, dm(BOB))[-1], "commit_outcome_held_up", user=BOB)

    # Three days on, the summary comes with what was answered; Slack failing first (a 500,
    # which the client does not re-send, as Slack may have posted it) only delays it.
    bot.slack.fail("chat.postMessage", status=500)
    summary_due = datetime.fromisoformat("2026-03-19T13:00:00+00:00")
    posts_before = len(bot.slack.calls("chat.postMessage"))
    report = await tick(bot, summary_due)
    assert report.retrying == 1
    assert len(bot.slack.calls("chat.postMessage")) == posts_before + 1
    decisions, _, _ = await rows(bot)
    assert decisions[0].status == "shared"
    await tick(bot, summary_due + timedelta(minutes=5))
    threaded = [
        c
        for c in posts_to(bot, CHANNEL)
        if c.args.get("thread_ts")
        and c.answered
        and c.status == 200
        and c.response
        and c.response.get("ok")
    ]
    assert len(threaded) == 1
    said = text_of(threaded[0])
    assert "1 of 3 answered" in said and "No answer: 2" in said
    decisions, _, _ = await rows(bot)
    assert (decisions[0].status, decisions[0].verdict) == ("closed", "held_up")
    await tick(bot, summary_due + timedelta(days=1))
    assert (
        len(
            [
                c
                for c in posts_to(bot, CHANNEL)
                if c.args.get("thread_ts") and c.response and c.response.get("ok")
            ]
        )
        == 1
    )
