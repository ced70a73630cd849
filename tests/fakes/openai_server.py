"""FakeOpenAI: the OpenAI Chat Completions HTTP API on a free local port.

    async with FakeOpenAI() as fake:
        fake.reply('{"door": "two_way"}')
        client = AsyncOpenAI(base_url=fake.base_url, api_key="test")

Modes stay until changed: `reply(content)`, `garbage()`, `status(code)`,
`hang(seconds)`. Every request is recorded in `requests`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import math
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

_ERRORS = {
    400: ("invalid_request_error", None),
    401: ("invalid_request_error", "invalid_api_key"),
    429: ("requests", "rate_limit_exceeded"),
    500: ("server_error", None),
    503: ("server_error", None),
}


@dataclass
class ChatRequest:
    """One POST /v1/chat/completions the fake received."""

    model: str | None
    messages: list[dict[str, Any]]
    response_format: dict[str, Any] | None
    body: dict[str, Any]
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)


class FakeOpenAI:
    """A stand-in for api.openai.com; point `AsyncOpenAI(base_url=...)` at it."""

    def __init__(self, *, content: str = '{"ok": true}', model: str = "gpt-4o-mini") -> None:
        self.default_model = model
        self.requests: list[ChatRequest] = []
        self._content = content
        self._status = 200
        self._retry_after: float | None = None
        self._hang = 0.0
        self._ids = itertools.count(1)
        self._stopping = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._url: str | None = None

    # -- modes -----------------------------------------------------------------

    def reply(self, content: str) -> None:
        """Answer 200 with `content` as the assistant message."""
        self._content, self._status, self._hang = content, 200, 0.0

    def garbage(self) -> None:
        """Answer 200 with content that is not JSON."""
        self.reply("Sure! Here is what I think: the door is probably, maybe, two-way-ish.")

    def status(self, code: int, *, retry_after: float | None = None) -> None:
        """Answer `code` with OpenAI's error body (and Retry-After for 429 if given)."""
        self._status, self._retry_after, self._hang = code, retry_after, 0.0

    def hang(self, seconds: float) -> None:
        """Wait `seconds` before answering (the answer is whatever mode was set)."""
        self._hang = seconds

    # -- lifecycle -------------------------------------------------------------

    async def start(self) -> FakeOpenAI:
        if self._runner is not None:
            return self
        self._stopping = asyncio.Event()
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._completions)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        host, port = runner.addresses[0][:2]
        self._runner, self._url = runner, f"http://{host}:{port}"
        return self

    async def stop(self) -> None:
        if self._runner is None:
            return
        self._stopping.set()
        runner, self._runner = self._runner, None
        await runner.cleanup()

    async def __aenter__(self) -> FakeOpenAI:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        if self._url is None:
            raise RuntimeError("FakeOpenAI is not started")
        return f"{self._url}/v1"

    @property
    def last(self) -> ChatRequest:
        if not self.requests:
            raise AssertionError("FakeOpenAI received no requests")
        return self.requests[-1]

    # -- HTTP ------------------------------------------------------------------

    async def _completions(self, request: web.Request) -> web.Response:
        try:
            body = await request.json()
        except json.JSONDecodeError:
            return _error(400, "We could not parse the JSON body of your request.")
        self.requests.append(
            ChatRequest(
                model=body.get("model"),
                messages=body.get("messages", []),
                response_format=body.get("response_format"),
                body=body,
                headers=dict(request.headers),
            )
        )
        if self._hang > 0 and not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self._hang)
        if self._status != 200:
            headers = {}
            if self._retry_after is not None:
                headers["retry-after"] = str(math.ceil(self._retry_after))
                headers["retry-after-ms"] = str(int(self._retry_after * 1000))
            return _error(self._status, f"Fake error {self._status}.", headers)
        return web.json_response(self._completion(body), headers=_request_id())

    def _completion(self, body: dict[str, Any]) -> dict[str, Any]:
        prompt_tokens = sum(
            len(str(m.get("content", "")).split()) for m in body.get("messages", [])
        )
        completion_tokens = len(self._content.split())
        return {
            "id": f"chatcmpl-fake{next(self._ids):06d}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model") or self.default_model,
            "system_fingerprint": "fp_fake",
            "choices": [
                {
                    "index": 0,
                    "message": {
                        "role": "assistant",
                        "content": self._content,
                        "refusal": None,
                        "annotations": [],
                    },
                    "logprobs": None,
                    "finish_reason": "stop",
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> web.Response:
    kind, code = _ERRORS.get(status, ("server_error", None))
    body = {"error": {"message": message, "type": kind, "param": None, "code": code}}
    return web.json_response(body, status=status, headers={**_request_id(), **(headers or {})})


def _request_id() -> dict[str, str]:
    return {"x-request-id": f"req_fake{time.time_ns()}"}
