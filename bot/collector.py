"""The cyclic garbage collector waits while a burst's acks are being answered.

While a burst of requests is being acknowledged, every request Doorway has acked keeps its
work waiting for its turn (bot/inflight.py `AckFirst`), and all it holds survives the
collector's young generations: each collection of them then walks hundreds of waiting
requests, a few milliseconds at a time, a dozen times a burst, and the acks still to be
answered wait behind it. So the collector is held off from the first ack a burst is
waiting for until the acks have been quiet for a moment, and then runs as usual, after the
acks, like the rest of the work. Reference counting frees nearly everything meanwhile; only
cycles wait.

Steady traffic, whose acks never go quiet, would keep it off: it is held at most
`HOLD_LONGEST` seconds, and then not again until the acks have gone quiet once.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable

HOLD_LONGEST = 1.0


class BurstCollector:
    """Holds the collector off while `waiting()` acks are outstanding (see the module)."""

    def __init__(self, waiting: Callable[[], int], *, quiet: float, longest: float = HOLD_LONGEST):
        self._waiting = waiting
        self._quiet = quiet
        self._longest = longest
        self._held_since: float | None = None
        self._may_hold = True
        self._checking: asyncio.TimerHandle | None = None
        self._answered = 0.0

    def ack_awaited(self, now: float) -> None:
        """A request started waiting for its ack."""
        if self._held_since is None:
            if self._may_hold and gc.isenabled():
                gc.disable()
                self._held_since = now
        elif now - self._held_since > self._longest:
            self._release()
            self._may_hold = False

    def acks_answered(self, loop: asyncio.AbstractEventLoop) -> None:
        """No request is waiting for its ack; after a quiet, the collector runs again."""
        self._answered = loop.time()
        if self._checking is None:
            self._checking = loop.call_later(self._quiet, self._after_quiet, loop)

    def _after_quiet(self, loop: asyncio.AbstractEventLoop) -> None:
        self._checking = None
        if self._waiting():
            return  # a new ack is awaited: its answer will ask again
        quiet = loop.time() - self._answered
        if quiet < self._quiet:
            self._checking = loop.call_later(self._quiet - quiet, self._after_quiet, loop)
            return
        self._release()
        self._may_hold = True

    def _release(self) -> None:
        if self._held_since is not None:
            self._held_since = None
            gc.enable()
