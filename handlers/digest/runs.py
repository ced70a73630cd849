"""The weekly digest as a job: one per channel per week, chained week to week."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.decisions.digest_sections import DigestSection, DigestWindow
from bot.listeners.people import zone
from bot.schedule.jobs import Skip, prefetched, running_at
from bot.services import Services
from bot.slack.pacing import post_message
from handlers.digest import digest, messages
from handlers.digest.schedule import next_slot, week_of
from storage.models import DigestSubscription, Job
from storage.queries import digests as q
from storage.queries.jobs import cancel_jobs, schedule_job

log = logging.getLogger(__name__)

DIGEST_KIND = "digest"
WEEK = timedelta(days=7)
LATE_LIMIT = timedelta(days=1)
# Slack's answers for a channel the bot can no longer post in.
REMOVED = frozenset({"not_in_channel", "channel_not_found", "is_archived"})


def job_prefix(channel_id: str) -> str:
    return f"digest:{channel_id}:"


async def plan_next(
    session: AsyncSession,
    sub: DigestSubscription,
    *,
    after: datetime,
    running_week: str | None = None,
) -> datetime:
    """Schedule the channel's first digest slot after `after` in a week not yet covered."""
    tz = zone(sub.tz)
    slot = next_slot(after, weekday=sub.weekday, minute=sub.at_minute, tz=tz)
    while (
        week_of(slot, tz) == running_week
        or await q.get_run(
            session=session, team_id=sub.team_id, channel_id=sub.channel_id, week=week_of(slot, tz)
        )
        is not None
    ):
        slot = next_slot(slot, weekday=sub.weekday, minute=sub.at_minute, tz=tz)
    week = week_of(slot, tz)
    await schedule_job(
        session=session,
        team_id=sub.team_id,
        kind=DIGEST_KIND,
        key=f"{job_prefix(sub.channel_id)}{week}",
        due_at=slot,
        payload={"channel_id": sub.channel_id, "week": week, "slot": slot.isoformat()},
    )
    return slot


def window_ending(end: datetime, *, team_id: str, channel_id: str, tz: str) -> DigestWindow:
    """The seven days up to `end`: what a digest sent (or previewed) at `end` covers."""
    return DigestWindow(
        team_id=team_id,
        channel_id=channel_id,
        start=end - WEEK,
        end=end,
        today=end.astimezone(zone(tz)).date(),
        tz=zone(tz).key,
    )


async def collect_many(
    services: Services, windows: Sequence[DigestWindow]
) -> dict[DigestWindow, list[DigestSection]]:
    """Read the windows' facts and compose each digest, other rooms' sections included.

    A handful of statements for the whole batch, whatever its size: each fact (and each
    room's section) is one query joined against all the windows, split per window here.
    """
    batch = list(dict.fromkeys(windows))
    if not batch:
        return {}
    async with services.db.session() as session:
        made = await q.shared_in(session=session, windows=batch)
        overruled = await q.overruled_in(session=session, windows=batch)
        outcomes = await q.outcomes_in(session=session, windows=batch)
        reviews = await q.reviews_in(session=session, windows=batch)
        extra = [await provider(session, batch) for provider in services.digest_sections]
    composed = {}
    for n, window in enumerate(batch):
        pending = reviews[n]
        facts = digest.Facts(
            window=window,
            made=made[n],
            overruled=overruled[n],
            outcomes=outcomes[n],
            upcoming=[d for d in pending if d.review_at and d.review_at >= window.today],
            overdue=[d for d in pending if d.review_at and d.review_at < window.today],
        )
        sections = [found for room in extra if (found := room[n]) is not None]
        composed[window] = digest.compose(facts, sections)
    return composed


async def collect(services: Services, window: DigestWindow) -> list[DigestSection]:
    """One window's digest: a batch of one (see collect_many)."""
    return (await collect_many(services, [window]))[window]


async def prefetch(
    services: Services, jobs: Sequence[Job]
) -> dict[int, tuple[DigestWindow, list[DigestSection]]]:
    """A claimed batch's digests in one collect_many: job id → (window, sections).

    send_digest uses them when its own window is the same (the channel's zone may have
    changed in between); jobs whose channel has no digest any more get nothing.
    """
    wanted = {(job.team_id, str(job.payload["channel_id"])) for job in jobs}
    async with services.db.session() as session:
        subs = await q.subscriptions_of(session=session, channels=wanted)
    zones = {(s.team_id, s.channel_id): s.tz for s in subs if s.active}
    windows: dict[int, DigestWindow] = {}
    for job in jobs:
        channel_id = str(job.payload["channel_id"])
        tz = zones.get((job.team_id, channel_id))
        if tz is not None and job.id is not None:
            slot = datetime.fromisoformat(job.payload["slot"])
            windows[job.id] = window_ending(slot, team_id=job.team_id, channel_id=channel_id, tz=tz)
    built = await collect_many(services, list(windows.values()))
    return {job_id: (window, built[window]) for job_id, window in windows.items()}


async def send_digest(services: Services, job: Job) -> None:
    channel_id, week = str(job.payload["channel_id"]), str(job.payload["week"])
    slot = datetime.fromisoformat(job.payload["slot"])
    at = running_at() or services.clock.now()
    scope = {"team_id": job.team_id, "channel_id": channel_id}
    async with services.db.session() as session:
        sub = await q.get_subscription(session=session, **scope)
        if sub is None or not sub.active:
            raise Skip(f"{channel_id} no longer has a digest")
        # Chain first: whatever happens to this week, the next one is on the schedule.
        await plan_next(session, sub, after=max(slot, at - LATE_LIMIT), running_week=week)
        run = await q.claim_week(session=session, **scope, week=week, at=at, job=job)
    if run is None:
        raise Skip(f"{channel_id} already has its digest for {week}")
    if at - slot > LATE_LIMIT:
        await _settle(services, scope, week, "skipped")
        log.warning(
            "digest for %s week %s is %s late: skipped, not sent stale", channel_id, week, at - slot
        )
        raise Skip(f"more than {LATE_LIMIT} late")
    window = window_ending(slot, team_id=job.team_id, channel_id=channel_id, tz=sub.tz)
    read = prefetched(job)  # the batch's digests, read at once (see prefetch)
    if read is not None and read[0] == window:
        sections = read[1]
    else:
        sections = await collect(services, window)
    if not sections:
        await _settle(services, scope, week, "empty")
        log.info("digest for %s week %s: nothing to report, nothing sent", channel_id, week)
        return
    try:
        await post_message(
            await services.slack_for(job.team_id),
            services.pacer,
            channel=channel_id,
            text=digest.summary(sections),
            blocks=messages.digest(sections, window),
        )
    except SlackApiError as exc:
        error = exc.response.get("error")
        if error not in REMOVED:
            raise
        await _remove(services, scope, week)
        log.warning("digest for %s: Slack says %s; the channel is unsubscribed", channel_id, error)
        raise Skip(f"bot can't post in {channel_id} ({error}): unsubscribed") from exc
    await _settle(services, scope, week, "sent")


async def _settle(services: Services, scope: dict[str, str], week: str, state: str) -> None:
    async with services.db.session() as session:
        await q.settle_week(session=session, **scope, week=week, state=state)


async def _remove(services: Services, scope: dict[str, str], week: str) -> None:
    async with services.db.session() as session:
        await q.unsubscribe(session=session, **scope)
        await cancel_jobs(
            session=session, team_id=scope["team_id"], key_prefix=job_prefix(scope["channel_id"])
        )
        await q.settle_week(session=session, **scope, week=week, state="removed")
