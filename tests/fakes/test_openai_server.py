"""FakeOpenAI speaks well enough for the real openai client."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import openai
import pytest
from openai import AsyncOpenAI

from tests.fakes.openai_server import FakeOpenAI


@pytest.fixture
async def fake() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI() as server:
        yield server


@pytest.fixture
async def client(fake: FakeOpenAI) -> AsyncIterator[AsyncOpenAI]:
    async with client_for(fake) as openai_client:
        yield openai_client


def client_for(fake: FakeOpenAI, timeout: float = 5) -> AsyncOpenAI:
    return AsyncOpenAI(base_url=fake.base_url, api_key="test", timeout=timeout, max_retries=0)


async def test_reply_is_parsed_and_request_recorded(fake: FakeOpenAI, client: AsyncOpenAI) -> None:
    fake.reply(json.dumps({"door": "two_way", "reasons": ["cheap to undo"]}))
    completion = await client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "system", "content": "Size it."}, {"role": "user", "content": "Blue"}],
        response_format={"type": "json_object"},
    )
    content = completion.choices[0].message.content
    assert content is not None and json.loads(content)["door"] == "two_way"
    assert completion.model == "gpt-4o-mini"
    assert fake.last.model == "gpt-4o-mini"
    assert fake.last.messages[1] == {"role": "user", "content": "Blue"}
    assert fake.last.response_format == {"type": "json_object"}
    assert fake.last.headers["Authorization"] == "Bearer test"


async def test_garbage_content_is_still_a_string(fake: FakeOpenAI, client: AsyncOpenAI) -> None:
    fake.garbage()
    completion = await client.chat.completions.create(
        model="m", messages=[{"role": "user", "content": "x"}]
    )
    content = completion.choices[0].message.content
    assert isinstance(content, str)
    with pytest.raises(json.JSONDecodeError):
        json.loads(content)


async def test_server_error(fake: FakeOpenAI, client: AsyncOpenAI) -> None:
    fake.status(500)
    with pytest.raises(openai.InternalServerError) as raised:
        await client.chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}])
    assert raised.value.status_code == 500


async def test_rate_limit(fake: FakeOpenAI, client: AsyncOpenAI) -> None:
    fake.status(429, retry_after=2)
    with pytest.raises(openai.RateLimitError) as raised:
        await client.chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}])
    assert raised.value.response.headers["retry-after"] == "2"
    assert raised.value.code == "rate_limit_exceeded"


async def test_hang_times_out(fake: FakeOpenAI, client: AsyncOpenAI) -> None:
    fake.hang(10)
    async with client_for(fake, timeout=0.5) as impatient:
        with pytest.raises(openai.APITimeoutError):
            await impatient.chat.completions.create(
                model="m", messages=[{"role": "user", "content": "x"}]
            )
    fake.reply('{"ok": true}')
    completion = await client.chat.completions.create(
        model="m", messages=[{"role": "user", "content": "x"}]
    )
    assert completion.choices[0].message.content == '{"ok": true}'
