"""One message per second per channel: a channel's sends are spaced, others are not held up."""

from __future__ import annotations

import asyncio

from bot.slack.pacing import ChannelPacer


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.waits: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.waits.append(round(seconds, 6))
        self.now += seconds


async def test_sends_to_one_channel_are_a_second_apart() -> None:
    clock = FakeTime()
    pacer = ChannelPacer(1.0, monotonic=clock.monotonic, sleep=clock.sleep)
    sent: list[tuple[str, float]] = []

    async def send(channel: str) -> None:
        async with pacer.slot(channel):
            sent.append((channel, clock.now))

    await asyncio.gather(send("C1"), send("C1"), send("C2"), send("C1"))
    assert [at for channel, at in sent if channel == "C1"] == [100.0, 101.0, 102.0]
    assert [at for channel, at in sent if channel == "C2"][0] <= 101.0
    clock.now += 5
    await send("C1")
    assert clock.waits == [1.0, 1.0], "a channel quiet for a while is not made to wait"


async def test_a_failed_send_still_counts_towards_the_pace() -> None:
    clock = FakeTime()
    pacer = ChannelPacer(1.0, monotonic=clock.monotonic, sleep=clock.sleep)
    try:
        async with pacer.slot("C1"):
            raise RuntimeError("slack said no")
    except RuntimeError:
        pass
    async with pacer.slot("C1"):
        pass
    assert clock.waits == [1.0]
