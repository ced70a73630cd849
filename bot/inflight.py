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

The work after a listener's `ack()` waits its turn (`AckFirst`): for one of
`POST_ACK_WORKERS` places, first come first served, then until no request is waiting for
its own ack (a burst's acks go first; at most `ACKS_FIRST_LONGEST`, so steady traffic
can't starve it). Waiting, it still counts as running: a stop waits for it, or keeps its
request.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.response import BoltResponse

from bot.collector import BurstCollector


@dataclass(eq=False)
class Work:
    """One request's work: its body as Bolt parsed it, and how much of it is running."""

    body: dict[str, Any]
    # The kept request this is a replay of (bot/serving/resume.py), if it is one.
    resumed_from: int | None = None
    running: int = 0
    finished: asyncio.Event = field(default_factory=asyncio.Event)


# How many listeners may be past their ack at once; the rest queue, first come first served.
# Their work mostly waits on the network (a model call takes seconds), so enough of them
# run at once that a burst's cards are not held back behind a few.
POST_ACK_WORKERS = 100
# The longest work after an ack waits for other requests' acks to go first, and the quiet
# after the last ack that says a burst is over.
ACKS_FIRST_LONGEST = 2.0
ACKS_QUIET = 0.02

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
        self._acking = 0  # dispatches whose ack has not been answered yet
        self._last_ack = 0.0  # when the last of them was answered (the loop's clock)
        self._acked = asyncio.Event()
        self._acked.set()
        self._in_turn = asyncio.Lock()
        self.workers = asyncio.Semaphore(POST_ACK_WORKERS)
        self.collector = BurstCollector(lambda: self._acking, quiet=ACKS_QUIET)

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

    @contextlib.contextmanager
    def acking(self) -> Iterator[None]:
        """Count the enclosed dispatch, until its ack is answered, as one that acks go first for."""
        loop = asyncio.get_running_loop()
        self._acking += 1
        self._acked.clear()
        self.collector.ack_awaited(loop.time())
        try:
            yield
        finally:
            self._acking -= 1
            self._last_ack = loop.time()
            if self._acking == 0:
                self._acked.set()
                self.collector.acks_answered(loop)

    async def acks_first(self, longest: float = ACKS_FIRST_LONGEST) -> None:
        """Wait until no dispatch has waited for its ack for `ACKS_QUIET` seconds, or until
        `longest` seconds have passed."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + longest
        async with self._in_turn:  # one at a time, so they go on in the order they came
            while loop.time() < deadline:
                if self._acking:
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout_at(deadline):
                            await self._acked.wait()
                    continue
                # The connections of a burst are accepted a few at a time: none waiting for
                # its ack this instant is not the burst's end, a short quiet after one is.
                quiet = loop.time() - self._last_ack
                if quiet >= ACKS_QUIET:
                    return
                await asyncio.sleep(ACKS_QUIET - quiet)

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


class AckFirst(AsyncAck):
    """A listener's `ack()` that answers Slack at once, then holds the listener until its
    work's turn: in one of the places, after the acks other requests are waiting for."""

    def __init__(self, ack: AsyncAck, inflight: InFlight) -> None:
        # Not AsyncAck.__init__: the response is the wrapped ack's, which Bolt watches.
        self._ack = ack
        self._inflight = inflight
        self._queued = False
        self.holding = False

    @property
    def response(self) -> BoltResponse | None:
        return self._ack.response

    @response.setter
    def response(self, value: BoltResponse | None) -> None:
        self._ack.response = value

    async def __call__(self, *args: Any, **kwargs: Any) -> BoltResponse:
        answer = await self._ack(*args, **kwargs)
        if not self._queued:
            self._queued = True
            # A place first, in the order of the acks (the places are first come, first
            # served), then, holding it, the acks still waiting; it is held to the end.
            await self._inflight.workers.acquire()
            self.holding = True
            await self._inflight.acks_first()
        return answer

    def release(self) -> None:
        if self.holding:
            self.holding = False
            self._inflight.workers.release()


@contextlib.contextmanager
def after_ack_in_turn(arguments: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A listener's arguments, its `ack` an `AckFirst` when it runs for a request."""
    current = _CURRENT.get()
    ack = arguments.get("ack")
    if current is None or not isinstance(ack, AsyncAck):
        yield arguments
        return
    in_turn = AckFirst(ack, current[0])
    try:
        yield {**arguments, "ack": in_turn}
    finally:
        in_turn.release()
