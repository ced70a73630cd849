"""*Do we build it?*: a PR/FAQ becomes a /door decision that links back to it, and the
export carries the document with its history."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from handlers.door.ids import Callback as DoorCallback
from handlers.door.ids import Field as DoorField
from handlers.prfaq.export import EXPORT
from tests.driver import ALICE, BOB, BotDriver
from tests.handlers.prfaq.steps import card_in, draft, opened_view, press, shown, submit
from tests.ticking import tick

HOME = "D" + ALICE


async def test_do_we_build_it_becomes_a_door_decision_named_on_the_card(bot: BotDriver) -> None:
    await draft(bot)
    ts, card = card_in(bot, HOME)

    name = await press(bot, card, "door_from_prfaq", user=BOB, channel=HOME, ts=ts)
    assert "Only the PR/FAQ's author" in str(bot.responses(name)[0].args.get("text"))

    before = len(bot.slack.calls("views.open"))
    await press(bot, card, "door_from_prfaq", channel=HOME, ts=ts)
    view = await opened_view(bot, before)
    assert view["callback_id"] == DoorCallback.MODAL
    assert "Build Instant refunds" in shown(view)
    # Sized on the customer's case, in the author's words, not on Doorway's own.
    assert "Refunds take a week" in shown(view) and "PR/FAQ" not in shown(view)
    values: dict[str, Any] = {
        DoorField.DECISION: {
            DoorField.DECISION: {
                "type": "plain_text_input",
                "value": "Build Instant refunds",
            }
        },
        DoorField.CONTEXT: {
            DoorField.CONTEXT: {"type": "plain_text_input", "value": "Refunds take a week"}
        },
    }
    assert (await submit(bot, view, values)) == (200, "")
    await tick(bot.services, bot.services.clock.now() + timedelta(seconds=1))
    await bot.settled()
    _, card = card_in(bot, HOME)
    assert "*Do we build it?* is decision #1" in shown(card)
    assert "door_from_prfaq" not in shown(card)

    [entry] = await EXPORT.collect(bot.services.db, None, None)
    assert entry["decision_id"] == 1 and entry["written_by"] == "template"
    assert entry["sections"]["problem"]["text"].startswith("Refunds take a week")
    assert {h["note"] for h in entry["history"]} == {"first draft"}
    assert "## Problem" in EXPORT.render([entry], "md").replace("### Problem", "## Problem")
