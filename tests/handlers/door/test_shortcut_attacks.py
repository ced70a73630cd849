"""Shortcuts fed what a doctored client or a long message can hold: the form still opens
(cut to what Slack takes), and a seal too old, or made for another form, is refused."""

from __future__ import annotations

import json
from datetime import timedelta

from handlers.commit.ids import Callback as CommitCallback
from handlers.door.ids import Callback, Field, Shortcut
from tests.driver import BOB, BotDriver
from tests.handlers.commit.steps import form_state
from tests.handlers.door.test_shortcuts import decisions, initial_text, opened_form, said, typed


async def test_a_huge_message_opens_a_form_cut_to_what_slack_takes(bot: BotDriver) -> None:
    text = ("We move to weekly releases <@U0NOBODY> <!channel> " * 4000)[:100_000]
    view = await opened_form(bot, callback_id=Shortcut.SIZE_MESSAGE, message=said(text))
    shown = initial_text(view)
    assert 0 < len(shown) <= 3000 and "<!channel>" not in shown


async def test_a_seal_older_than_a_day_is_refused(bot: BotDriver) -> None:
    view = await opened_form(bot, callback_id=Shortcut.SIZE_MESSAGE, message=said("Ship it"))
    bot.services.clock.set(bot.services.clock.now() + timedelta(days=1, minutes=1))
    status, answer = await bot.submit(
        Callback.MODAL, typed("Ship it"), private_metadata=view["private_metadata"]
    )
    assert status == 200
    assert "use the shortcut again" in json.loads(answer)["errors"][Field.DECISION]
    assert bot.slack.calls("chat.postMessage") == [] and await decisions(bot) == []


async def test_a_global_shortcuts_seal_in_commits_form_is_refused(bot: BotDriver) -> None:
    view = await opened_form(bot, callback_id=Shortcut.LOG)
    status, answer = await bot.submit(
        CommitCallback.RECORD,
        form_state(dissenters=[BOB]),
        private_metadata=view["private_metadata"],
    )
    assert status == 200
    assert "errors" in json.loads(answer)
    assert bot.slack.calls("chat.postMessage") == []
