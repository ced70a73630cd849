"""Slack's pace for posting: at most one message per second in each channel."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse


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
