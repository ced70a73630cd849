"""`tick`: move the console's clock forward, stopping at every moment something comes due.

Each job runs at its own moment, as the scheduler in `doorway serve` would run it: a
digest due on a Friday goes out that Friday, not "more than a day late" at the end of
a jump (and skipped for it).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from bot.app import TickReport, run_due
from console import when
from storage.models import JobState
from storage.queries.jobs import list_jobs

if TYPE_CHECKING:
    from console.state import Console

FURTHEST = timedelta(days=3653)
MOST_STEPS = 500  # a job that keeps failing retries within the jump; it never runs forever


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
    shown = 0
    trouble = TickReport(at=target)
    for _ in range(MOST_STEPS):
        due = await next_due(console, until=target)
        if due is None:
            break
        # A job overdue already (a retry, or one left from before) runs at once.
        now = max(due, clock.now())
        clock.set(now)
        say(f"⏰ {when.shown(now, zone)}: something is due.")
        shown += await _run(console, trouble)
    clock.set(max(target, clock.now()))
    console.harness.save_clock()
    local, utc = when.shown(target, zone), when.shown(target, UTC)
    say(f"⏰ It's now {local} for @{name}" + (f" ({utc})." if local != utc else "."))
    shown += await _run(console, trouble)
    if trouble.failed or trouble.retrying:
        say(f"({trouble.failed} failed, {trouble.retrying} to retry: see `doorway tick`.)")
    if not shown:
        say("Nothing came due.")


async def _run(console: Console, trouble: TickReport) -> int:
    """Run what is due now and show what it sent; failures are added to `trouble`."""
    services = console.services
    report, shown = await console.exchange(lambda: run_due(services, at=services.clock.now()))
    trouble.failed += report.failed
    trouble.retrying += report.retrying
    return shown


async def next_due(console: Console, *, until: datetime) -> datetime | None:
    """When the console's next waiting job is due, if that is by `until`."""
    async with console.services.db.session() as session:
        jobs = await list_jobs(session=session, team_id=console.harness.slack.team_id)
    due = [j.due_at for j in jobs if j.state == JobState.PENDING and j.due_at <= until]
    return min(due, default=None)
