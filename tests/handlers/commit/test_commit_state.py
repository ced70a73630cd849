"""The check-back's state follows Slack: closed once the summary is posted, and the last
answer brings it even when two people answer at the same moment."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime, timedelta

import pytest

from bot.services import Services
from console.localslack import Call
from handlers.commit import flow
from storage.models import DecisionStatus
from storage.queries import commits as q
from tests.driver import ALICE, BOB, CAROL, CHANNEL, TEAM, BotDriver, blocks_of, text_of
from tests.handlers.commit.steps import (
    MONDAY,
    dm,
    form_state,
    open_form,
    posts_to,
    press,
    rows,
    started,
    submit,
    tick,
)

ASKED = datetime.fromisoformat("2026-03-16T13:00:00+00:00")  # 09:00 in New York


async def checked_back(bot: BotDriver, dissenters: list[str]) -> None:
    """A /commit decision whose check-backs have gone out."""
    bot.services.clock.set(MONDAY)
    view = await open_form(bot, "")
    assert await submit(bot, view, form_state(dissenters=dissenters)) == (200, "")
    await started(bot)
    await tick(bot, MONDAY + timedelta(days=1, minutes=1))  # the reminders
    await tick(bot, ASKED)


async def last_answer_under_way(bot: BotDriver) -> None:
    """Alice answers last; returns once the summary she brings is on its way to Slack."""
    last, before = posts_to(bot, dm(ALICE))[-1], len(bot.slack.calls("chat.postMessage"))
    assert last.response is not None
    await bot.click(
        blocks_of(last),
        "commit_outcome_held_up",
        user=ALICE,
        channel=last.response["channel"],
        message_ts=last.ts,
        settle=False,
    )
    await bot.slack.wait_for("chat.postMessage", count=before + 1, answered=False)


def summaries(bot: BotDriver) -> list[Call]:
    return [c for c in posts_to(bot, CHANNEL) if c.args.get("thread_ts")]


async def test_the_check_back_closes_only_once_its_summary_is_posted(bot: BotDriver) -> None:
    await checked_back(bot, [BOB])
    await press(bot, posts_to(bot, dm(BOB))[-1], "commit_outcome_held_up", user=BOB)
    bot.services.slack.timeout = 1
    bot.slack.fail("chat.postMessage", delay=3)  # the summary: Slack is too slow
    await last_answer_under_way(bot)
    [decision], _, _ = await rows(bot)
    assert decision.status != DecisionStatus.CLOSED  # under way is not done
    await bot.settled()
    [decision], _, _ = await rows(bot)
    assert (decision.status, decision.verdict) == (DecisionStatus.SHARED, None)

    bot.services.slack.timeout = 15
    await tick(bot, ASKED + timedelta(days=3, minutes=1))  # the summary job tries again
    gave_up, retried = summaries(bot)  # the client gave up on the first; the job retried
    assert retried.status == 200 and "2 of 2 answered" in text_of(retried)
    [decision], _, _ = await rows(bot)
    assert (decision.status, decision.verdict) == (DecisionStatus.CLOSED, "held_up")
    await tick(bot, ASKED + timedelta(days=4))
    assert len(summaries(bot)) == 2


async def test_a_summary_under_way_is_not_posted_again_by_the_job(bot: BotDriver) -> None:
    await checked_back(bot, [BOB])
    await press(bot, posts_to(bot, dm(BOB))[-1], "commit_outcome_held_up", user=BOB)
    bot.slack.fail("chat.postMessage", delay=1)
    await last_answer_under_way(bot)
    # the summary job, running meanwhile in another process, leaves it to the one under way
    assert not await flow.summarise(bot.services, bot.services.slack, team_id=TEAM, decision_id=1)
    await bot.settled()
    assert len(summaries(bot)) == 1
    [decision], _, _ = await rows(bot)
    assert decision.status == DecisionStatus.CLOSED


async def _answer(
    services: Services,
    decision_id: int,
    user_id: str,
    *,
    mine: asyncio.Event,
    theirs: asyncio.Event,
) -> bool:
    """What the outcome button stores, paused after the answer until the other has counted."""
    async with services.db.session() as session:
        await q.answer_checkin(
            session=session,
            team_id=TEAM,
            decision_id=decision_id,
            user_id=user_id,
            answer="held_up",
            at=MONDAY,
        )
        mine.set()  # "answered"; the other may now go
        with contextlib.suppress(TimeoutError):  # a locked-out other never gets to count
            await asyncio.wait_for(theirs.wait(), 1.0)
        checkins = await q.checkins_of(session=session, team_id=TEAM, decision_id=decision_id)
        mine.set()
        return all(c.answer for c in checkins)


async def test_two_last_answers_at_once_still_bring_the_summary(services: Services) -> None:
    if services.db.dialect != "postgresql":
        pytest.skip("SQLite writers take turns; READ COMMITTED write skew is PostgreSQL's")
    values = {
        "team_id": TEAM,
        "channel_id": CHANNEL,
        "author_id": ALICE,
        "owner_id": ALICE,
        "text": "We ship on Friday",
        "door": "two_way",
        "door_source": "rules",
        "reasons": [],
        "request_key": "view:V1",
        "created_at": MONDAY,
        "updated_at": MONDAY,
    }
    async with services.db.session() as session:
        decision, _ = await q.record_commitment(
            session=session, values=values, dissenters=[BOB, CAROL]
        )
        assert decision.id is not None
        await q.answer_checkin(
            session=session,
            team_id=TEAM,
            decision_id=decision.id,
            user_id=ALICE,
            answer="held_up",
            at=MONDAY,
        )
    bob_in, carol_in = asyncio.Event(), asyncio.Event()
    bob = asyncio.create_task(_answer(services, decision.id, BOB, mine=bob_in, theirs=carol_in))
    await bob_in.wait()  # Bob has answered and not yet counted or committed
    carol = asyncio.create_task(_answer(services, decision.id, CAROL, mine=carol_in, theirs=bob_in))
    complete = await asyncio.gather(bob, carol)
    assert sorted(complete) == [False, True]  # exactly one of them saw every answer
