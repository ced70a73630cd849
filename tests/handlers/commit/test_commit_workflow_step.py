"""*Record a disagree-and-commit*, the Workflow Builder step: a signed `function_executed`
event in; the decision recorded with its dissenters, its card in the channel, each
dissenter asked by DM, and the run ended with a link to the card."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import col, select

from storage.models import Commitment, Dissent
from tests.driver import ALICE, BOB, CAROL, CHANNEL, STEP_TOKEN, BotDriver, text_of
from tests.handlers.commit.steps import MONDAY, dm


async def commitments(bot: BotDriver) -> list[Commitment]:
    async with bot.services.db.session() as session:
        return list((await session.exec(select(Commitment).order_by(col(Commitment.id)))).all())


async def dissent(bot: BotDriver) -> list[Dissent]:
    async with bot.services.db.session() as session:
        return list((await session.exec(select(Dissent).order_by(col(Dissent.id)))).all())


async def test_the_step_records_dissenters_posts_the_card_and_asks_them(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)

    status, execution = await bot.function_executed(
        "record_commit",
        {
            "decision": "We ship the new onboarding on Friday",
            "owner": ALICE,
            "dissenters": [BOB, CAROL],
            "concern": "QA needs another week",
            "check_back": "2026-03-20",
            "channel_id": CHANNEL,
        },
    )

    assert status == 200
    [decision] = await commitments(bot)
    assert decision.owner_id == ALICE and decision.context == "QA needs another week"
    assert decision.check_back == date(2026, 3, 20) and decision.channel_id == CHANNEL
    assert [d.user_id for d in await dissent(bot)] == [BOB, CAROL]
    posted = {c.args["channel"]: c for c in bot.slack.calls("chat.postMessage")}
    assert {CHANNEL, dm(BOB), dm(CAROL)} <= posted.keys()
    assert "We ship the new onboarding on Friday" in text_of(posted[CHANNEL])
    assert "commit" in text_of(posted[dm(BOB)]).lower()
    [done] = bot.slack.calls("functions.completeSuccess")
    assert done.token == STEP_TOKEN
    link = bot.slack.step_results[execution]["outputs"]["decision_link"]
    assert link == decision.permalink and link.startswith("https://example.slack.com/archives/")


async def test_bad_input_ends_the_run_with_a_readable_error(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    base: dict[str, Any] = {
        "decision": "Ship Friday",
        "owner": ALICE,
        "dissenters": [BOB],
        "channel_id": CHANNEL,
    }
    cases: list[tuple[dict[str, Any], str]] = [
        ({"owner": None}, "`owner` input is empty"),
        ({"dissenters": []}, "`dissenters`: Pick at least one person who disagreed."),
        ({"dissenters": [ALICE]}, "owns the decision"),
        ({"dissenters": ["not-a-user"]}, "isn't a person"),
        ({"check_back": "2026-03-01"}, "`check_back`: Pick a day after today"),
        ({"check_back": "soon"}, "`check_back` input is not a date"),
        ({"decision": ""}, "`decision` input is empty"),
    ]
    for change, says in cases:
        status, execution = await bot.function_executed("record_commit", {**base, **change})
        assert status == 200
        error = bot.slack.step_results[execution]["error"]
        assert says in error, (change, error)
        assert "\n" not in error
    assert await commitments(bot) == []
    assert bot.slack.calls("functions.completeSuccess") == []
