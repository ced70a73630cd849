"""When the sizing is unsure the card asks three questions, and the answers size the door."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from bot.model.client import model_client_from
from bot.services import Services
from storage.models import DoorDecision
from tests.driver import ALICE, BOB, CAROL, PRIVATE, BotDriver, blocks_of, text_of
from tests.fakes.openai_server import FakeOpenAI
from tests.ticking import cli_env, doorway

VAGUE = "We could maybe think about the thing"  # nothing in it says how hard it is to undo
QUESTIONS = ("undo", "notice", "commits")


async def only_decision(bot: BotDriver) -> DoorDecision:
    async with bot.services.db.session() as session:
        [decision] = (await session.exec(select(DoorDecision))).all()
        return decision


def ask_block(decision_id: int | None, question: str) -> str:
    return f"door_ask:{decision_id}:{question}"


def questions_on(blocks: list[dict[str, Any]]) -> list[str]:
    return [
        b["block_id"].rsplit(":", 1)[1]
        for b in blocks
        if str(b.get("block_id", "")).startswith("door_ask:")
    ]


async def answer(
    bot: BotDriver,
    blocks: list[dict[str, Any]],
    decision_id: int | None,
    question: str,
    yes: bool,
    **click: Any,
) -> list[dict[str, Any]]:
    """Press Yes or No on one question; the card as redrawn where it was pressed."""
    action = "door_answer_yes" if yes else "door_answer_no"
    _, _, name = await bot.click(blocks, action, block_id=ask_block(decision_id, question), **click)
    if click.get("message_ts"):
        return blocks_of(bot.slack.calls("chat.update")[-1])
    return blocks_of(await bot.response(name))


async def test_an_unsure_card_asks_three_questions_instead_of_deciding(bot: BotDriver) -> None:
    _, _, name = await bot.command("/door", VAGUE)
    card = await bot.response(name)
    decision = await only_decision(bot)

    assert decision.unsure and decision.door == "two_way" and decision.door_source == "rules"
    shown = text_of(card)
    assert "Not sure yet" in shown and "Two-way door?" in shown
    assert "Decide now" not in shown  # it does not tell them to go ahead
    assert questions_on(blocks_of(card)) == list(QUESTIONS)
    assert "Could you undo it within a week, at little cost?" in shown


async def test_a_clear_card_does_not_ask(bot: BotDriver) -> None:
    _, _, name = await bot.command("/door", "Delete all customer data permanently, no backup")
    card = await bot.response(name)
    assert not (await only_decision(bot)).unsure
    assert questions_on(blocks_of(card)) == []
    assert "Not sure yet" not in text_of(card)


async def test_one_answer_that_points_one_way_sizes_it_one_way(bot: BotDriver) -> None:
    _, _, name = await bot.command("/door", VAGUE)
    card = blocks_of(await bot.response(name))
    decision_id = (await only_decision(bot)).id

    card = await answer(bot, card, decision_id, "undo", yes=False)

    decision = await only_decision(bot)
    assert decision.door == "one_way" and decision.door_source == "person"
    assert decision.answers == {"undo": False} and decision.answered_by == ALICE
    assert decision.sized_door == "two_way" and decision.sized_source == "rules"
    shown = json.dumps(card)
    assert "One-way door" in shown and "Not sure yet" not in shown
    assert "can't be undone within a week" in shown
    assert f"the card's questions were answered (<@{ALICE}>'s answer settled it)" in shown
    assert questions_on(card) == []


async def test_two_way_needs_all_three_answers_and_the_thread_hears_it(bot: BotDriver) -> None:
    _, _, name = await bot.command("/door", VAGUE)
    card = blocks_of(await bot.response(name))
    decision_id = (await only_decision(bot)).id
    await bot.click(card, "door_share")
    posted = await bot.slack.wait_for("chat.postMessage")
    shared, ts = blocks_of(posted[0]), (await only_decision(bot)).message_ts

    shared = await answer(bot, shared, decision_id, "undo", yes=True, message_ts=ts)
    shared = await answer(bot, shared, decision_id, "notice", yes=False, user=CAROL, message_ts=ts)
    halfway = await only_decision(bot)
    assert halfway.unsure and halfway.door_source == "rules"
    assert halfway.answers == {"undo": True, "notice": False}
    assert questions_on(shared) == ["commits"]  # the answered ones show their answer
    assert "Would customers or the public notice? *No*" in json.dumps(shared)

    shared = await answer(bot, shared, decision_id, "commits", yes=False, user=BOB, message_ts=ts)
    decision = await only_decision(bot)
    assert decision.door == "two_way" and decision.door_source == "person"
    assert decision.answers == {"undo": True, "notice": False, "commits": False}
    assert "Decide now" in json.dumps(shared)
    notes = [c.args["text"] for c in bot.slack.calls("chat.postMessage") if c.args.get("thread_ts")]
    assert notes == [
        f"The card's questions are answered (<@{BOB}>'s answer settled it): it's a *two-way door*."
    ]
    assert decision.answered_by == BOB  # whose answer settled it, not who answered last


async def test_the_first_answer_stands_whatever_an_older_copy_of_the_card_says(
    bot: BotDriver,
) -> None:
    _, _, name = await bot.command("/door", VAGUE)
    private = blocks_of(await bot.response(name))
    decision_id = (await only_decision(bot)).id
    await bot.click(private, "door_share")
    posted = await bot.slack.wait_for("chat.postMessage")
    shared, ts = blocks_of(posted[0]), (await only_decision(bot)).message_ts
    await answer(bot, shared, decision_id, "undo", yes=True, user=BOB, message_ts=ts)

    # The author's own copy still shows that question's buttons; a different answer there
    # must not replace Bob's.
    redrawn = await answer(bot, private, decision_id, "undo", yes=False)
    decision = await only_decision(bot)
    assert decision.answers == {"undo": True} and decision.door_source == "rules"
    assert questions_on(redrawn) == ["notice", "commits"]


async def test_customers_noticing_alone_does_not_make_it_one_way(bot: BotDriver) -> None:
    _, _, name = await bot.command("/door", VAGUE)
    card = blocks_of(await bot.response(name))
    decision_id = (await only_decision(bot)).id
    card = await answer(bot, card, decision_id, "notice", yes=True)
    assert (await only_decision(bot)).door_source == "rules"  # not settled by that alone
    card = await answer(bot, card, decision_id, "undo", yes=True)
    card = await answer(bot, card, decision_id, "commits", yes=False)
    decision = await only_decision(bot)
    assert decision.door == "two_way" and decision.door_source == "person"
    assert "tell them what is changing" in json.dumps(card)


async def test_answers_pressed_at_the_same_moment_are_all_kept(bot: BotDriver) -> None:
    _, _, name = await bot.command("/door", VAGUE)
    card = blocks_of(await bot.response(name))
    decision_id = (await only_decision(bot)).id
    await bot.click(card, "door_share")
    posted = await bot.slack.wait_for("chat.postMessage")
    shared, ts = blocks_of(posted[0]), (await only_decision(bot)).message_ts

    presses = [
        bot.click(
            shared,
            "door_answer_yes" if q == "undo" else "door_answer_no",
            block_id=ask_block(decision_id, q),
            user=user,
            message_ts=ts,
            settle=False,
        )
        for q, user in zip(QUESTIONS, (BOB, CAROL, BOB), strict=True)
    ]
    await asyncio.gather(*presses)
    await bot.settled()

    decision = await only_decision(bot)
    assert decision.answers == {"undo": True, "notice": False, "commits": False}
    assert decision.door == "two_way" and decision.door_source == "person"


async def test_an_answer_after_an_overrule_changes_nothing(bot: BotDriver) -> None:
    _, _, name = await bot.command("/door", VAGUE)
    card = blocks_of(await bot.response(name))
    decision_id = (await only_decision(bot)).id
    await bot.click(card, "door_overrule")

    await answer(bot, card, decision_id, "commits", yes=False)
    decision = await only_decision(bot)
    assert decision.door == "one_way" and decision.overruled_by == ALICE
    assert decision.answers is None and not decision.unsure


TWO_WAY_REPLY = {
    "reasons": ["It is only a table clean-up"],
    "door": "two_way",
    "confidence": 0.9,
    "chair_question": "Will my old orders still show?",
}


@pytest.fixture
async def model(services: Services) -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI(content=json.dumps(TWO_WAY_REPLY)) as fake:
        services.model = model_client_from("test-key", fake.base_url, "test-model", timeout=2.0)
        yield fake


async def test_when_the_model_says_two_way_against_strong_rules_the_card_asks(
    bot: BotDriver, model: FakeOpenAI
) -> None:
    _, _, name = await bot.command("/door", "Delete all customer data permanently, no backup")
    card = await bot.response(name)

    decision = await only_decision(bot)
    assert decision.door == "one_way" and decision.unsure
    assert decision.sizing_note and "The model says two-way" in decision.sizing_note
    shown = text_of(card)
    assert "The model says two-way; the rules saw" in shown and "for good" in shown
    assert questions_on(blocks_of(card)) == list(QUESTIONS)
    system = model.requests[0].messages[0]["content"]
    assert "The two mistakes are not equal" in system


async def test_a_step_the_rules_say_cant_be_undone_holds_out_against_the_model(
    bot: BotDriver, model: FakeOpenAI
) -> None:
    # The fitted words may lean two-way here; the rules' "for good" still keeps the card
    # from taking the model's two-way.
    _, _, name = await bot.command("/door", "Delete the old users table for good")
    card = await bot.response(name)

    decision = await only_decision(bot)
    assert decision.door == "one_way" and decision.unsure
    assert "The model says two-way; the rules saw" in text_of(card)


async def test_when_the_model_and_the_rules_agree_the_model_sizes_it(
    bot: BotDriver, model: FakeOpenAI
) -> None:
    _, _, name = await bot.command("/door", "Try a blue checkout button for a week")
    card = await bot.response(name)

    decision = await only_decision(bot)
    assert decision.door == "two_way" and decision.door_source == "model"
    assert not decision.unsure and questions_on(blocks_of(card)) == []


async def test_the_answers_are_in_the_export_as_the_label(
    bot: BotDriver, database_url: str, tmp_path: Path
) -> None:
    _, _, name = await bot.command("/door", VAGUE)
    card = blocks_of(await bot.response(name))
    decision_id = (await only_decision(bot)).id
    await answer(bot, card, decision_id, "commits", yes=True)

    env = cli_env(database_url, bot.slack.api_url)
    code, out, err = await doorway("export", "--format", "labels", env=env, cwd=tmp_path)
    assert code == 0, err
    [label] = [json.loads(line) for line in out.splitlines()]
    assert label["door"] == "one_way" and label["sized_as"] == "two_way"
    assert label["label_from"] == "answers" and label["confirmed"] is True
    assert label["answers"] == {"commits": True}
    code, out, err = await doorway("export", "--format", "json", env=env, cwd=tmp_path)
    [entry] = json.loads(out)
    assert entry["answers"] == {"commits": True} and entry["answered_by"] == ALICE


async def test_a_card_that_did_not_ask_takes_no_forged_answer(bot: BotDriver) -> None:
    _, _, name = await bot.command("/door", "Delete all customer data permanently, no backup")
    await bot.response(name)
    decision_id = (await only_decision(bot)).id
    forged = [
        {
            "type": "actions",
            "block_id": ask_block(decision_id, "undo"),
            "elements": [
                {"type": "button", "action_id": "door_answer_yes", "value": f"{decision_id}:undo"}
            ],
        }
    ]
    await bot.click(forged, "door_answer_yes", block_id=ask_block(decision_id, "undo"))
    decision = await only_decision(bot)
    assert decision.answers is None and decision.door_source == "rules"


async def test_a_press_from_outside_the_cards_channel_changes_nothing(bot: BotDriver) -> None:
    _, _, name = await bot.command("/door", VAGUE)
    card = blocks_of(await bot.response(name))
    decision_id = (await only_decision(bot)).id

    # A signed request can name any decision: from another channel, or by someone the
    # unshared card was never shown to, the buttons neither answer, share nor overrule.
    _, _, elsewhere = await bot.click(card, "door_share", channel=PRIVATE)
    await answer(bot, card, decision_id, "undo", yes=False, user=BOB)
    await bot.click(card, "door_overrule", user=CAROL)

    decision = await only_decision(bot)
    assert decision.status == "open" and decision.answers is None
    assert decision.overruled_by is None and decision.door == "two_way"
    assert bot.slack.calls("chat.postMessage") == []
    assert "can't find that decision here" in text_of(bot.responses(elsewhere)[0])


async def test_an_id_beyond_the_database_integer_is_incomplete_not_an_error(
    bot: BotDriver,
) -> None:
    huge = 2**31
    forged = [
        {
            "type": "actions",
            "block_id": "door_actions:1",
            "elements": [{"type": "button", "action_id": "door_share", "value": str(huge)}],
        }
    ]
    _, _, name = await bot.click(forged, "door_share")
    [told] = bot.responses(name)
    assert "incomplete" in text_of(told)


async def test_a_card_kept_one_way_against_its_words_says_unsure_not_a_low_percentage(
    bot: BotDriver,
) -> None:
    # The fitted words lean two-way; "for good" keeps the card one-way, and asks.
    _, _, name = await bot.command("/door", "Delete the old users table for good")
    shown = text_of(await bot.response(name))

    decision = await only_decision(bot)
    assert decision.door == "one_way" and decision.confidence < 0.5
    assert "unsure, sized by built-in rules" in shown
    assert "% sure" not in shown, "a door shown as under 50% sure reads as nonsense"
