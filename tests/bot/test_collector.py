"""The garbage collector waits while a burst's acks are answered (bot/collector.py)."""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import Iterator
from typing import Any

import pytest

from bot.collector import BurstCollector
from bot.inflight import ACKS_QUIET, InFlight


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    (gc.enable if enabled else gc.disable)()


@contextlib.contextmanager
def collections() -> Iterator[list[int]]:
    """The generations of the collections that ran inside the block."""
    seen: list[int] = []

    def note(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            seen.append(info["generation"])

    gc.callbacks.append(note)
    try:
        yield seen
    finally:
        gc.callbacks.remove(note)


def make_cycles(count: int) -> None:
    for _ in range(count):
        a: list[Any] = []
        a.append(a)


async def test_no_collection_runs_while_acks_are_awaited_and_it_runs_again_after_a_quiet() -> None:
    gc.enable()
    inflight = InFlight()
    with collections() as during:
        with inflight.acking(), inflight.acking():
            make_cycles(50_000)  # many times what starts a collection of the youngest
    assert during == []
    await asyncio.sleep(ACKS_QUIET * 4)
    assert gc.isenabled()
    with collections() as after:
        make_cycles(50_000)
    assert after, "the collector should run again once the acks have gone quiet"


async def test_the_collector_is_not_back_while_another_ack_is_awaited() -> None:
    gc.enable()
    inflight = InFlight()
    with inflight.acking():
        pass
    with inflight.acking():
        await asyncio.sleep(ACKS_QUIET * 4)  # the first one's quiet has passed meanwhile
        assert not gc.isenabled()
    await asyncio.sleep(ACKS_QUIET * 4)
    assert gc.isenabled()


def test_steady_traffic_holds_it_off_only_so_long() -> None:
    gc.enable()
    collector = BurstCollector(lambda: 1, quiet=0.02, longest=1.0)
    collector.ack_awaited(10.0)
    assert not gc.isenabled()
    collector.ack_awaited(10.5)
    assert not gc.isenabled()
    collector.ack_awaited(11.2)  # acks never went quiet: it runs from here on
    assert gc.isenabled()
    collector.ack_awaited(11.3)
    assert gc.isenabled()


async def test_a_collector_someone_else_turned_off_stays_off() -> None:
    gc.disable()
    inflight = InFlight()
    with inflight.acking():
        pass
    await asyncio.sleep(ACKS_QUIET * 4)
    assert not gc.isenabled()


async def test_the_quiet_is_counted_from_the_last_answered_ack() -> None:
    gc.enable()
    loop = asyncio.get_running_loop()
    collector = BurstCollector(lambda: 0, quiet=0.5)
    collector.ack_awaited(loop.time())
    collector.acks_answered(loop)
    await asyncio.sleep(0.3)
    collector.ack_awaited(loop.time())
    collector.acks_answered(loop)
    await asyncio.sleep(0.3)  # half a second after the first answer, not after the last
    assert not gc.isenabled()
    await asyncio.sleep(0.4)
    assert gc.isenabled()
