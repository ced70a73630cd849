"""Steps of the /coe flow as Slack performs them, for the Correction of Error tests."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from console.localslack import Call
from handlers.coe.ids import Action, Callback, Field, why_field
from handlers.coe.questions import WRITTEN, Question
from tests import signing
from tests.driver import ALICE, CHANNEL, TEAM, BotDriver, blocks_of

# A Monday, 15:00 UTC (10:00 in New York, where Alice is).
MONDAY = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def rich(text: str, *, bold: str = "", link: str = "") -> dict[str, Any]:
    """A rich_text value as Slack's rich_text_input sends it."""
    leaves: list[dict[str, Any]] = [{"type": "text", "text": text}]
    if bold:
        leaves.append({"type": "text", "text": bold, "style": {"bold": True}})
    if link:
        leaves.append({"type": "link", "url": link, "text": "the graph"})
    return {
        "type": "rich_text",
        "elements": [{"type": "rich_text_section", "elements": leaves}],
    }


def opening_state(
    *,
    title: str = "Checkout was down",
    severity: str | None = "sev2",
    owner: str = ALICE,
    channel: str = CHANNEL,
    draft_due: str | None = "2026-03-04",
    decisions: str = "",
    writers: list[str] | None = None,
) -> dict[str, Any]:
    option = (
        {"value": severity, "text": {"type": "plain_text", "text": severity}} if severity else None
    )
    return {
        Field.TITLE: {Field.TITLE: {"type": "plain_text_input", "value": title}},
        Field.STARTED: {
            Field.STARTED: {"type": "datetimepicker", "selected_date_time": 1772400000}
        },
        Field.DETECTED: {
            Field.DETECTED: {"type": "datetimepicker", "selected_date_time": 1772401800}
        },
        Field.DURATION: {Field.DURATION: {"type": "number_input", "value": "95"}},
        Field.SEVERITY: {Field.SEVERITY: {"type": "static_select", "selected_option": option}},
        Field.CHANNEL: {
            Field.CHANNEL: {"type": "conversations_select", "selected_conversation": channel}
        },
        Field.OWNER: {Field.OWNER: {"type": "users_select", "selected_user": owner}},
        Field.DRAFT_DUE: {Field.DRAFT_DUE: {"type": "datepicker", "selected_date": draft_due}},
        Field.DECISIONS: {Field.DECISIONS: {"type": "plain_text_input", "value": decisions}},
        Field.WRITERS: {
            Field.WRITERS: {"type": "multi_users_select", "selected_users": writers or []}
        },
    }


def answer_state(question: Question, value: dict[str, Any]) -> dict[str, Any]:
    state: dict[str, Any] = {
        Field.ANSWER: {Field.ANSWER: {"type": "rich_text_input", "rich_text_value": value}}
    }
    if question is Question.IMPACT:
        for name, number in ((Field.CUSTOMERS, "1200"), (Field.MINUTES, "95")):
            state[name] = {name: {"type": "number_input", "value": number}}
        state[Field.COST] = {
            Field.COST: {"type": "plain_text_input", "value": "$18,000 in refunds"}
        }
    if question is Question.ROOT_CAUSE:
        state[Field.CHAIN] = {
            Field.CHAIN: {"type": "static_select", "selected_option": {"value": "1"}}
        }
        whys = [
            "The deploy removed a config key",
            "The check passed without it",
            "No test reads it",
        ]
        for n in range(1, 6):
            value_n = whys[n - 1] if n <= len(whys) else None
            state[why_field(n)] = {why_field(n): {"type": "plain_text_input", "value": value_n}}
    return state


async def open_form(bot: BotDriver, text: str, *, user: str = ALICE) -> dict[str, Any]:
    before = len(bot.slack.calls("views.open"))
    status, _, _ = await bot.command("/coe", text, user=user)
    assert status == 200
    opened = await bot.slack.wait_for("views.open", count=before + 1)
    view: dict[str, Any] = opened[-1].args["view"]
    return view


async def submit(
    bot: BotDriver, view: dict[str, Any], values: dict[str, Any], *, user: str = ALICE
) -> tuple[int, str]:
    return await bot.submit(
        view["callback_id"],
        values,
        user=user,
        private_metadata=view.get("private_metadata", ""),
        view_id=f"V{uuid.uuid4().hex[:10].upper()}",
    )


def the_card(bot: BotDriver, channel: str = CHANNEL) -> tuple[str, dict[str, Any]]:
    """The review's message as it stands in Slack now: (ts, message)."""
    posts = [
        c
        for c in bot.slack.calls("chat.postMessage")
        if c.args.get("channel") == channel
        and not c.args.get("thread_ts")
        and "Correction of Error" in str(c.args.get("text"))
    ]
    assert posts, "no review message was posted"
    ts = str(posts[-1].posted_ts or (posts[-1].response or {})["ts"])
    return ts, bot.slack.messages[(channel, ts)]


async def press(
    bot: BotDriver,
    blocks: list[dict[str, Any]],
    action_id: str,
    *,
    user: str = ALICE,
    channel: str = CHANNEL,
    message_ts: str | None = None,
    selected: str | None = None,
) -> str:
    """Press a button (or pick `selected` in a select) in a message; the response_url name."""
    for block in blocks:
        for element in block.get("elements") or []:
            if isinstance(element, dict) and element.get("action_id") == action_id:
                break
        else:
            continue
        break
    else:
        raise AssertionError(f"no {action_id} in the message")
    action: dict[str, Any] = {
        "type": element["type"],
        "action_id": action_id,
        "block_id": block["block_id"],
        "action_ts": "1700000000.000001",
    }
    if "value" in element:
        action["value"] = element["value"]
    if selected is not None:
        action["selected_option"] = {"value": selected, "text": {"type": "plain_text", "text": "x"}}
    name = f"press-{uuid.uuid4().hex[:8]}"
    payload = signing.block_actions_payload(
        action_id,
        team_id=TEAM,
        user_id=user,
        channel_id=channel,
        message={"type": "message", "ts": message_ts or "1700000000.000009", "blocks": blocks},
        response_url=bot.slack.response_url(name),
        action=action,
    )
    body, headers = signing.block_actions(payload)
    status, _ = await bot.post(body, headers)
    assert status == 200
    return name


async def opened_view(bot: BotDriver, before: int) -> dict[str, Any]:
    opened = await bot.slack.wait_for("views.open", count=before + 1)
    view: dict[str, Any] = opened[-1].args["view"]
    return view


async def answer(
    bot: BotDriver, question: Question, value: dict[str, Any], *, user: str = ALICE
) -> tuple[int, str]:
    """Pick the question on the review's message, and submit its modal."""
    ts, message = the_card(bot)
    before = len(bot.slack.calls("views.open"))
    await press(
        bot, message["blocks"], Action.QUESTION, user=user, message_ts=ts, selected=question.value
    )
    view = await opened_view(bot, before)
    assert view["callback_id"] == Callback.ANSWER
    return await submit(bot, view, answer_state(question, value), user=user)


async def answer_all(bot: BotDriver) -> None:
    for question in WRITTEN:
        status, body = await answer(
            bot, question, rich(f"About {question.spec.title}: ", bold="mechanisms")
        )
        assert (status, body) == (200, ""), (question, body)


def dms(bot: BotDriver, user: str) -> list[Call]:
    return [c for c in bot.slack.calls("chat.postMessage") if c.args.get("channel") == "D" + user]


def shown(message: dict[str, Any]) -> str:
    import json

    return json.dumps(message.get("blocks", []), ensure_ascii=False) + str(message.get("text"))


__all__ = ["blocks_of"]
