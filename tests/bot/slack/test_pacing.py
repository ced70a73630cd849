"""One message per second per channel: a channel's sends are spaced, others are not held up."""

from __future__ import annotations

import asyncio

from bot.slack.failures import SlackClient
from bot.slack.pacing import ChannelPacer, PausingRateLimitRetry, WorkspacePause
from console.localslack import LocalSlack


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


class HeldTime(FakeTime):
    """Time that stands still inside a sleep until the test lets it go."""

    def __init__(self) -> None:
        super().__init__()
        self.go = asyncio.Event()
        self.sleeping = asyncio.Event()

    async def sleep(self, seconds: float) -> None:
        self.waits.append(round(seconds, 6))
        self.sleeping.set()
        await self.go.wait()
        self.now += seconds


async def test_a_429_holds_every_call_of_the_workspace_for_its_retry_after(
    local_slack: LocalSlack,
) -> None:
    clock = HeldTime()
    pause = WorkspacePause(monotonic=clock.monotonic, sleep=clock.sleep)
    slack = SlackClient(
        token="xoxb-test-token",
        base_url=local_slack.api_url,
        retry_handlers=[PausingRateLimitRetry(pause, max_retry_count=3)],
    )
    other = SlackClient.like(slack, token="xoxb-test-token")  # a listener's client, say
    local_slack.fail("chat.postMessage", status=429, retry_after=30)

    first = asyncio.ensure_future(slack.chat_postMessage(channel="C1", text="one"))
    await asyncio.wait_for(clock.sleeping.wait(), 10)
    second = asyncio.ensure_future(other.chat_postMessage(channel="C2", text="two"))
    for _ in range(20):
        await asyncio.sleep(0.01)
    assert [c.args["channel"] for c in local_slack.calls("chat.postMessage")] == ["C1"], (
        "another channel's send waited for Slack's Retry-After"
    )
    clock.go.set()
    await asyncio.wait_for(asyncio.gather(first, second), 10)
    assert sorted(c.args["channel"] for c in local_slack.calls("chat.postMessage")) == [
        "C1",
        "C1",
        "C2",
    ]
    assert 30 <= clock.waits[0] < 31
