"""Errors say what failed: Slack or the database, and whether what the person did was saved."""

from __future__ import annotations

import pytest
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from bot.errors import DATABASE_DOWN, SLACK_FAILED_SAVED, SLACK_FAILED_UNSAVED
from bot.slack.failures import (
    DatabaseFailure,
    SlackFailure,
    is_database_failure,
    is_slack_failure,
    what_failed,
)
from console.localslack import RESPONSE_URL
from storage.engine import Database
from storage.models import DoorDecision
from tests.driver import ALICE, CHANNEL, BotDriver, text_of


async def decisions(bot: BotDriver) -> list[str]:
    async with bot.services.db.session() as session:
        return [d.text for d in (await session.exec(select(DoorDecision))).all()]


def test_a_bare_os_error_is_neither_slack_nor_the_database() -> None:
    # Only where it was raised can say what failed: the clients and the session name it.
    assert what_failed(OSError("connection reset")) is None
    assert what_failed(TimeoutError()) is None
    assert what_failed(SlackFailure("chat.postMessage", "TimeoutError")) == "slack"
    assert is_slack_failure(SlackApiError("no", {"ok": False, "error": "not_in_channel"}))
    assert is_database_failure(DatabaseFailure("gone"))
    assert is_database_failure(OperationalError("SELECT 1", {}, Exception("closed")))
    assert not is_slack_failure(DatabaseFailure("gone"))


async def test_the_database_refusing_connections_is_a_database_failure() -> None:
    db = Database("postgresql://nobody@127.0.0.1:1/nowhere")
    try:
        with pytest.raises(DatabaseFailure):
            async with db.session():
                pass
    finally:
        await db.dispose()


async def test_slack_failing_after_the_decision_is_stored_says_it_was_saved(bot: BotDriver) -> None:
    # The card fails at the response_url (and its two retries) and then ephemerally (the
    # connection drops); the fourth answer at the response_url goes through.
    bot.slack.fail(RESPONSE_URL, status=500, times=3)
    bot.slack.fail("chat.postEphemeral", status=0)
    _, _, name = await bot.command("/door", "Try a blue button")
    *lost, told = bot.responses(name)
    assert [call.status for call in lost] == [500, 500, 500]
    assert SLACK_FAILED_SAVED in text_of(told)
    assert "nothing was saved" not in text_of(told)
    assert await decisions(bot) == ["Try a blue button"]


async def test_slack_timing_out_after_the_decision_is_stored_is_told_by_dm(bot: BotDriver) -> None:
    bot.services.slack.timeout = 1
    bot.slack.fail("chat.postEphemeral", delay=3)  # longer than the client waits
    await bot.submit(
        "door_modal",
        {
            "decision": {"decision": {"type": "plain_text_input", "value": "Move billing"}},
            "context": {"context": {"type": "plain_text_input", "value": None}},
        },
        private_metadata=CHANNEL,
    )
    [dm] = await bot.slack.wait_for("chat.postMessage")
    assert dm.args["channel"] == ALICE
    assert SLACK_FAILED_SAVED in text_of(dm)
    assert await decisions(bot) == ["Move billing"]


async def test_slack_failing_before_anything_is_stored_says_nothing_was_saved(
    bot: BotDriver,
) -> None:
    bot.slack.fail("views.open", status=503)
    _, _, name = await bot.command("/door", "")
    [told] = bot.responses(name)
    assert SLACK_FAILED_UNSAVED in text_of(told)
    assert len(bot.slack.calls("views.open")) == 1, "views.open is not re-sent by the client"
    assert await decisions(bot) == []


async def test_the_database_down_is_not_blamed_on_slack(bot: BotDriver) -> None:
    healthy = bot.services.db
    bot.services.db = Database("postgresql://nobody@127.0.0.1:1/nowhere")
    try:
        _, _, name = await bot.command("/door", "Try a blue button")
        assert DATABASE_DOWN in text_of(await bot.response(name))
    finally:
        await bot.services.db.dispose()
        bot.services.db = healthy
