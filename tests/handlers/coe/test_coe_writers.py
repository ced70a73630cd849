"""The owner writes the review, and the people they add; nobody else changes it."""

from __future__ import annotations

from typing import Any

from handlers.coe.ids import Action, Callback, Field
from handlers.coe.questions import Question
from tests.driver import BOB, BotDriver, text_of
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
