"""Running the durable schedule: rooms register job kinds; `run_due` runs what is due.

`doorway tick` and the in-process scheduler both call `run_due`. Each job is claimed with
a lease before its handler runs, so concurrent ticks (two `serve`s, `serve` plus a manual
`tick`) run each job once; a job whose process died is run again after the lease.
"""

from __future__ import annotations

import asyncio
import logging
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError

# The registry lives with the services that carry it: each names the other.
from bot.services import JobRegistry, Services
from bot.slack.failures import DatabaseFailure, SlackFailure
from storage.models import Job, JobState
from storage.queries import jobs as q

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
LEASE = timedelta(minutes=5)
BATCH = 20
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=1)
MIN_DELAY = timedelta(seconds=1)

_running_at: ContextVar[datetime | None] = ContextVar("doorway_job_running_at", default=None)


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


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure: 1, 2, 4 … minutes, at most an hour."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_CAP)


async def run_due(
    services: Services, *, at: datetime, lease: timedelta = LEASE, batch: int = BATCH
) -> TickReport:
    """Run, once, every job due at `at`; leases are judged by `services.clock`."""
    if services.jobs is None:
        raise RuntimeError("services.jobs is not set: build the app before ticking")
    registry = services.jobs
    report = TickReport(at=at)
    owner = services.instance_id[:64]
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
                    limit=batch,
                )
            if not claimed:
                return report
            outcomes = await asyncio.gather(
                *(_run_one(services, registry, job, owner=owner, at=at) for job in claimed),
                return_exceptions=True,
            )
            for outcome in outcomes:
                if isinstance(outcome, BaseException):
                    raise outcome
                setattr(report, outcome, getattr(report, outcome) + 1)
    finally:
        _running_at.reset(token)


async def _run_one(
    services: Services, registry: JobRegistry, job: Job, *, owner: str, at: datetime
) -> str:
    """Run one claimed job and settle it; returns the TickReport field it counts in."""
    assert job.id is not None
    handler = registry.handler_for(job.kind)
    try:
        if handler is None:
            raise LookupError(f"no handler is registered for job kind {job.kind!r}")
        await handler(services, job)
    except Skip as skip:
        log.info("job %s (%s) skipped: %s", job.key, job.kind, skip.reason)
        await _settle(services, job, owner, JobState.SKIPPED, error=skip.reason)
        return "skipped"
    except RetryLater as later:
        await _again(
            services,
            job,
            owner,
            at=at,
            delay=later.delay,
            error=None,
            count=False,
            until=later.until,
        )
        return "retrying"
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
            await _settle(services, job, owner, JobState.FAILED, error=error, count=True)
            return "failed"
        log.warning(
            "job %s (%s) attempt %d failed, retrying: %s", job.key, job.kind, attempts, error
        )
        await _again(services, job, owner, at=at, delay=backoff(attempts), error=error, count=True)
        return "retrying"
    await _settle(services, job, owner, JobState.DONE)
    return "done"


async def _settle(
    services: Services,
    job: Job,
    owner: str,
    state: JobState,
    *,
    error: str | None = None,
    count: bool = False,
) -> None:
    assert job.id is not None
    async with services.db.session() as session:
        held = await q.finish(
            session=session,
            job_id=job.id,
            owner=owner,
            state=state,
            at=services.clock.now(),
            error=error,
            count_attempt=count,
        )
    if not held:
        log.warning(
            "job %s finished after its lease was lost; another process may rerun it", job.key
        )


async def _again(
    services: Services,
    job: Job,
    owner: str,
    *,
    at: datetime,
    delay: timedelta,
    error: str | None,
    count: bool,
    until: datetime | None = None,
) -> None:
    assert job.id is not None
    if until is not None and until > at:
        due = until
    else:
        # Never due again within this tick, even when ticking at an instant ahead of the clock.
        due = max(at, services.clock.now()) + max(delay, MIN_DELAY)
    async with services.db.session() as session:
        held = await q.retry_later(
            session=session,
            job_id=job.id,
            owner=owner,
            due_at=due,
            error=error,
            count_attempt=count,
        )
    if not held:
        log.warning("job %s lost its lease before it could be rescheduled", job.key)


def describe(exc: BaseException) -> str:
    """A one-line account of an error, as kept in `Job.last_error`."""
    if isinstance(exc, SlackApiError):
        status = getattr(exc.response, "status_code", "?")
        return f"Slack API {status}: {exc.response.get('error', 'error')}"
    if isinstance(exc, SlackFailure | DatabaseFailure):
        return str(exc)[: q.ERROR_MAX]
    return f"{type(exc).__name__}: {exc}"[: q.ERROR_MAX]
