"""What LocalSlack received and said back, in order, and the failures it was told to stage."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Call:
    """One request LocalSlack received, and (once answered) what it said back."""

    method: str
    args: dict[str, Any]
    token: str | None = None
    url_name: str | None = None
    at: float = field(default_factory=time.monotonic)
    status: int | None = None
    response: dict[str, Any] | None = None
    # Where a response_url's `in_channel` answer landed: Slack gives it a timestamp the bot
    # never hears of (the response body is just `ok`), but the channel shows the message.
    posted_ts: str | None = None
    # The workspace its token belongs to (LocalSlack.workspace_of).
    team_id: str | None = None

    @property
    def answered(self) -> bool:
        return self.status is not None

    @property
    def ts(self) -> str:
        """The `ts` Slack answered with: the id of the message this call posted."""
        if self.response is None or "ts" not in self.response:
            raise LookupError(f"{self.method} was not answered with a ts")
        return str(self.response["ts"])


@dataclass
class Failure:
    error: str | None
    status: int
    retry_after: float | None
    times: int
    delay: float


class CallLog:
    """Every call in arrival order, waited on by tests, and the failures queued per method."""

    def __init__(self) -> None:
        self._calls: list[Call] = []
        self._failures: dict[str, deque[Failure]] = {}
        self._changed = asyncio.Event()

    # -- programming failures -------------------------------------------------------

    def fail(
        self,
        method: str,
        *,
        error: str | None = None,
        status: int = 200,
        retry_after: float | None = None,
        times: int = 1,
        delay: float = 0.0,
    ) -> None:
        """Make the next `times` calls of `method` misbehave, in the order queued.

        status 429 answers `ratelimited` with a Retry-After header; 5xx answer a
        server error; status 0 drops the connection without an answer; `error` alone
        answers 200 with `ok: false`; `delay` stalls before answering (normally, if
        nothing else is asked for).
        """
        failure = Failure(error, status, retry_after, times, delay)
        self._failures.setdefault(method, deque()).append(failure)

    def take_failure(self, method: str) -> Failure | None:
        queue = self._failures.get(method)
        if not queue:
            return None
        failure = queue[0]
        failure.times -= 1
        if failure.times <= 0:
            queue.popleft()
        return failure

    # -- inspecting calls -----------------------------------------------------------

    def record(self, call: Call) -> None:
        self._calls.append(call)
        self.notify()

    def calls(self, method: str | None = None) -> list[Call]:
        return [c for c in self._calls if method is None or c.method == method]

    def last(self, method: str) -> Call:
        found = self.calls(method)
        if not found:
            raise AssertionError(f"no {method} call; saw {self._summary()}")
        return found[-1]

    def clear(self) -> None:
        self._calls.clear()

    async def wait_for(
        self, method: str, count: int = 1, timeout: float = 5, *, answered: bool = True
    ) -> list[Call]:
        """Wait until `count` calls of `method` arrived (and, by default, were answered)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            found = [c for c in self.calls(method) if c.answered or not answered]
            if len(found) >= count:
                return found
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(
                    f"waited {timeout}s for {count} {method} call(s); saw {self._summary()}"
                )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)

    def _summary(self) -> str:
        return ", ".join(c.method for c in self._calls) or "no calls"

    def notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()
