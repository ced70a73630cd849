"""A modal opened before a deploy, submitted after it: its blocks are missing or renamed.
Each room's modal answers it in the modal itself, with a friendly message, never a 500."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from sqlmodel import select

from storage.models import Decision
from tests.driver import BotDriver

ORIGIN = json.dumps({"d": 1, "c": None, "ts": None})


def _text(value: str | None) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


# (modal, private_metadata, the state an older or newer version of the modal submits)
STALE: list[tuple[str, str, dict[str, Any]]] = [
    ("door_modal", "C0GENERAL", {}),
    ("door_modal", "C0GENERAL", {"what": {"what": _text("Ship it")}}),  # renamed block
    ("door_modal", "C0GENERAL", {"decision": {"text": _text("Ship it")}}),  # renamed element
    ("door_modal", "C0GENERAL", {"decision": {"decision": _text("Ship it")}}),  # no context
    ("commit_record", "C0GENERAL", {}),
    (
        "commit_record",
        "C0GENERAL",
        {
            "decision": {"decision": _text("We ship on Friday")},
            "owner": {"owner": {"type": "users_select", "selected_user": "U0ALICE"}},
            "people": {"people": {"type": "multi_users_select", "selected_users": ["U0BOB"]}},
            "summary": {"summary": _text(None)},
            "check_back": {"check_back": {"type": "datepicker", "selected_date": "2099-01-01"}},
        },
    ),
    (
        "commit_record",
        "C0GENERAL",
        {
            "decision": {"decision": _text("We ship on Friday")},
            "owner": {"owner": {"type": "users_select", "selected_user": "U0ALICE"}},
            "dissenters": {
                "dissenters": {"type": "multi_users_select", "selected_users": ["U0BOB"]}
            },
            "summary": {"summary": _text(None)},
            "check_back": {"check_back": {"type": "datepicker", "selected_date": "next week"}},
        },
    ),
    ("commit_pledge", ORIGIN, {}),
    ("commit_pledge", ORIGIN, {"concern": {"concern": _text("Too fast")}}),  # no expectation
    (
        "commit_pledge",
        "C0GENERAL",
        {
            "concern": {"concern": _text(None)},  # old metadata
            "expectation": {"expectation": _text(None)},
        },
    ),
    ("commit_hold", ORIGIN, {}),
    ("commit_hold", ORIGIN, {"why": {"why": _text("Not convinced")}}),
    ("commit_hold", "", {"reason": {"reason": _text("Not convinced")}}),
]


@pytest.mark.parametrize(
    ("callback_id", "metadata", "values"),
    STALE,
    ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(STALE)],
)
async def test_a_stale_form_is_told_to_open_again(
    bot: BotDriver,
    caplog: pytest.LogCaptureFixture,
    callback_id: str,
    metadata: str,
    values: dict[str, Any],
) -> None:
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.INFO, logger="doorway")
    status, answer = await bot.submit(callback_id, values, private_metadata=metadata)

    assert status == 200
    response = json.loads(answer)
    assert response["response_action"] == "update"
    shown = json.dumps(response["view"])
    assert "out of date" in shown and "open it again" in shown
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    stale = [r for r in caplog.records if "opened before a deploy" in r.getMessage()]
    assert len(stale) == 1 and callback_id in stale[0].getMessage()
    async with bot.services.db.session() as session:
        assert (await session.exec(select(Decision))).all() == []
    assert bot.slack.calls("chat.postMessage") == []
    assert bot.slack.calls("chat.postEphemeral") == []
