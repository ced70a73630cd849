"""Time as Doorway sees it: real in production, movable in the console and in tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class Clock:
    """`now()` in UTC, plus an offset that `tick +3d` in the console moves forward."""

    def __init__(self, *, at: datetime | None = None) -> None:
        self._offset = timedelta(0)
        if at is not None:
            self.set(at)

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset

    def set(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("the clock needs an aware datetime")
        self._offset = at - datetime.now(UTC)

    def advance(self, delta: timedelta) -> datetime:
        self._offset += delta
        return self.now()
