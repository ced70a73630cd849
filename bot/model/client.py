"""The model client: asks an OpenAI-compatible server to size decisions and speak for the customer.

Every call has one time budget and returns a validated, typed result or ``None``. ``None`` means
"no model answer this time" (slow, down, rate-limited, or an answer that does not validate); the
caller falls back to the built-in rules and question banks.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import logging
import re
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, SecretStr, ValidationError

import prompts
from bot.decisions.judgment import Judgment, Source
from bot.model.replies import (
    CHAIR_SCHEMA,
    DOOR_SCHEMA,
    MAX_CHAIR_QUESTIONS,
    ChairReply,
    Completion,
    DoorReply,
    strict_schema,
)

# The SDK costs a process over half a second and some 30 MB: it is loaded on the first
# call (in a thread, so the acks then being answered go on), never without a key, and not
# for `serve` to start or to idle.
if TYPE_CHECKING:
    import openai
    from openai.types.chat import ChatCompletionMessageParam
    from openai.types.shared_params import ResponseFormatJSONSchema

log = logging.getLogger(__name__)

# What we send is capped too: a pasted essay costs tokens and time but sizes no better.
MAX_TEXT_CHARS = 4000
MAX_CONTEXT_CHARS = 2000

_M = TypeVar("_M", bound=BaseModel)


# --- Prompts ----------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_DELIMITER = re.compile(r"<(/?)\s*(decision|context|topic)\b", re.IGNORECASE)


def fill(template: str, **values: str) -> str:
    """Put values into ``{name}`` placeholders in one pass.

    Unlike ``str.format``, braces in the values (or elsewhere in the template) are left alone,
    and a value that contains ``{name}`` is never substituted again.
    """

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        return values[name] if name in values else match.group(0)

    return _PLACEHOLDER.sub(one, template)


def as_data(text: str, limit: int) -> str:
    """Cap user text and defuse our own delimiter tags in it so it cannot close its section."""
    text = text.strip()[:limit]
    return _DELIMITER.sub(lambda m: "‹" + m.group(1) + m.group(2), text)


def _response_format(name: str, schema: dict[str, object]) -> ResponseFormatJSONSchema:
    return {
        "type": "json_schema",
        "json_schema": {"name": name, "strict": True, "schema": schema},
    }


# --- The client -------------------------------------------------------------------------------


class ModelUnavailable(Exception):
    """Why there is no usable answer this time; logged, never raised to callers."""


class ModelClient:
    """One per process: an ``AsyncOpenAI`` with a hard time budget per call and typed results."""

    def __init__(
        self, *, api_key: str, base_url: str | None, model: str, timeout: float = 4.0
    ) -> None:
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        self.model = model
        self.timeout = timeout
        self._secret = api_key
        self._base_url = base_url
        self._openai: Any = None  # the SDK's module and client, once loaded
        self._client: openai.AsyncOpenAI | None = None
        self._loading = asyncio.Lock()

    async def _sdk(self) -> openai.AsyncOpenAI:
        if self._client is not None:
            return self._client
        async with self._loading:
            if self._client is None:
                self._openai = await asyncio.to_thread(importlib.import_module, "openai")
                # Retries would blow the budget; the caller's fallback is the retry.
                self._client = self._openai.AsyncOpenAI(
                    api_key=self._secret,
                    base_url=self._base_url,
                    timeout=self.timeout,
                    max_retries=0,
                )
            return self._client

    def __repr__(self) -> str:
        return f"ModelClient(model={self.model!r}, timeout={self.timeout})"

    async def judge(self, text: str, context: str = "") -> Judgment | None:
        """Size a decision as a one-way or two-way door, or ``None`` when the model can't."""
        user = fill(
            prompts.load("door_user.txt"),
            text=as_data(text, MAX_TEXT_CHARS),
            context=as_data(context, MAX_CONTEXT_CHARS) or "(none)",
        )
        reply = await self._ask(
            "judge", prompts.load("door_system.txt"), user, "door_judgment", DOOR_SCHEMA, DoorReply
        )
        if reply is None:
            return None
        return Judgment(
            door=reply.door,
            confidence=reply.confidence,
            reasons=reply.reasons,
            chair_question=reply.chair_question,
            source=Source.MODEL,
        )

    async def chair_questions(self, topic: str, n: int = 3) -> list[str] | None:
        """Questions from the customer who is not in the room, or ``None`` when the model can't."""
        n = max(1, min(n, MAX_CHAIR_QUESTIONS))
        user = fill(prompts.load("chair_user.txt"), topic=as_data(topic, MAX_TEXT_CHARS), n=str(n))
        reply = await self._ask(
            "chair",
            prompts.load("chair_system.txt"),
            user,
            "chair_questions",
            CHAIR_SCHEMA,
            ChairReply,
        )
        return None if reply is None else reply.questions[:n]

    async def write(
        self, purpose: str, system: str, user: str, reply_type: type[_M], *, budget: float
    ) -> _M | None:
        """A longer piece written after the ack (a room's own prompt and reply model), within
        `budget` seconds; ``None`` when the model can't, and the room's fallback writes it."""
        return await self._ask(
            purpose, system, user, purpose, strict_schema(reply_type), reply_type, budget=budget
        )

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()

    async def _ask(
        self,
        purpose: str,
        system: str,
        user: str,
        schema_name: str,
        schema: dict[str, object],
        reply_type: type[_M],
        *,
        budget: float | None = None,
    ) -> _M | None:
        client = await self._sdk()
        openai = self._openai
        budget = budget or self.timeout
        try:
            # The client's timeout bounds each connect/read; this bounds the whole call, so a
            # server that trickles bytes is cut off too.
            async with asyncio.timeout(budget):
                content = await self._complete(client, system, user, schema_name, schema, budget)
            return _parse(content, reply_type)
        except (TimeoutError, openai.APITimeoutError):
            reason = f"no answer within {budget:g}s"
        except openai.APIStatusError as exc:
            reason = f"HTTP {exc.status_code} ({type(exc).__name__})"
        except openai.APIConnectionError as exc:
            reason = f"cannot reach the server ({self._redact(str(exc))})"
        except openai.APIError as exc:
            reason = f"{type(exc).__name__}: {self._redact(str(exc))}"
        except ModelUnavailable as exc:
            reason = self._redact(str(exc))
        log.warning("model %s unavailable, using the fallback: %s", purpose, reason)
        return None

    async def _complete(
        self,
        client: openai.AsyncOpenAI,
        system: str,
        user: str,
        schema_name: str,
        schema: dict[str, object],
        budget: float,
    ) -> str:
        messages: list[ChatCompletionMessageParam] = [
            {"role": "system", "content": system},
            {"role": "user", "content": user},
        ]
        raw = await client.chat.completions.with_raw_response.create(
            model=self.model,
            messages=messages,
            response_format=_response_format(schema_name, schema),
            timeout=budget,
        )
        try:
            completion = Completion.model_validate_json(raw.http_response.content)
        except ValidationError as exc:
            raise ModelUnavailable(f"malformed completion: {_first_error(exc)}") from None
        message = completion.choices[0].message
        if message.refusal:
            raise ModelUnavailable("the model refused")
        if not message.content:
            finish = completion.choices[0].finish_reason
            raise ModelUnavailable(f"empty answer (finish_reason={finish})")
        return message.content

    def _redact(self, text: str) -> str:
        if self._secret:
            text = text.replace(self._secret, "***")
        return text[:200]


def _parse(content: str, reply_type: type[_M]) -> _M:
    try:
        data: Any = json.loads(content)
    except json.JSONDecodeError:
        raise ModelUnavailable("answer is not JSON") from None
    try:
        return reply_type.model_validate(data)
    except ValidationError as exc:
        raise ModelUnavailable(f"answer does not fit: {_first_error(exc)}") from None


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"]) or "body"
    return f"{where}: {error['msg']} ({exc.error_count()} error(s))"


def model_client_from(
    api_key: SecretStr | str | None, base_url: str | None, model: str, timeout: float = 4.0
) -> ModelClient | None:
    """A ``ModelClient`` when there is an API key, else ``None`` (built-in rules only)."""
    if isinstance(api_key, SecretStr):
        api_key = api_key.get_secret_value()
    if not api_key or not api_key.strip():
        return None
    return ModelClient(
        api_key=api_key.strip(), base_url=base_url or None, model=model, timeout=timeout
    )
