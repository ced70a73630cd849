"""Signed requests missing, or mistyping, a field a listener reads (a trigger_id, a button's
value, a date, who sent it): the person is asked to try again, the log says so in one line,
nothing is stored, and no traceback."""

from __future__ import annotations

import json
import uuid
from urllib.parse import parse_qsl, urlencode

import pytest
from sqlmodel import select

from bot.listeners.fields import INCOMPLETE
from handlers.door.ids import Action
from storage.models import DoorDecision
from tests import signing
from tests.bot.serving.test_gate import assert_no_traceback, capture
from tests.driver import ALICE, CHANNEL, TEAM, BotDriver, blocks_of, find_element


async def command(bot: BotDriver, name: str, text: str, **changes: str | None) -> int:
    """Type a slash command whose fields are changed (None: left out) before it is signed."""
    body, _ = signing.slash_command(
        name,
        text,
        team_id=TEAM,
        user_id=ALICE,
        channel_id=CHANNEL,
        response_url=bot.slack.response_url("typed"),
    )
    fields: dict[str, str] = dict(parse_qsl(body, keep_blank_values=True))
    for field, value in changes.items():
        if value is None:
            fields.pop(field)
        else:
            fields[field] = value
    changed = urlencode(fields)
    status, _ = await bot.post(changed, signing.sign(changed))
    return status


def told_incomplete(bot: BotDriver, url_name: str) -> bool:
    return any(INCOMPLETE in json.dumps(c.args) for c in bot.responses(url_name))


def assert_one_line(caplog: pytest.LogCaptureFixture, field: str) -> None:
    assert_no_traceback(caplog)
    lines = [r.getMessage() for r in caplog.records if r.name == "doorway.errors"]
    assert len(lines) == 1 and f"its {field} " in lines[0], lines


async def stored(bot: BotDriver) -> list[DoorDecision]:
    async with bot.services.db.session() as session:
        return list((await session.exec(select(DoorDecision))).all())


# (the command, its text, the fields changed, the field the log names)
COMMANDS: list[tuple[str, str, dict[str, str | None], str]] = [
    ("/door", "", {"trigger_id": None}, "trigger_id"),  # the modal can't open
    ("/door", "Ship the beta", {"trigger_id": None}, "trigger_id"),
    ("/door", "Ship the beta", {"user_id": None}, "user_id"),
    ("/door", "Ship the beta", {"channel_id": ""}, "channel_id"),
    ("/door", "Ship the beta", {"team_id": None}, "team id"),
    ("/commit", "We ship on Friday", {"trigger_id": None}, "trigger_id"),
    ("/commit", "me", {"user_id": None}, "user_id"),
    ("/chair", "pricing", {"user_id": None}, "user_id"),
    ("/digest", "on", {"channel_id": None}, "channel_id"),
]


@pytest.mark.parametrize(
    ("name", "text", "changes", "field"),
    COMMANDS,
    ids=[f"{c[0]} {c[1] or '(empty)'} without {next(iter(c[2]))}" for c in COMMANDS],
)
async def test_an_incomplete_command_asks_to_try_again(
    bot: BotDriver,
    caplog: pytest.LogCaptureFixture,
    name: str,
    text: str,
    changes: dict[str, str | None],
    field: str,
) -> None:
    capture(caplog)
    assert await command(bot, name, text, **changes) == 200
    assert told_incomplete(bot, "typed")
    assert bot.slack.calls("views.open") == []
    assert await stored(bot) == []
    assert_one_line(caplog, field)


# (the element pressed, what is changed in it, the selected date, the field the log names)
CLICKS: list[tuple[str, str, str | None, str]] = [
    (Action.SHARE, "not-a-number", None, "value"),
    (Action.SHARE, "9" * 40, None, "value"),  # more digits than any id
    (Action.OVERRULE, "1:sideways", None, "value"),
    (Action.REVIEW_DATE, "", "2031-02-30", "selected_date"),
    (Action.REVIEW_DATE, "", "", "selected_date"),
]


@pytest.mark.parametrize(
    ("action_id", "value", "selected_date", "field"),
    CLICKS,
    ids=[f"{c[0]} {c[1] or c[2] or 'empty'}" for c in CLICKS],
)
async def test_a_click_with_a_mistyped_value_asks_to_try_again(
    bot: BotDriver,
    caplog: pytest.LogCaptureFixture,
    action_id: str,
    value: str,
    selected_date: str | None,
    field: str,
) -> None:
    capture(caplog)
    _, _, name = await bot.command("/door", "Try a blue button for a week")
    card = blocks_of(await bot.response(name))
    if value:
        find_element(card, action_id)[0]["value"] = value
    status, _, click = await bot.click(card, action_id, selected_date=selected_date)
    assert status == 200
    assert told_incomplete(bot, click)
    [decision] = await stored(bot)
    assert decision.door == "two_way" and decision.review_at is None and not decision.message_ts
    assert_one_line(caplog, field)


async def test_a_submission_without_its_user_is_answered_in_the_modal(
    bot: BotDriver, caplog: pytest.LogCaptureFixture
) -> None:
    capture(caplog)
    body, _ = signing.view_submission(
        "door_modal",
        {
            "decision": {"decision": {"type": "plain_text_input", "value": "Ship the beta"}},
            "context": {"context": {"type": "plain_text_input", "value": None}},
        },
        team_id=TEAM,
        user_id=ALICE,
        private_metadata=CHANNEL,
    )
    payload = json.loads(dict(parse_qsl(body))["payload"])
    del payload["user"]["id"]
    status, answer = await bot.post(*signing.interactive(payload))
    assert status == 200
    assert json.loads(answer)["response_action"] == "update"
    assert INCOMPLETE in answer
    assert await stored(bot) == []
    assert_one_line(caplog, "id")


async def test_app_home_opened_without_a_user_is_logged_in_one_line(
    bot: BotDriver, caplog: pytest.LogCaptureFixture
) -> None:
    capture(caplog)
    status, _ = await bot.event(
        {"type": "app_home_opened", "tab": "home"}, event_id=f"Ev{uuid.uuid4().hex[:8]}"
    )
    assert status == 200
    assert bot.slack.calls("views.publish") == []
    assert_one_line(caplog, "user")
