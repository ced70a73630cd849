"""A check-back whose concerns were right opens a review in one click; a review names the
decisions that led to it, and each hears of it in its card's thread."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.decisions.links import OPEN_REVIEW
from handlers.coe.ids import Callback, Field
from tests.driver import CAROL, CHANNEL, BotDriver, blocks_of, text_of
from tests.handlers.coe.steps import opened_view, opening_state, submit
from tests.handlers.commit.steps import (
    MONDAY,
    dm,
    form_state,
    open_form,
    posts_to,
    press,
    started,
    tick,
    wait_posts,
)
from tests.handlers.commit.steps import submit as submit_commit


async def test_concerns_were_right_opens_a_review_that_names_the_decision(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    view = await open_form(bot, "We ship on Friday")
    status, _ = await submit_commit(bot, view, form_state(dissenters=[CAROL]), view_id="V0LINK")
    assert status == 200
    await started(bot)
    [card] = await wait_posts(bot, CHANNEL)

    await tick(bot, datetime(2026, 3, 16, 0, 1, tzinfo=UTC))  # 09:00 in Tokyo
    check_back = posts_to(bot, dm(CAROL))[-1]
    name = await press(bot, check_back, "commit_outcome_concerns_right", user=CAROL)
    answered = await bot.response(name)
    assert "Open a Correction of Error" in str(blocks_of(answered))

    before = len(bot.slack.calls("views.open"))
    _, _, _ = await bot.click(blocks_of(answered), OPEN_REVIEW, user=CAROL, channel=dm(CAROL))
    form = await opened_view(bot, before)
    assert form["callback_id"] == Callback.OPEN
    fields = {b.get("block_id"): b for b in form["blocks"]}
    assert fields[Field.DECISIONS]["element"]["initial_value"] == "#1"
    assert fields[Field.CHANNEL]["element"]["initial_conversation"] == CHANNEL
    assert "We ship on Friday" in fields[Field.TITLE]["element"]["initial_value"]

    state = opening_state(
        title="Friday's release broke checkout", owner=CAROL, decisions="#1", draft_due="2026-03-18"
    )
    assert (await submit(bot, form, state, user=CAROL)) == (200, "")
    notes = [c for c in posts_to(bot, CHANNEL) if c.args.get("thread_ts") == card.ts]
    assert notes and "Friday's release broke checkout" in text_of(notes[-1])

    # A number that isn't a decision of this workspace is refused in the form.
    late = opening_state(decisions="#99", draft_due="2026-03-18")
    status, body = await submit(bot, form, late, user=CAROL)
    assert "No decision #99" in body
