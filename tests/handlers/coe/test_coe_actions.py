"""A corrective action's owner moves its date or closes it as not doing, with the reason:
the asking follows the new date, and a closed action is never asked about again."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from handlers.coe.ids import Action, Callback, Field
from tests.driver import BOB, CAROL, BotDriver, blocks_of, text_of
from tests.handlers.coe.steps import (
    MONDAY,
    dms,
    open_form,
    opened_view,
    opening_state,
    press,
    submit,
    the_card,
)
from tests.handlers.coe.test_coe_flow import action_state
from tests.ticking import cli_env, doorway, tick


async def test_moving_the_date_and_not_doing_with_a_reason(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    view = await open_form(bot, "Checkout was down")
    assert (await submit(bot, view, opening_state())) == (200, "")
    ts, card = the_card(bot)
    before = len(bot.slack.calls("views.open"))
    await press(bot, card["blocks"], Action.ADD_ACTION, message_ts=ts)
    await submit(bot, await opened_view(bot, before), action_state("Test it", CAROL, "2026-03-09"))
    asked = len(dms(bot, CAROL))

    await tick(bot.services, datetime(2026, 3, 9, 0, 1, tzinfo=UTC))  # 09:00 in Tokyo
    [due] = dms(bot, CAROL)[asked:]
    name = await press(bot, blocks_of(due), Action.ACTION_MOVE, user=BOB, channel="DU0CAROL")
    assert "Only the action's owner" in text_of(await bot.response(name))
    before = len(bot.slack.calls("views.open"))
    await press(bot, blocks_of(due), Action.ACTION_MOVE, user=CAROL, channel="DU0CAROL")
    moving = await opened_view(bot, before)
    assert moving["callback_id"] == Callback.MOVE
    new_date: dict[str, Any] = {
        Field.DUE: {Field.DUE: {"type": "datepicker", "selected_date": "2026-03-12"}}
    }
    assert (await submit(bot, moving, new_date, user=CAROL)) == (200, "")
    assert "due 2026-03-12" in str(the_card(bot)[1]["blocks"])
    asked = len(dms(bot, CAROL))

    await tick(bot.services, datetime(2026, 3, 12, 0, 1, tzinfo=UTC))  # the new date, 09:00
    reminders = [c for c in dms(bot, CAROL)[asked:] if "corrective action" in text_of(c)]
    assert len(reminders) == 1 and "due today" in text_of(reminders[0])
    await tick(bot.services, datetime(2026, 3, 16, 0, 1, tzinfo=UTC))  # the old date's week
    assert len([c for c in dms(bot, CAROL)[asked:] if "corrective action" in text_of(c)]) == 1
    before = len(bot.slack.calls("views.open"))
    await press(
        bot, blocks_of(reminders[0]), Action.ACTION_NOT_DOING, user=CAROL, channel="DU0CAROL"
    )
    closing = await opened_view(bot, before)
    empty: dict[str, Any] = {
        Field.REASON: {Field.REASON: {"type": "plain_text_input", "value": ""}}
    }
    assert "Say why" in (await submit(bot, closing, empty, user=CAROL))[1]
    why: dict[str, Any] = {
        Field.REASON: {
            Field.REASON: {"type": "plain_text_input", "value": "The <old> path is gone"}
        }
    }
    assert (await submit(bot, closing, why, user=CAROL)) == (200, "")
    shown = str(the_card(bot)[1]["blocks"])
    assert "*not doing*" in shown and "because: The &lt;old&gt; path is gone" in shown
    asked = len(dms(bot, CAROL))
    await tick(bot.services, datetime(2026, 3, 30, 0, 1, tzinfo=UTC))
    assert not [c for c in dms(bot, CAROL)[asked:] if "corrective action" in text_of(c)]


async def test_a_long_list_of_actions_shows_whole_lines_and_how_many_more(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    view = await open_form(bot, "Checkout was down")
    assert (await submit(bot, view, opening_state())) == (200, "")
    for n in range(8):
        ts, card = the_card(bot)
        before = len(bot.slack.calls("views.open"))
        await press(bot, card["blocks"], Action.ADD_ACTION, message_ts=ts)
        title = f"Action {n} " + "x" * 480
        await submit(bot, await opened_view(bot, before), action_state(title, CAROL, "2026-03-09"))
    _, card = the_card(bot)
    [listed] = [b["text"]["text"] for b in card["blocks"] if "*Corrective actions*" in str(b)]
    assert len(listed) < 3000 and listed.rstrip().endswith("more")
    for line in listed.splitlines()[1:-1]:
        assert line.count("<@") == line.count(">") - line.count("&gt;"), line
        assert f"<@{CAROL}>" in line


async def test_two_doorway_ticks_at_once_ask_about_an_action_once(
    bot: BotDriver, tmp_path: Path
) -> None:
    bot.services.clock.set(MONDAY)
    view = await open_form(bot, "Checkout was down")
    assert (await submit(bot, view, opening_state())) == (200, "")
    ts, card = the_card(bot)
    before = len(bot.slack.calls("views.open"))
    await press(bot, card["blocks"], Action.ADD_ACTION, message_ts=ts)
    await submit(bot, await opened_view(bot, before), action_state("Test it", CAROL, "2026-03-09"))
    asked = len(dms(bot, CAROL))
    env = cli_env(bot.services.settings.database_url, bot.slack.api_url)
    at = ("tick", "--at", "2026-03-09T00:01:00+00:00")  # 09:00 in Tokyo
    results = await asyncio.gather(*(doorway(*at, env=env, cwd=tmp_path) for _ in range(2)))
    assert [code for code, _, _ in results] == [0, 0], results
    assert (await doorway(*at, env=env, cwd=tmp_path))[0] == 0  # and again, after a restart
    due = [c for c in dms(bot, CAROL)[asked:] if "corrective action" in text_of(c)]
    assert len(due) == 1 and "due today" in text_of(due[0])
