"""Where a PR/FAQ meets the world going wrong: a model that doesn't answer in time, a press
release that runs past a page, and a channel that won't take the post."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.model.client import model_client_from
from bot.services import Services
from handlers.prfaq import drafting
from handlers.prfaq.ids import Action, Field, Section
from tests.driver import ALICE, BOB, CAROL, CHANNEL, BotDriver
from tests.fakes.openai_server import FakeOpenAI
from tests.handlers.prfaq.steps import (
    card_in,
    draft,
    opened_view,
    press,
    sections_in,
    shown,
    submit,
    text_state,
)
from tests.handlers.prfaq.test_prfaq_model import REPLY

HOME = "D" + ALICE


@pytest.fixture
async def slow_model(services: Services, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[None]:
    monkeypatch.setattr(drafting, "DRAFT_BUDGET", 0.5)
    async with FakeOpenAI(content=json.dumps(REPLY)) as fake:
        fake.hang(10)
        services.model = model_client_from("test-key", fake.base_url, "test-model", timeout=20.0)
        yield


async def test_a_model_that_does_not_answer_in_time_leaves_it_to_the_template(
    bot: BotDriver, slow_model: None
) -> None:
    started = time.monotonic()
    await draft(bot)
    _, card = card_in(bot, HOME)
    assert time.monotonic() - started < 8, "the draft waited for the model past its budget"
    assert "Doorway's template" in shown(card) and "the model gave no usable draft" in shown(card)
    assert "Instant Refunds <!here>" not in shown(sections_in(bot, HOME)["Heading"])
    assert "Refunds take a week" in shown(sections_in(bot, HOME)["Problem"])


async def test_the_card_warns_when_the_press_release_runs_past_a_page(bot: BotDriver) -> None:
    long = " ".join(["customers wait for their money"] * 60)  # 300 words, 1,859 characters
    await draft(bot, problem=long, experience=long)
    _, card = card_in(bot, HOME)
    assert ":warning: The press release runs to" in shown(card) and "past one page" in shown(card)

    # Cut to a page, the warning goes.
    problem = sections_in(bot, HOME)["Problem"]
    before = len(bot.slack.calls("views.open"))
    await press(bot, problem, Action.REVISE, channel=HOME, value=Section.PROBLEM.value)
    view = await opened_view(bot, before)
    status, _ = await submit(bot, view, text_state(Field.TEXT, "Refunds take a week."))
    assert status == 200
    _, card = card_in(bot, HOME)
    assert "past one page" not in shown(card) and "within a page" in shown(card)


async def share(bot: BotDriver, picked: dict[str, Any]) -> None:
    ts, card = card_in(bot, HOME)
    before = len(bot.slack.calls("views.open"))
    await press(bot, card, Action.SHARE, channel=HOME, ts=ts)
    view = await opened_view(bot, before)
    assert (await submit(bot, view, picked)) == (200, "")


def readers(*users: str) -> dict[str, Any]:
    return {
        Field.READERS: {Field.READERS: {"type": "multi_users_select", "selected_users": [*users]}}
    }


CHANNEL_PICKED: dict[str, Any] = {
    Field.CHANNEL: {
        Field.CHANNEL: {"type": "conversations_select", "selected_conversation": CHANNEL}
    }
}


async def test_a_channel_that_refuses_the_post_can_be_tried_again(bot: BotDriver) -> None:
    await draft(bot)
    await share(bot, readers(BOB))
    await share(bot, readers(CAROL))

    bot.slack.fail("chat.postMessage", error="not_in_channel")
    await share(bot, CHANNEL_PICKED)
    await bot.settled()
    _, card = card_in(bot, HOME)
    assert "couldn't post the PR/FAQ in" in shown(card) and "not_in_channel" in shown(card)
    assert "/invite @Doorway" in shown(card)
    assert Action.SHARE.value in shown(card), "Share is there to try again"
    assert "a wider circle" in shown(card) and f"the channel <#{CHANNEL}>" not in shown(card)
    assert not [
        c
        for c in bot.slack.calls("chat.postMessage")
        if c.args.get("channel") == CHANNEL and c.response and c.response.get("ok")
    ]
    assert not bot.slack.workspace.canvas_docs

    # Doorway invited, the author shares again: the card, the document and the canvas.
    await share(bot, CHANNEL_PICKED)
    await bot.settled()
    _, in_channel = card_in(bot, CHANNEL)
    assert list(sections_in(bot, CHANNEL)) == [s.spec.title for s in Section]
    _, card = card_in(bot, HOME)
    assert "couldn't post" not in shown(card) and f"the channel <#{CHANNEL}>" in shown(card)
    [canvas] = bot.slack.workspace.canvas_docs.values()
    assert canvas["channel_id"] == CHANNEL


async def test_a_wider_circle_of_only_those_already_asked_is_refused(bot: BotDriver) -> None:
    await draft(bot)
    await share(bot, readers(BOB))
    ts, card = card_in(bot, HOME)
    before = len(bot.slack.calls("views.open"))
    await press(bot, card, Action.SHARE, channel=HOME, ts=ts)
    view = await opened_view(bot, before)
    status, body = await submit(bot, view, readers(BOB))
    assert status == 200 and "Already asked to read it" in body
    _, card = card_in(bot, HOME)
    assert "a wider circle" not in shown(card), "the wider circle is not skipped"
    assert (await submit(bot, view, readers(BOB, CAROL))) == (200, "")
    _, card = card_in(bot, HOME)
    assert "a wider circle" in shown(card) and f"<@{CAROL}>" in shown(card)
