"""/door when the model or the database misbehaves: the person still gets an answer."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from sqlmodel import select

from bot.model.client import model_client_from
from bot.services import Services
from console.localslack import LocalSlack
from storage.models import DoorDecision
from tests.driver import BotDriver, text_of
from tests.fakes.openai_server import FakeOpenAI

GOOD = {
    "reasons": ["Vendor lock-in for three years"],
    "door": "one_way",
    "confidence": 0.9,
    "chair_question": "Will my data be safe with the new vendor?",
}


@pytest.fixture
async def model(services: Services) -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI(content=json.dumps(GOOD)) as fake:
        services.model = model_client_from("test-key", fake.base_url, "test-model", timeout=1.0)
        yield fake


async def only_decision(bot: BotDriver) -> DoorDecision:
    async with bot.services.db.session() as session:
        [decision] = (await session.exec(select(DoorDecision))).all()
    return decision


async def test_a_good_model_answer_sizes_the_decision(bot: BotDriver, model: FakeOpenAI) -> None:
    _, _, name = await bot.command("/door", "Move billing to the new provider")
    card = await bot.response(name)
    assert "Will my data be safe with the new vendor?" in text_of(card)
    assert (await only_decision(bot)).door_source == "model"


@pytest.mark.parametrize("misbehave", ["garbage", "500", "429", "hang"])
async def test_a_failing_model_falls_back_to_the_rules(
    bot: BotDriver, model: FakeOpenAI, misbehave: str
) -> None:
    if misbehave == "garbage":
        model.garbage()
    elif misbehave == "hang":
        model.hang(30)
    else:
        model.status(int(misbehave))
    status, _, name = await bot.command("/door", "Sign a 3-year exclusive contract with Acme")
    assert status == 200
    card = await bot.response(name, timeout=15)
    assert "One-way door" in text_of(card)
    assert (await only_decision(bot)).door_source == "rules"


@pytest.mark.parametrize(
    ("command", "text"),
    [
        ("/door", "Try a blue button"),
        ("/digest", "on"),
        ("/digest", "now"),
        ("/commit", "me"),
    ],
)
async def test_database_down_gets_a_clear_message(
    bot: BotDriver, local_slack: LocalSlack, services: Services, command: str, text: str
) -> None:
    from storage.engine import Database

    healthy = services.db
    services.db = Database("postgresql://nobody@127.0.0.1:1/nowhere")
    try:
        status, _, name = await bot.command(command, text)
        assert status == 200  # acked, not Bolt's 404 for a listener that failed after ack
        answer = await bot.response(name)
        assert "can't reach its database" in text_of(answer)
    finally:
        await services.db.dispose()
        services.db = healthy
    # and it recovers when the database is back
    _, _, name = await bot.command("/door", "Try a blue button")
    assert "door" in text_of(await bot.response(name)).lower()
    assert (await only_decision(bot)).text == "Try a blue button"
