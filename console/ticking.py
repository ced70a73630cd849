"""`tick`: move the console's clock forward and run everything that comes due then."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import TYPE_CHECKING

from bot.app import run_due
from console import when

if TYPE_CHECKING:
    from console.session import Console

FURTHEST = timedelta(days=3653)


async def tick(console: Console, text: str) -> None:
    say, zone, name = console.terminal.say, console.zone(), console.person.name
    clock = console.services.clock
    now = clock.now()
    if not text:
        say(f"It's {when.shown(now, zone)} for @{name}. Move the clock with: tick {when.TICK_HINT}")
        return
    try:
        target = when.parse_moment(text, now=now)
    except when.WhenError as exc:
        say(str(exc))
        return
    if target - now > FURTHEST:
        say("That's too far ahead: the console's clock moves at most ten years at a time.")
        return
    if target < now - timedelta(minutes=1):
        say(f"The clock only moves forward: it's already {when.shown(now, zone)}.")
        return
    clock.set(target)
    local, utc = when.shown(target, zone), when.shown(target, UTC)
    say(f"⏰ It's now {local} for @{name}" + (f" ({utc})." if local != utc else "."))
    report, shown = await console.exchange(lambda: run_due(console.services, at=clock.now()))
    if getattr(report, "failed", 0) or getattr(report, "retrying", 0):
        say(f"({report})")
    if not shown:
        say("Nothing came due.")
