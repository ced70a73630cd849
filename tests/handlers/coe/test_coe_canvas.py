"""An approved review is written into a canvas in its channel where the workspace allows
canvases; where it doesn't, the thread alone holds the document."""

from __future__ import annotations

from typing import Any

import pytest

from handlers.coe.ids import Action, Callback, Field
from tests.driver import BOB, CAROL, CHANNEL, BotDriver, blocks_of, text_of
from tests.handlers.coe.steps import (
    MONDAY,
    answer_all,
    dms,
    open_form,
    opened_view,
    opening_state,
    press,
    submit,
    the_card,
)
from tests.handlers.coe.test_coe_flow import action_state


async def approve(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    view = await open_form(bot, "Checkout was down")
    assert (await submit(bot, view, opening_state())) == (200, "")
    await answer_all(bot)
    ts, card = the_card(bot)
    before = len(bot.slack.calls("views.open"))
    await press(bot, card["blocks"], Action.ADD_ACTION, message_ts=ts)
    action = await opened_view(bot, before)
    await submit(bot, action, action_state("Test the config", CAROL, "2026-03-09"))
    before = len(bot.slack.calls("views.open"))
    await press(bot, the_card(bot)[1]["blocks"], Action.ASK_REVIEW, message_ts=ts)
    asking = await opened_view(bot, before)
    assert asking["callback_id"] == Callback.REVIEWER
    pick: dict[str, Any] = {
        Field.REVIEWER: {Field.REVIEWER: {"type": "users_select", "selected_user": BOB}}
    }
    await submit(bot, asking, pick)
    [ask] = [c for c in dms(bot, BOB) if "raise the bar" in text_of(c)]
    await press(bot, blocks_of(ask), Action.APPROVE, user=BOB, channel="D" + BOB)
    assert "Approved" in str(the_card(bot)[1]["blocks"])


@pytest.mark.parametrize("allowed", [True, False])
async def test_the_approved_document_goes_into_a_canvas_where_allowed(
    bot: BotDriver, allowed: bool
) -> None:
    bot.slack.workspace.canvases = allowed
    await approve(bot)
    ts, _ = the_card(bot)
    assert [c for c in bot.slack.calls("chat.postMessage") if c.args.get("thread_ts") == ts]
    docs = list(bot.slack.workspace.canvas_docs.values())
    if not allowed:
        assert docs == []
        return
    [doc] = docs
    assert doc["channel_id"] == CHANNEL, "tabbed in the review's channel, for its members"
    assert "### Root cause (five whys)" in doc["markdown"] and "Test the config" in doc["markdown"]
