"""With a model configured, the model writes the first draft; an answer that is late or
doesn't fit leaves it to the template, and the card says which wrote it."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from bot.model.client import model_client_from
from bot.services import Services
from tests.driver import ALICE, BotDriver
from tests.fakes.openai_server import FakeOpenAI
from tests.handlers.prfaq.steps import card_in, draft, sections_in, shown

HOME = "D" + ALICE
FAQ = [{"question": "Who pays for a refund <b>?", "answer": "The shop, as today."}]
REPLY = {
    "heading": "Instant Refunds <!here>",
    "subheading": "Shoppers get their money back the moment a return is scanned.",
    "summary": "[TO WRITE: city] — [TO WRITE: launch date] — Today we launch Instant Refunds.",
    "problem": "Shoppers wait a week for refunds.",
    "solution": "The refund lands when the parcel is scanned.",
    "leader_quote": "“We built it for shoppers,” said [TO WRITE: name].",
    "getting_started": "Turn it on in settings.",
    "customer_quote": "“I got my money back before I got home,” said [TO WRITE: name].",
    "external_faq": FAQ,
    "internal_faq": FAQ,
}


@pytest.fixture
async def model(services: Services) -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI(content=json.dumps(REPLY)) as fake:
        services.model = model_client_from("test-key", fake.base_url, "test-model", timeout=2.0)
        yield fake


async def test_the_model_writes_the_draft_from_the_answers(
    bot: BotDriver, model: FakeOpenAI
) -> None:
    await draft(bot)
    _, card = card_in(bot, HOME)
    assert "written by the model" in shown(card)
    assert "2 marked gaps" not in shown(card) and "marked gaps left" in shown(card)
    sections = sections_in(bot, HOME)
    assert "<!here>" not in shown(sections["Heading"]) and "@here" in shown(sections["Heading"])
    assert "Who pays for a refund &lt;b&gt;?" in shown(sections["External FAQ"])
    sent = model.requests[0].messages[1]["content"]
    assert "Refunds take a week" in sent and "40% of support tickets" in sent


async def test_an_answer_that_does_not_fit_leaves_it_to_the_template(
    bot: BotDriver, model: FakeOpenAI
) -> None:
    model.reply(json.dumps({**REPLY, "external_faq": []}))
    await draft(bot)
    _, card = card_in(bot, HOME)
    assert "Doorway's template" in shown(card) and "the model gave no usable draft" in shown(card)
    assert "Refunds take a week" in shown(sections_in(bot, HOME)["Problem"])
