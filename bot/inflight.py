"""Listener work that Slack has been acknowledged for but that has not finished yet.

Bolt answers Slack as soon as a listener calls `ack()` and lets the listener go on in a
task of its own, out of the caller's sight. Every listener is registered through
`bot.errors.guarded`, which counts its run here, so that:

- `doorway serve` can stop taking requests on SIGTERM and wait for what it already
  acknowledged, within a grace period, instead of dropping it;
- tests can wait until the bot has finished the work a request started (`idle()`), and
  assert what it did rather than what it had done by the time the ack came back.

The app's middleware makes its `InFlight` the current one for the request; Bolt starts
the listener's task from there, and a task inherits its creator's context variables.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

_CURRENT: ContextVar[InFlight | None] = ContextVar("doorway_inflight", default=None)


class InFlight:
    """Counts running listeners; `idle()` waits until there are none."""

    def __init__(self) -> None:
        self._running = 0
        self._idle = asyncio.Event()
        self._idle.set()

    @property
    def running(self) -> int:
        return self._running

    def make_current(self) -> None:
        """Listeners started from the calling context (Bolt's dispatch) count here."""
        _CURRENT.set(self)

    @contextlib.contextmanager
    def track(self) -> Iterator[None]:
        self._running += 1
        self._idle.clear()
        try:
            yield
        finally:
            self._running -= 1
            if self._running == 0:
                self._idle.set()

    async def idle(self) -> None:
        """Wait until no listener is running (callers bound it with `asyncio.timeout`)."""
        # A listener Bolt has just scheduled starts on the loop's next turn: let it.
        await asyncio.sleep(0)
        while self._running:
            await self._idle.wait()
            await asyncio.sleep(0)  # a listener may start another on its way out


@contextlib.contextmanager
def tracked() -> Iterator[None]:
    """Count the enclosed work in the current request's InFlight, if there is one."""
    current = _CURRENT.get()
    if current is None:
        yield
        return
    with current.track():
        yield
