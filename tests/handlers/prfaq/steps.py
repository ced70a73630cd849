"""Steps of the /prfaq flow as Slack performs them, for the PR/FAQ tests."""

from __future__ import annotations

import json
import uuid
from typing import Any

from handlers.prfaq.ids import QUESTIONS, Field
from tests.driver import ALICE, CHANNEL, BotDriver, blocks_of, find_element

ANSWERS = {
    Field.CUSTOMER: "Small online shops that sell to returning customers",
    Field.PROBLEM: "Refunds take a week, so customers stop buying while they wait",
    Field.BENEFIT: "Customers get their money back the moment a return is scanned",
    Field.EVIDENCE: "40% of support tickets in October asked where a refund was",
    Field.EXPERIENCE: "The customer drops the parcel off, and the refund lands in a minute",
}


def opening_state(idea: str = "Instant refunds", **answers: str) -> dict[str, Any]:
    state: dict[str, Any] = {
        Field.IDEA: {Field.IDEA: {"type": "plain_text_input", "value": idea}},
    }
    for name, _, _ in QUESTIONS:
        value = answers.get(name.value, ANSWERS[name])
        state[name] = {name: {"type": "plain_text_input", "value": value}}
    return state


def text_state(name: str, value: str) -> dict[str, Any]:
    return {name: {name: {"type": "plain_text_input", "value": value}}}


async def opened_view(bot: BotDriver, before: int) -> dict[str, Any]:
    opened = await bot.slack.wait_for("views.open", count=before + 1)
    view: dict[str, Any] = opened[-1].args["view"]
    return json.loads(view) if isinstance(view, str) else view


async def open_form(
    bot: BotDriver, text: str = "Instant refunds", *, user: str = ALICE
) -> dict[str, Any]:
    before = len(bot.slack.calls("views.open"))
    status, _, _ = await bot.command("/prfaq", text, user=user)
    assert status == 200
    return await opened_view(bot, before)


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


async def draft(bot: BotDriver, *, user: str = ALICE, **answers: str) -> None:
    view = await open_form(bot, user=user)
    status, body = await submit(bot, view, opening_state(**answers), user=user)
    assert (status, body) == (200, "")


def posts_in(bot: BotDriver, channel: str) -> list[Any]:
    return [c for c in bot.slack.calls("chat.postMessage") if c.args.get("channel") == channel]


def card_in(bot: BotDriver, channel: str) -> tuple[str, dict[str, Any]]:
    """The PR/FAQ card as it stands in `channel` now: (ts, message)."""
    cards = [
        c
        for c in posts_in(bot, channel)
        if not c.args.get("thread_ts") and str(c.args.get("text", "")).startswith("PR/FAQ:")
    ]
    assert cards, f"no PR/FAQ card in {channel}"
    ts = str(cards[-1].posted_ts or (cards[-1].response or {})["ts"])
    return ts, bot.slack.messages[(channel, ts)]


def sections_in(bot: BotDriver, channel: str) -> dict[str, dict[str, Any]]:
    """Each section in the card's thread as it stands now, by its title: its own block and
    the version line under it, in a message of their own (which holds its *Revise*)."""
    ts, _ = card_in(bot, channel)
    found = {}
    for call in posts_in(bot, channel):
        if call.args.get("thread_ts") != ts:
            continue
        posted = str(call.posted_ts or (call.response or {})["ts"])
        blocks = bot.slack.messages[(channel, posted)]["blocks"]
        for n, block in enumerate(blocks):
            if (block.get("accessory") or {}).get("action_id") == "prfaq_revise":
                title = block["text"]["text"].split("\n", 1)[0].strip("*")
                found[title] = {"blocks": [block, *blocks[n + 1 : n + 2]], "text": ""}
    return found


def shown(message: dict[str, Any]) -> str:
    return json.dumps(message.get("blocks", []), ensure_ascii=False) + str(message.get("text"))


async def press(
    bot: BotDriver,
    message: dict[str, Any],
    action_id: str,
    *,
    user: str = ALICE,
    channel: str = CHANNEL,
    ts: str = "1700000000.000009",
    value: str | None = None,
) -> str:
    """Press a button in a message as it stands; the response_url name."""
    blocks = message["blocks"]
    block_id = None
    if value is not None:
        block_id = next(
            b["block_id"]
            for b in blocks
            if (b.get("accessory") or {}).get("action_id") == action_id
            and b["accessory"].get("value") == value
        )
    find_element(blocks, action_id, block_id=block_id)
    status, _, name = await bot.click(
        blocks, action_id, user=user, channel=channel, message_ts=ts, block_id=block_id
    )
    assert status == 200
    return name


__all__ = ["blocks_of"]
