"""Running the durable schedule: rooms register job kinds; `run_due` runs what is due.

`doorway tick` and the in-process scheduler both call `run_due`. Jobs are claimed in
batches, with a lease, in one statement, so concurrent ticks (two `serve`s, `serve` plus a
manual `tick`) run each job once; a job whose process died is run again after the lease.

A batch's handlers run `DOORWAY_SEND_CONCURRENCY` at a time (each channel still gets one
message a second: bot/slack/pacing.py). Their outcomes are written as they come in, a few
at a time, one UPDATE per kind of outcome, so a crash re-sends at most what finished in the
last instant (FLUSH_EVERY) before it. A batch is sized to finish well within its lease: it
grows while batches finish quickly and shrinks when Slack is slow.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slack_sdk.errors import SlackApiError

# The registry lives with the services that carry it: each names the other.
from bot.services import JobRegistry, NotInstalled, Services
from bot.slack.failures import DatabaseFailure, SlackFailure
from storage.models import Job, JobState
from storage.queries import jobs as q
from storage.queries.jobs import Outcome

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
LEASE = timedelta(minutes=5)
BATCH = 500  # the most one claim takes
FIRST_BATCH = 4  # times the concurrency: the first claim, before anything is known of speed
BATCH_SECONDS = 2.0  # what a batch should take, at the speed of the last one
FLUSH_EVERY = 0.05  # seconds between writes of finished jobs' outcomes
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=1)
MIN_DELAY = timedelta(seconds=1)

_running_at: ContextVar[datetime | None] = ContextVar("doorway_job_running_at", default=None)
_prefetched: ContextVar[Mapping[int, Any] | None] = ContextVar(
    "doorway_job_prefetched", default=None
)


class Skip(Exception):
    """The job has nothing to do (any more); it is settled as skipped, with the reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RetryLater(Exception):
    """Not now: run the job again after `delay` (or at `until`), without counting an attempt."""

    def __init__(self, delay: timedelta | float = 0.0, *, until: datetime | None = None) -> None:
        self.delay = delay if isinstance(delay, timedelta) else timedelta(seconds=delay)
        self.until = until
        super().__init__(f"retry at {until}" if until else f"retry in {self.delay}")


@dataclass
class TickReport:
    at: datetime
    done: int = 0
    skipped: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def ran(self) -> int:
        return self.done + self.skipped + self.retrying + self.failed

    def __str__(self) -> str:
        return (
            f"tick at {self.at.isoformat()}: {self.done} done, {self.skipped} skipped, "
            f"{self.retrying} to retry, {self.failed} failed"
        )


def running_at() -> datetime | None:
    """The instant the current job is being run for (inside a handler), else None."""
    return _running_at.get()


def prefetched(job: Job) -> Any | None:
    """What the kind's prefetch (JobRegistry.on(kind, prefetch=…)) read for `job` with the
    rest of its batch; None when it read nothing for it (the handler then reads for itself)."""
    found = _prefetched.get()
    return found.get(job.id) if found is not None and job.id is not None else None


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure: 1, 2, 4 … minutes, at most an hour."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_CAP)


async def run_due(
    services: Services, *, at: datetime, lease: timedelta = LEASE, batch: int = BATCH
) -> TickReport:
    """Run, once, every job due at `at`; leases are judged by `services.clock`.

    `batch` caps how many jobs one claim takes.
    """
    if services.jobs is None:
        raise RuntimeError("services.jobs is not set: build the app before ticking")
    registry = services.jobs
    report = TickReport(at=at)
    owner = services.instance_id[:64]
    concurrency = services.settings.doorway_send_concurrency
    limit = min(batch, concurrency * FIRST_BATCH)
    token = _running_at.set(at)
    try:
        while True:
            now = services.clock.now()
            async with services.db.session() as session:
                claimed = await q.claim_due(
                    session=session,
                    at=at,
                    now=now,
                    owner=owner,
                    lease_until=now + lease,
                    limit=limit,
                )
            if not claimed:
                return report
            started = time.monotonic()
            await _run_batch(
                services, registry, claimed, owner=owner, at=at, report=report, workers=concurrency
            )
            took = time.monotonic() - started
            # Next, as many as would take BATCH_SECONDS at this batch's pace (within the cap).
            pace = len(claimed) / max(took, 1e-3)
            limit = max(concurrency, min(batch, int(pace * BATCH_SECONDS)))
    finally:
        _running_at.reset(token)


async def _run_batch(
    services: Services,
    registry: JobRegistry,
    claimed: list[Job],
    *,
    owner: str,
    at: datetime,
    report: TickReport,
    workers: int,
) -> None:
    """Run one claimed batch's handlers, `workers` at a time, writing outcomes as they come."""
    token = _prefetched.set(await _prefetch(services, registry, claimed))
    settler = _Settler(services, owner)
    queue = iter(claimed)  # shared: each worker takes the next job when it is free

    async def worker() -> None:
        for job in queue:
            outcome, counted = await _run_one(services, registry, job, at=at)
            setattr(report, counted, getattr(report, counted) + 1)
            settler.add(job, outcome)

    writer = asyncio.ensure_future(settler.keep_writing())
    try:
        results = await asyncio.gather(
            *(worker() for _ in range(min(workers, len(claimed)))), return_exceptions=True
        )
    finally:
        _prefetched.reset(token)
        await settler.close(writer)
    for result in results:
        if isinstance(result, BaseException):
            raise result


async def _prefetch(
    services: Services, registry: JobRegistry, claimed: list[Job]
) -> Mapping[int, Any]:
    """Each kind's batch reads, for the kinds that have one; a failed read is only slower."""
    found: dict[int, Any] = {}
    for kind in dict.fromkeys(job.kind for job in claimed):
        prefetch = registry.prefetch_for(kind)
        if prefetch is None:
            continue
        try:
            found.update(await prefetch(services, [job for job in claimed if job.kind == kind]))
        except Exception as exc:  # noqa: BLE001 - each handler then reads for itself
            log.warning(
                "reading ahead for %s jobs failed (%s); each reads alone", kind, describe(exc)
            )
    return found


class _Settler:
    """Finished jobs' outcomes, written every FLUSH_EVERY seconds in one transaction."""

    def __init__(self, services: Services, owner: str) -> None:
        self.services, self.owner = services, owner
        self.waiting: list[tuple[Job, Outcome]] = []
        self.some = asyncio.Event()
        self.closing = asyncio.Event()

    def add(self, job: Job, outcome: Outcome) -> None:
        self.waiting.append((job, outcome))
        self.some.set()

    async def keep_writing(self) -> None:
        """Write what has finished every FLUSH_EVERY seconds; after `close`, the rest at once."""
        while not (self.closing.is_set() and not self.waiting):
            await self.some.wait()
            # A few more may finish meanwhile; the batch's end doesn't wait for the interval.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.closing.wait(), FLUSH_EVERY)
            await self.write()

    async def close(self, writer: asyncio.Future[None]) -> None:
        """The batch is over: let the writer write the rest (never cut off mid-write)."""
        self.closing.set()
        self.some.set()
        await writer

    async def write(self) -> None:
        taken, self.waiting = self.waiting, []
        self.some.clear()
        if not taken:
            return
        async with self.services.db.session() as session:
            held = await q.settle(
                session=session,
                owner=self.owner,
                outcomes=[outcome for _, outcome in taken],
                at=self.services.clock.now(),
            )
        for job, outcome in taken:
            if outcome.job_id not in held:
                log.warning(
                    "job %s finished after its lease was lost; another process may rerun it",
                    job.key,
                )


async def _run_one(
    services: Services, registry: JobRegistry, job: Job, *, at: datetime
) -> tuple[Outcome, str]:
    """Run one claimed job: its outcome, and the TickReport field it counts in."""
    assert job.id is not None
    handler = registry.handler_for(job.kind)
    try:
        if handler is None:
            raise LookupError(f"no handler is registered for job kind {job.kind!r}")
        await handler(services, job)
    except (Skip, NotInstalled) as skip:  # NotInstalled: the workspace has no bot any more
        log.info("job %s (%s) skipped: %s", job.key, job.kind, skip)
        return Outcome(job.id, JobState.SKIPPED, error=str(skip)), "skipped"
    except RetryLater as later:
        due = _again_at(services, at=at, delay=later.delay, until=later.until)
        return Outcome(job.id, JobState.PENDING, due_at=due), "retrying"
    except Exception as exc:
        error = describe(exc)
        attempts = job.attempts + 1
        if attempts >= MAX_ATTEMPTS:
            log.error(
                "job %s (%s) failed for good after %d attempts: %s",
                job.key,
                job.kind,
                attempts,
                error,
                exc_info=exc,
            )
            return Outcome(job.id, JobState.FAILED, error=error, count=True), "failed"
        log.warning(
            "job %s (%s) attempt %d failed, retrying: %s", job.key, job.kind, attempts, error
        )
        due = _again_at(services, at=at, delay=backoff(attempts))
        return Outcome(job.id, JobState.PENDING, error=error, count=True, due_at=due), "retrying"
    return Outcome(job.id, JobState.DONE), "done"


def _again_at(
    services: Services, *, at: datetime, delay: timedelta, until: datetime | None = None
) -> datetime:
    if until is not None and until > at:
        return until
    # Never due again within this tick, even when ticking at an instant ahead of the clock.
    return max(at, services.clock.now()) + max(delay, MIN_DELAY)


def describe(exc: BaseException) -> str:
    """A one-line account of an error, as kept in `Job.last_error`."""
    if isinstance(exc, SlackApiError):
        status = getattr(exc.response, "status_code", "?")
        return f"Slack API {status}: {exc.response.get('error', 'error')}"
    if isinstance(exc, SlackFailure | DatabaseFailure):
        return str(exc)[: q.ERROR_MAX]
    return f"{type(exc).__name__}: {exc}"[: q.ERROR_MAX]
