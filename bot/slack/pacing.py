"""Slack's pace: at most one message per second in each channel, and when Slack answers 429
(rate limited), a pause for every call of that workspace for as long as Retry-After says."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

log = logging.getLogger(__name__)


class ChannelPacer:
    """Spaces sends to one channel `interval` seconds apart, within this process.

    Sends to a channel are serialised; other channels are not held up. Across processes
    Slack's own 429 (waited out by the client's retry handler) does the rest.
    """

    def __init__(
        self,
        interval: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.interval = interval
        self._monotonic = monotonic
        self._sleep = sleep
        self._locks: dict[str, asyncio.Lock] = {}
        self._last: dict[str, float] = {}

    @asynccontextmanager
    async def slot(self, channel: str) -> AsyncIterator[None]:
        lock = self._locks.setdefault(channel, asyncio.Lock())
        async with lock:
            last = self._last.get(channel)
            if last is not None:
                wait = last + self.interval - self._monotonic()
                if wait > 0:
                    await self._sleep(wait)
            try:
                yield
            finally:
                self._last[channel] = self._monotonic()


async def post_message(
    slack: AsyncWebClient, pacer: ChannelPacer, *, channel: str, **fields: object
) -> AsyncSlackResponse:
    """chat.postMessage at the channel's pace."""
    async with pacer.slot(channel):
        return await slack.chat_postMessage(channel=channel, **fields)  # type: ignore[arg-type]


class WorkspacePause:
    """While Slack has told a workspace to slow down, every call made with its token waits.

    A 429 is Slack's answer to the workspace's rate, not to one call: the other calls of a
    busy tick would only be refused too. Keyed by token (one per workspace), never logged.
    """

    def __init__(
        self,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._monotonic = monotonic
        self._sleep = sleep
        self._until: dict[str, float] = {}

    def hold(self, token: str, seconds: float) -> None:
        until = self._monotonic() + seconds
        if until > self._until.get(token, 0.0):
            self._until[token] = until

    def left(self, token: str) -> float:
        return max(0.0, self._until.get(token, 0.0) - self._monotonic())

    async def wait(self, token: str) -> None:
        while (left := self.left(token)) > 0:
            await self._sleep(left)


class PausingRateLimitRetry(AsyncRateLimitErrorRetryHandler):
    """Waits out a 429 as slack_sdk's handler does (Retry-After, plus a little jitter), and
    holds the whole workspace for that long (`WorkspacePause`)."""

    def __init__(self, pause: WorkspacePause, max_retry_count: int = 3) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.pause = pause

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        if response is None:
            raise error  # type: ignore[misc]
        state.next_attempt_requested = True
        seconds = retry_after(response) + random.random()
        token = token_of(request)
        if not self.pause.left(token):
            log.warning("Slack asked Doorway to slow down: every call waits %.0f s", seconds)
        self.pause.hold(token, seconds)
        await self.pause.wait(token)
        state.increment_current_attempt()


def retry_after(response: HttpResponse) -> float:
    """Slack's Retry-After in seconds (1 when it gave none we can read)."""
    for name, values in response.headers.items():
        if name.lower() == "retry-after" and values:
            try:
                return max(0.0, float(values[0]))
            except ValueError:
                break
    return 1.0


def token_of(request: HttpRequest) -> str:
    """The bot token a request was made with (slack_sdk keeps each header as a list)."""
    for name, value in request.headers.items():
        if name.lower() == "authorization":
            first = value[0] if isinstance(value, list) and value else value
            return str(first or "").removeprefix("Bearer ")
    return ""
