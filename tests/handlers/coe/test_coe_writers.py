"""The owner writes the review, and the people they add; nobody else changes it."""

from __future__ import annotations

from typing import Any

from handlers.coe.ids import Action, Callback, Field
from handlers.coe.questions import Question
from tests import signing
from tests.driver import BOB, CHANNEL, OTHER_TEAM, BotDriver, text_of
from tests.handlers.coe.steps import (
    MONDAY,
    answer,
    dms,
    open_form,
    opened_view,
    opening_state,
    press,
    rich,
    submit,
    the_card,
)


async def test_only_the_owner_and_the_writers_they_add_answer(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    view = await open_form(bot, "Checkout was down")
    assert (await submit(bot, view, opening_state())) == (200, "")
    ts, card = the_card(bot)

    opened = len(bot.slack.calls("views.open"))
    name = await press(
        bot, card["blocks"], Action.QUESTION, user=BOB, message_ts=ts, selected="lessons"
    )
    assert "ask them to add you" in text_of(await bot.response(name))
    assert len(bot.slack.calls("views.open")) == opened

    name = await press(bot, card["blocks"], Action.WRITERS, user=BOB, message_ts=ts)
    assert "Only the review's owner" in text_of(await bot.response(name))
    await press(bot, card["blocks"], Action.WRITERS, message_ts=ts)
    writers = await opened_view(bot, opened)
    assert writers["callback_id"] == Callback.WRITERS
    chosen: dict[str, Any] = {
        Field.WRITERS: {Field.WRITERS: {"type": "multi_users_select", "selected_users": [BOB]}}
    }
    assert (await submit(bot, writers, chosen)) == (200, "")
    assert any("added you to write" in text_of(c) for c in dms(bot, BOB))
    assert "with <@U0BOB>" in str(the_card(bot)[1]["blocks"])

    assert (await answer(bot, Question.LESSONS, rich("Test the config"), user=BOB)) == (200, "")
    assert "1 of 6 questions answered" in str(the_card(bot)[1]["blocks"])


async def test_another_workspace_can_neither_see_nor_move_a_review(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    view = await open_form(bot, "Checkout was down")
    assert (await submit(bot, view, opening_state())) == (200, "")
    ts, card = the_card(bot)
    opened = len(bot.slack.calls("views.open"))
    name = await press_as(bot, card["blocks"], Action.QUESTION, team=OTHER_TEAM, selected="lessons")
    assert "gone" in text_of(await bot.response(name))
    assert len(bot.slack.calls("views.open")) == opened
    # A forged answer for the review, from the other workspace, is not stored.
    forged: dict[str, Any] = {
        Field.ANSWER: {Field.ANSWER: {"type": "rich_text_input", "rich_text_value": rich("x")}}
    }
    status, _ = await bot.submit(
        Callback.ANSWER,
        forged,
        team=OTHER_TEAM,
        private_metadata='{"review": 1, "question": "lessons"}',
    )
    assert status == 200
    assert "0 of 6 questions answered" in str(the_card(bot)[1]["blocks"])


async def press_as(
    bot: BotDriver, blocks: list[dict[str, Any]], action_id: str, *, team: str, selected: str
) -> str:
    """A press of the review's select, as a person of another workspace would forge it."""
    block = next(
        b for b in blocks if any(e.get("action_id") == action_id for e in b.get("elements") or [])
    )
    name = "forged-press"
    payload = signing.block_actions_payload(
        action_id,
        team_id=team,
        user_id="U0MALLORY",
        channel_id=CHANNEL,
        response_url=bot.slack.response_url(name),
        action={
            "type": "static_select",
            "action_id": action_id,
            "block_id": block["block_id"],
            "selected_option": {"value": selected},
            "action_ts": "1700000000.000001",
        },
    )
    body, headers = signing.block_actions(payload)
    assert (await bot.post(body, headers))[0] == 200
    return name
