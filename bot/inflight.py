"""Work Slack has been acknowledged for but that has not finished yet.

Bolt answers Slack as soon as a listener calls `ack()` and lets the listener go on in a
task of its own, out of the caller's sight. Every request enters the app through
`DoorwayApp.async_dispatch` (bot/serving/dispatch.py), which opens a `Work` for it here, and every
listener is registered through `bot.errors.guarded`, which counts its run in that `Work`,
so that:

- `doorway serve` can stop taking requests on SIGTERM and wait for what it already
  acknowledged, within a grace period, instead of dropping it; what is still running
  then is known request by request (`unfinished()`) and kept to be replayed;
- tests can wait until the bot has finished the work a request started (`idle()`), and
  assert what it did rather than what it had done by the time the ack came back.

Bolt starts a listener's task from inside the dispatch, and a task inherits its
creator's context variables: that is how a listener finds the `Work` it belongs to.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any


@dataclass(eq=False)
class Work:
    """One request's work: its body as Bolt parsed it, and how much of it is running."""

    body: dict[str, Any]
    # The kept request this is a replay of (bot/serving/resume.py), if it is one.
    resumed_from: int | None = None
    running: int = 0
    finished: asyncio.Event = field(default_factory=asyncio.Event)


# How long cancelled work gets to roll back its database sessions before the process closes.
UNWIND_SECONDS = 5.0

_CURRENT: ContextVar[tuple[InFlight, Work] | None] = ContextVar("doorway_inflight", default=None)


class InFlight:
    """Counts running dispatches and listeners; `idle()` waits until there are none."""

    def __init__(self) -> None:
        self._running = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._work: set[Work] = set()
        self._tasks: Counter[asyncio.Task[Any]] = Counter()
        self.accepting = True

    @property
    def running(self) -> int:
        return self._running

    @contextlib.contextmanager
    def request(
        self,
        body: dict[str, Any],
        *,
        resumed_from: int | None = None,
    ) -> Iterator[Work]:
        """Open the work of one request; listeners started inside count in it."""
        work = Work(body=body, resumed_from=resumed_from)
        token = _CURRENT.set((self, work))
        try:
            with self.track(work):
                yield work
        finally:
            _CURRENT.reset(token)

    @contextlib.contextmanager
    def track(self, work: Work) -> Iterator[None]:
        task = asyncio.current_task()
        self._running += 1
        self._idle.clear()
        work.running += 1
        self._work.add(work)
        if task is not None:
            self._tasks[task] += 1
        try:
            yield
        finally:
            if task is not None:
                self._tasks[task] -= 1
                if self._tasks[task] <= 0:
                    del self._tasks[task]
            work.running -= 1
            if work.running == 0:
                self._work.discard(work)
                work.finished.set()
            self._running -= 1
            if self._running == 0:
                self._idle.set()

    def unfinished(self) -> list[Work]:
        """The requests whose work is still running."""
        return [work for work in self._work if work.running]

    async def idle(self) -> None:
        """Wait until nothing is running (callers bound it with `asyncio.timeout`)."""
        # A listener Bolt has just scheduled starts on the loop's next turn: let it.
        await asyncio.sleep(0)
        while self._running:
            await self._idle.wait()
            await asyncio.sleep(0)  # a listener may start another on its way out

    async def idle_within(self, seconds: float) -> bool:
        """Wait until nothing is running; False if `seconds` passed first."""
        try:
            async with asyncio.timeout(seconds):
                await self.idle()
        except TimeoutError:
            return False
        return True

    async def cancel(self) -> None:
        """Cancel what is still running and let it unwind (roll back its sessions)."""
        tasks = [task for task in self._tasks if task is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=UNWIND_SECONDS)


@contextlib.contextmanager
def tracked() -> Iterator[None]:
    """Count the enclosed work in the current request's Work, if there is one."""
    current = _CURRENT.get()
    if current is None:
        yield
        return
    inflight, work = current
    with inflight.track(work):
        yield
