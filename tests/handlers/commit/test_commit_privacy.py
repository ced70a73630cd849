""" "Can't commit yet" stays between the dissenter and the owner: not on the card, not in
the default export, and no tally in the thread points at one person."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import UTC, date, datetime

from sqlmodel import select

from handlers.commit.ids import Answer
from handlers.commit.messages import summary
from storage.models import CheckIn, Commitment
from tests.driver import ALICE, BOB, CAROL, CHANNEL, TEAM, BotDriver, text_of
from tests.handlers.commit.steps import (
    MONDAY,
    dm,
    form_state,
    hold,
    open_form,
    pledge,
    posts_to,
    started,
    submit,
    wait_posts,
    wait_until,
)

REASON = "Legal hasn't signed off on the data flow"


async def export(bot: BotDriver, fmt: str, *flags: str) -> subprocess.CompletedProcess[str]:
    env = {"DATABASE_URL": bot.services.settings.database_url, "PATH": "/usr/bin:/bin"}
    return await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "bot.cli", "export", "--team", TEAM, "--format", fmt, *flags],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def card_updates(bot: BotDriver, ts: str) -> list[str]:
    return [
        text_of(c)
        for c in bot.slack.calls("chat.update")
        if c.args["channel"] == CHANNEL and c.args["ts"] == ts
    ]


async def test_a_hold_reaches_the_owner_only(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    view = await open_form(bot, "")
    await submit(bot, view, form_state(dissenters=[BOB, CAROL]))
    await started(bot)
    [ask_bob], [ask_carol] = await wait_posts(bot, dm(BOB)), await wait_posts(bot, dm(CAROL))
    [card] = await wait_posts(bot, CHANNEL)
    ts = card.ts

    await hold(bot, ask_carol, user=CAROL, reason=REASON)
    [to_owner] = await wait_posts(bot, dm(ALICE))
    assert REASON in text_of(to_owner)
    assert card_updates(bot, ts) == [], "a redraw the moment she answered would tell"

    # When Bob commits the card is redrawn; Carol is "asked to commit" like anyone who
    # hasn't answered, and nothing counts holds.
    await pledge(bot, ask_bob, user=BOB, concern="Too fast")
    await wait_until(lambda: _true(len(card_updates(bot, ts)) == 1))
    on_card = card_updates(bot, ts)[-1]
    assert "can't commit" not in on_card.lower()
    assert on_card.count("asked to commit") == 1 and "1 of 2 committed" in on_card
    channel_text = "\n".join(text_of(c) for c in posts_to(bot, CHANNEL))
    assert REASON not in channel_text and "can't commit" not in channel_text.lower()

    for fmt in ("json", "csv", "md"):
        done = await export(bot, fmt)
        assert done.returncode == 0, done.stderr
        assert "Legal" not in done.stdout, fmt
        assert '"reason"' not in done.stdout
        private = await export(bot, fmt, "--include-private-reasons")
        assert private.returncode == 0, private.stderr
        assert "Legal hasn" in private.stdout, fmt
        assert "private reasons" in private.stderr
    helped = await export(bot, "json", "--help")
    assert "--include-private-reasons" in helped.stdout and "owner" in helped.stdout


async def _true(value: bool) -> bool:
    return value


def _decision() -> Commitment:
    at = datetime(2026, 3, 1, tzinfo=UTC)
    return Commitment(
        id=1,
        team_id=TEAM,
        channel_id=CHANNEL,
        author_id=ALICE,
        owner_id=ALICE,
        text="We ship on Friday",
        door="two_way",
        door_source="rules",
        confidence=0.8,
        reasons=[],
        status="closed",
        check_back=date(2026, 3, 16),
        created_at=at,
        updated_at=at,
        request_key="test:1",
    )


def _said(*answers: Answer | None) -> str:
    people = [ALICE, BOB, CAROL, "U0DAN", "U0EVE"]
    asked = zip(people[: len(answers)], answers, strict=True)
    checkins = [
        CheckIn(
            team_id=TEAM,
            decision_id=1,
            user_id=u,
            role="owner" if u == ALICE else "dissenter",
            answer=a.value if a else None,
        )
        for u, a in asked
    ]
    return text_of_message(summary(_decision(), checkins))


def text_of_message(message: dict[str, object]) -> str:
    return str(message["blocks"])


def test_the_thread_names_no_answer_only_one_person_gave() -> None:
    two = _said(Answer.HELD_UP, Answer.CONCERNS_RIGHT)
    assert "held up: 1" not in two.lower() and "concerns were right: 1" not in two.lower()
    assert "Other answers: 2" in two and "2 of 2 answered" in two
    three = _said(Answer.HELD_UP, Answer.CONCERNS_RIGHT, Answer.CONCERNS_RIGHT)
    assert "The concerns were right: 2" in three and "Another answer: 1" in three
    assert "held up" not in three.lower().replace("checked back", "")
    waiting = _said(Answer.CONCERNS_RIGHT, None, None)
    assert "concerns were right" not in waiting.lower().split("checked back")[0]
    assert "Another answer: 1" in waiting and "No answer: 2" in waiting


async def test_a_commit_form_naming_another_channel_posts_nothing_there(bot: BotDriver) -> None:
    """The form's metadata comes back from the client: doctored to name a channel it wasn't
    opened in (a private one, say), the card goes to its author's DM instead."""
    bot.services.clock.set(MONDAY)
    view = await open_form(bot, "We ship on Friday")
    status, body = await submit(
        bot,
        {**view, "private_metadata": '{"sealed": "{}", "mac": "0"}'},
        form_state(dissenters=[BOB]),
    )
    assert "can't be checked any more" in body, "a seal that doesn't hold is refused"
    for forged in ("C0SECRET", "C0SECRET\u00a0"):
        status, _ = await submit(
            bot, {**view, "private_metadata": forged}, form_state(dissenters=[BOB])
        )
        assert (status, _) == (200, "")
    await bot.settled()
    assert len(posts_to(bot, ALICE)) == 2, "both cards went to the author's DM"
    assert not [c for c in bot.slack.calls() if c.args.get("channel") == "C0SECRET"]
    async with bot.services.db.session() as session:
        found = (await session.exec(select(Commitment))).all()
    assert all(c.channel_id != "C0SECRET" for c in found)

    # As Doorway opened it, the form posts in the channel it was typed in.
    status, _ = await submit(bot, view, form_state(decision="We ship on Monday", dissenters=[BOB]))
    await bot.settled()
    assert any(
        c.args.get("channel") == CHANNEL and "We ship on Monday" in text_of(c)
        for c in bot.slack.calls("chat.postMessage")
    )
