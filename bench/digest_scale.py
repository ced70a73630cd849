"""How long does one tick take to find what is due, and to build every channel's digest?

    python bench/digest_scale.py [--backend sqlite|postgresql|both] [--sizes 10000,100000]
                                 [--pg-url postgresql://postgres@127.0.0.1:5432/test]
                                 [--repeat 3] [--explain]

For each backend and size it makes a fresh database (SQLite in a temporary directory; on
PostgreSQL a `doorway_bench_<random>` database created on the --pg-url server, dropped at
the end), migrates it with `storage.migrate.upgrade`, and fills it with bulk inserts:

- N decisions over 1,000 channels and the past four weeks: one-way and two-way, some
  overruled, some with outcomes, review dates from two weeks ago to a month ahead;
- 1,000 digest subscriptions (one per channel, in five time zones), each with its digest
  job due in the last hour;
- 10,000 pending review reminders due in the last hour, beside N/10 reminders already
  done and N/10 due in the coming weeks (the history a real schedule carries).

Then, Slack calls excluded, it times:

- claim+settle: `bot.schedule.jobs.run_due` over everything due, with handlers that do
  nothing, so the figure is the runner's own cost: its claims, the outcomes it writes and
  its batch sizing. Beside it, the floor: the same jobs claimed and settled in batches of
  500 with one UPDATE … RETURNING each way (FOR UPDATE SKIP LOCKED on PostgreSQL), the
  fewest statements that do the work; the ratio of the two.
- build digests: the 1,000 due channels' digests from `runs.collect_many` in batches of
  --digest-batch windows, as the digest job's batch prefetch calls it (the digest room's
  queries and every room's extra sections, as `doorway tick` registers them), and the
  composed blocks (`messages.digest`, `digest.summary`). Beside it, the floor: the same
  digests from three statements over all 1,000 windows at once (every /door fact in one
  query, /commit decisions in another, dissents in a third), plain rows composed alike;
  the bench asserts the floor's digests equal collect_many's, and prints the ratio.

Both are timed --repeat times (the tick's jobs put back as pending in between) and the best
is kept, so another busy process on the machine skews the figures less.

--explain prints the query plans of one tick's claim and one batch's digest queries on
the largest database of each backend. Everything stays on this machine and stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import os
import random
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, event, func, insert, or_, text, update
from sqlalchemy import select as sa_select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool
from sqlmodel import col, select

from bot.app import create_services
from bot.decisions.digest_sections import DigestSection, DigestWindow
from bot.decisions.followups import REVIEW_KIND
from bot.schedule.jobs import BATCH, LEASE, JobRegistry, run_due
from bot.services import Services
from bot.settings import Settings
from handlers.commit import digest as commit_digest
from handlers.digest import digest, messages, runs
from handlers.digest.schedule import week_of
from storage.engine import async_url
from storage.migrate import upgrade
from storage.models import (
    CheckIn,
    Commitment,
    Decision,
    DigestSubscription,
    Dissent,
    DoorDecision,
    Job,
    JobState,
)
from storage.queries import jobs as q
from storage.queries.common import windows_table

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
TEAM = "TBENCH0001"
CHANNELS = 1_000
USERS = 5_000
REMINDERS = 10_000
DIGEST_BATCH = 500  # windows per collect_many: the digests of one claimed batch (up to 500)
WEEKS = 4
INSERT_BATCH = 5_000
FLOOR_BATCH = 500
ZONES = ("UTC", "Europe/Paris", "America/New_York", "Asia/Tokyo", "Australia/Sydney")
TEXTS = (
    "Try a blue Buy button on the pricing page for two weeks",
    "Sign a 3-year exclusive distribution contract with Acme & Co",
    "Move billing from Stripe to Adyen",
    "Drop support for iOS 15 in the next release",
    "Hire a second data engineer instead of a contractor",
    "Delete customer records older than seven years",
    "Switch standup from daily to Mon/Wed/Fri",
    "Raise the free tier limit to <50> projects",
)


@dataclass
class Result:
    backend: str
    decisions: int
    fill_s: float
    find_s: float
    floor_s: float
    found: Counter[str]
    build_s: float
    build_floor_s: float
    digests: int
    sent: int
    lines: int


# ---------------------------------------------------------------- fresh databases


@contextlib.asynccontextmanager
async def fresh_database(backend: str, pg_server: str) -> AsyncIterator[str]:
    """A new, empty database URL, removed on the way out."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="doorway-bench-") as tmp:
            yield f"sqlite:///{Path(tmp) / 'bench.db'}"
        return
    name = f"doorway_bench_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(
        async_url(pg_server), isolation_level="AUTOCOMMIT", poolclass=NullPool
    )
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield make_url(pg_server).set(database=name).render_as_string(hide_password=False)
        finally:
            async with admin.connect() as conn:
                await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()


# ---------------------------------------------------------------- the data


def decision_rows(n: int, now: datetime, rng: random.Random) -> Iterator[dict[str, Any]]:
    today = now.date()
    for i in range(n):
        channel = f"CB{i % CHANNELS:07d}"
        created = now - timedelta(seconds=rng.uniform(60, WEEKS * 7 * 86_400))
        door = "one_way" if rng.random() < 0.3 else "two_way"
        source = rng.choice(("rules", "model", "model"))
        shared = None if rng.random() < 0.08 else min(created + timedelta(minutes=5), now)
        row: dict[str, Any] = {
            "id": i + 1,
            "team_id": TEAM,
            "channel_id": channel,
            "author_id": f"UB{rng.randrange(USERS):06d}",
            "owner_id": f"UB{rng.randrange(USERS):06d}",
            "text": f"{rng.choice(TEXTS)} (#{i})",
            "context": None,
            "door": door,
            "door_source": source,
            "confidence": round(rng.uniform(0.5, 0.95), 2),
            "reasons": ["Reversible within a sprint", "Few customers see it"],
            "chair_question": "What would make this easy to undo?",
            "status": "open" if shared is None else "shared",
            "request_key": f"bench:{i}",
            "created_at": created,
            "updated_at": shared or created,
            "shared_at": shared,
            "review_at": None,
            "message_channel": None,
            "message_ts": None,
            "permalink": None,
            "overruled_by": None,
            "overruled_at": None,
            "outcome": None,
            "outcome_by": None,
            "outcome_at": None,
        }
        if shared is not None:
            ts = f"{shared.timestamp():.6f}"
            link = f"https://bench.slack.com/archives/{channel}/p{ts.replace('.', '')}"
            row.update(message_channel=channel, message_ts=ts, permalink=link)
            if rng.random() < 0.06:
                row.update(
                    door="one_way" if door == "two_way" else "two_way",
                    door_source="person",
                    overruled_by=f"UB{rng.randrange(USERS):06d}",
                    overruled_at=min(shared + timedelta(hours=rng.uniform(0, 48)), now),
                )
            if rng.random() < 0.6:
                review = shared.date() + timedelta(days=rng.choice((7, 14, 14, 21, 30)))
                row["review_at"] = review
                if review <= today and rng.random() < 0.5:
                    at = datetime.combine(review, datetime.min.time(), UTC) + timedelta(
                        hours=rng.uniform(9, 72)
                    )
                    row.update(
                        outcome=rng.choice(("worked", "did_not_work")),
                        outcome_by=row["owner_id"],
                        outcome_at=min(at, now),
                        status="closed",
                    )
        yield row


def subscription_rows(now: datetime) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """One subscription per channel, its slot in the last hour, and that slot's digest job."""
    subs, jobs = [], []
    for c in range(CHANNELS):
        channel, zone = f"CB{c:07d}", ZoneInfo(ZONES[c % len(ZONES)])
        slot = now - timedelta(minutes=c % 60)
        local = slot.astimezone(zone)
        subs.append(
            {
                "team_id": TEAM,
                "channel_id": channel,
                "weekday": local.weekday(),
                "at_minute": local.hour * 60 + local.minute,
                "tz": zone.key,
                "subscribed_by": "UB000001",
                "active": True,
                "created_at": now,
            }
        )
        week = week_of(slot, zone)
        jobs.append(
            _job(
                runs.DIGEST_KIND,
                f"{runs.job_prefix(channel)}{week}",
                slot,
                {"channel_id": channel, "week": week, "slot": slot.isoformat()},
            )
        )
    return subs, jobs


def reminder_rows(n: int, now: datetime, rng: random.Random) -> Iterator[dict[str, Any]]:
    """10,000 reminders due in the last hour, and N/10 done plus N/10 still ahead."""
    keys: set[str] = set()
    plan = (
        [
            (now - timedelta(seconds=rng.uniform(0, 3600)), JobState.PENDING)
            for _ in range(REMINDERS)
        ]
        + [(now - timedelta(days=rng.uniform(7, WEEKS * 7)), JobState.DONE) for _ in range(n // 10)]
        + [(now + timedelta(days=rng.uniform(1, 30)), JobState.PENDING) for _ in range(n // 10)]
    )
    for k, (due, state) in enumerate(plan):
        # With fewer decisions than reminders, some are for an earlier day, sent late.
        decision_id, day = k % n + 1, due.date() - timedelta(days=k // n)
        key = f"review:{decision_id}:{day.isoformat()}"
        if key in keys:
            continue
        keys.add(key)
        row = _job(
            REVIEW_KIND,
            key,
            due,
            {"decision_id": decision_id, "review_at": day.isoformat(), "tz": "UTC"},
        )
        if state is JobState.DONE:
            row.update(state=JobState.DONE.value, attempts=1, done_at=due)
        yield row


def _job(kind: str, key: str, due: datetime, payload: dict[str, Any]) -> dict[str, Any]:
    return {
        "team_id": TEAM,
        "kind": kind,
        "key": key,
        "payload": payload,
        "due_at": due,
        "state": JobState.PENDING.value,
        "attempts": 0,
        "lease_owner": None,
        "lease_until": None,
        "last_error": None,
        "created_at": due - timedelta(days=7),
        "done_at": None,
    }


async def fill(services: Services, n: int, now: datetime) -> None:
    rng = random.Random(n)
    subs, digest_jobs = subscription_rows(now)
    async with services.db.engine.begin() as conn:
        for table, rows in (
            (Decision, ({"id": i + 1, "team_id": TEAM, "kind": "door"} for i in range(n))),
            (DoorDecision, decision_rows(n, now, rng)),
            (DigestSubscription, iter(subs)),
            (Job, iter(digest_jobs)),
            (Job, reminder_rows(n, now, rng)),
        ):
            while batch := [row for _, row in zip(range(INSERT_BATCH), rows, strict=False)]:
                await conn.execute(insert(table), batch)


# ---------------------------------------------------------------- the measurements


async def claim_and_settle(services: Services, at: datetime) -> tuple[float, Counter[str]]:
    """`run_due` over everything due, with handlers that do nothing: the runner's own cost
    (claims, outcomes written, batches sized), as a tick pays it before any Slack call."""
    registry = JobRegistry()
    found = Counter[str]()

    async def nothing(_: Services, job: Job) -> None:
        found[job.kind] += 1

    for kind in (REVIEW_KIND, runs.DIGEST_KIND):
        registry.on(kind)(nothing)
    start = time.perf_counter()
    report = await run_due(dataclasses.replace(services, jobs=registry), at=at)
    spent = time.perf_counter() - start
    assert report.done == sum(found.values()), report
    return spent, found


async def floor_claim_and_settle(services: Services, at: datetime) -> tuple[float, int]:
    """The same work in the fewest statements: batches of FLOOR_BATCH, each one UPDATE …
    RETURNING that claims (FOR UPDATE SKIP LOCKED on PostgreSQL) and one that settles."""
    chosen = (
        select(Job.id)
        .where(col(Job.state) == JobState.PENDING.value, col(Job.due_at) <= at)
        .order_by(col(Job.due_at), col(Job.id))
        .limit(FLOOR_BATCH)
    )
    if services.db.dialect == "postgresql":
        chosen = chosen.with_for_update(skip_locked=True)
    claim = (
        update(Job)
        .where(col(Job.id).in_(chosen.scalar_subquery()))
        .values(state=JobState.CLAIMED.value, lease_owner="floor", lease_until=at + LEASE)
        .returning(col(Job.id))
    )
    settle = update(Job).values(
        state=JobState.DONE.value, lease_owner=None, lease_until=None, done_at=at
    )
    done = 0
    start = time.perf_counter()
    while True:
        async with services.db.engine.begin() as conn:
            ids = list((await conn.execute(claim)).scalars())
        if not ids:
            return time.perf_counter() - start, done
        async with services.db.engine.begin() as conn:
            await conn.execute(settle.where(col(Job.id).in_(ids)))
        done += len(ids)


async def undo_tick(services: Services, now: datetime) -> None:
    """Put back as pending what a timed tick settled (only ticks settle at or after `now`)."""
    async with services.db.session() as session:
        await session.exec(
            update(Job)
            .where(col(Job.done_at) >= now)
            .values(state=JobState.PENDING.value, done_at=None, attempts=0)
        )


def due_windows(subs: Any, now: datetime) -> list[DigestWindow]:
    return [
        runs.window_ending(now, team_id=TEAM, channel_id=channel_id, tz=tz)
        for channel_id, tz in subs
    ]


def show(
    built: dict[DigestWindow, list[DigestSection]], windows: list[DigestWindow]
) -> tuple[int, int]:
    """Compose each digest's message, as send_digest does; (digests sent, lines)."""
    sent = lines = 0
    for window in windows:
        sections = built[window]
        if sections:
            digest.summary(sections)
            messages.digest(sections, window)
            sent += 1
            lines += sum(len(s.lines) for s in sections)
    return sent, lines


async def build_all(
    services: Services, now: datetime, batch: int
) -> tuple[float, int, int, int, dict[DigestWindow, list[DigestSection]]]:
    """Every subscribed channel's digest: `runs.collect_many` over batches of `batch` windows
    (as the digest job's batch hook calls it), and each digest's blocks and summary."""
    async with services.db.session() as session:
        subs = (
            await session.exec(select(DigestSubscription.channel_id, DigestSubscription.tz))
        ).all()
    windows = due_windows(subs, now)
    start = time.perf_counter()
    built: dict[DigestWindow, list[DigestSection]] = {}
    for first in range(0, len(windows), batch):
        built |= await runs.collect_many(services, windows[first : first + batch])
    sent, lines = show(built, windows)
    return time.perf_counter() - start, len(windows), sent, lines, built


# ---------------------------------------------------------------- the floor


def _within(at: Any, w: Any) -> Any:
    return and_(at > w.c.since, at <= w.c.until)


async def _floor_rows(session: Any, w: Any) -> tuple[Any, Any, Any]:
    """The floor's three statements: /door facts, /commit decisions, dissents committed."""
    d, c, s, k = (t.__table__ for t in (DoorDecision, Commitment, Dissent, CheckIn))  # type: ignore[attr-defined]
    in_channel = lambda t: and_(t.c.team_id == w.c.team_id, t.c.channel_id == w.c.channel_id)  # noqa: E731
    door = (
        sa_select(
            w.c.n,
            d.c.id,
            d.c.text,
            d.c.permalink,
            d.c.owner_id,
            d.c.door,
            d.c.door_source,
            d.c.shared_at,
            d.c.overruled_at,
            d.c.overruled_by,
            d.c.outcome,
            d.c.outcome_by,
            d.c.outcome_at,
            d.c.review_at,
            d.c.status,
        )
        .select_from(w)
        .join(
            d,
            and_(
                in_channel(d),
                d.c.shared_at.is_not(None),
                or_(
                    _within(d.c.shared_at, w),
                    _within(d.c.overruled_at, w),
                    _within(d.c.outcome_at, w),
                    and_(d.c.outcome.is_(None), d.c.status != "closed", d.c.review_at <= w.c.last),
                ),
            ),
        )
    )
    answers = (
        sa_select(func.count())
        .where(k.c.decision_id == c.c.id, k.c.team_id == c.c.team_id, k.c.answer.is_not(None))
        .scalar_subquery()
    )
    commitment = (
        sa_select(
            w.c.n,
            c.c.id,
            c.c.text,
            c.c.permalink,
            c.c.owner_id,
            c.c.door,
            c.c.door_source,
            c.c.shared_at,
            c.c.status,
            c.c.verdict,
            c.c.verdict_at,
            answers.label("answers"),
        )
        .select_from(w)
        .join(
            c,
            and_(
                in_channel(c),
                or_(
                    _within(c.c.shared_at, w),
                    and_(c.c.status == "closed", _within(c.c.verdict_at, w)),
                ),
            ),
        )
    )
    dissent = (
        sa_select(
            w.c.n,
            c.c.id,
            c.c.text,
            c.c.permalink,
            s.c.user_id,
            s.c.committed_at,
            s.c.id.label("dissent_id"),
        )
        .select_from(w)
        .join(c, in_channel(c))
        .join(
            s,
            and_(
                s.c.decision_id == c.c.id,
                s.c.team_id == w.c.team_id,
                s.c.state == "committed",
                _within(s.c.committed_at, w),
            ),
        )
    )
    conn = await session.connection()
    return (
        (await conn.execute(door)).all(),
        (await conn.execute(commitment)).all(),
        (await conn.execute(dissent)).all(),
    )


async def floor_all(
    services: Services, now: datetime
) -> tuple[float, dict[DigestWindow, list[DigestSection]]]:
    """The same digests with the fewest statements: all 1,000 windows in one JSON list,
    three statements (every /door fact at once; /commit decisions shared or checked back,
    with their answers counted; dissents committed), plain rows, composed alike."""
    async with services.db.session() as session:
        subs = (
            await session.exec(select(DigestSubscription.channel_id, DigestSubscription.tz))
        ).all()
    windows = due_windows(subs, now)
    start = time.perf_counter()
    async with services.db.session() as session:
        doors, commits, dissents = await _floor_rows(session, windows_table(session, windows))
    per: list[dict[str, list[Any]]] = [defaultdict(list) for _ in windows]
    for row in doors:
        mine, win = per[row.n], windows[row.n]
        if row.shared_at > win.start and row.shared_at <= win.end:
            mine["made"].append(row)
        if row.overruled_at and win.start < row.overruled_at <= win.end:
            mine["overruled"].append(row)
        if row.outcome_at and win.start < row.outcome_at <= win.end:
            mine["outcomes"].append(row)
        if (
            row.outcome is None
            and row.status != "closed"
            and row.review_at
            and row.review_at <= win.today + timedelta(days=7)
        ):
            mine["upcoming" if row.review_at >= win.today else "overdue"].append(row)
    for row in commits:
        mine, win = per[row.n], windows[row.n]
        if row.shared_at and win.start < row.shared_at <= win.end:
            mine["made"].append(row)
        if row.status == "closed" and row.verdict_at and win.start < row.verdict_at <= win.end:
            mine["checked"].append(row)
    for row in dissents:
        per[row.n]["committed"].append(row)
    built: dict[DigestWindow, list[DigestSection]] = {}
    for win, mine in zip(windows, per, strict=True):
        facts = digest.Facts(
            window=win,
            made=sorted(mine["made"], key=lambda r: (r.shared_at, r.id)),
            overruled=sorted(mine["overruled"], key=lambda r: (r.overruled_at, r.id)),
            outcomes=sorted(mine["outcomes"], key=lambda r: (r.outcome_at, r.id)),
            upcoming=sorted(mine["upcoming"], key=lambda r: (r.review_at, r.id)),
            overdue=sorted(mine["overdue"], key=lambda r: (r.review_at, r.id)),
        )
        committed = sorted(mine["committed"], key=lambda r: (r.committed_at, r.dissent_id))
        checked = sorted(mine["checked"], key=lambda r: (r.verdict_at, r.id))
        extra = commit_digest._section(
            committed=[(r, r) for r in committed],
            checked=[(r, [None] * r.answers) for r in checked],
        )
        built[win] = digest.compose(facts, [extra] if extra is not None else [])
    show(built, windows)
    return time.perf_counter() - start, built


async def explain(services: Services, now: datetime) -> None:
    """The plans of the statements one claim and one batch of digests actually run."""
    seen: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append((statement, parameters))

    sync_engine = services.db.engine.sync_engine
    event.listen(sync_engine, "before_cursor_execute", capture)
    try:
        await undo_tick(services, now)
        async with services.db.session() as session:
            await q.claim_due(
                session=session,
                at=now,
                now=now,
                owner="bench-explain",
                lease_until=now + LEASE,
                limit=BATCH,
            )
        batch = [
            runs.window_ending(now, team_id=TEAM, channel_id=f"CB{c:07d}", tz=ZONES[c % 5])
            for c in range(DIGEST_BATCH)
        ]
        await runs.collect_many(services, batch)
    finally:
        event.remove(sync_engine, "before_cursor_execute", capture)
    prefix = "EXPLAIN QUERY PLAN " if services.db.dialect == "sqlite" else "EXPLAIN ANALYZE "
    async with services.db.engine.connect() as conn:
        for statement, parameters in seen:
            print("\n" + " ".join(statement.split())[:400])
            plan = await conn.exec_driver_sql(prefix + statement, parameters)
            for row in plan.all():
                print("   ", row[-1])


async def one(
    backend: str, n: int, pg_server: str, *, repeat: int, batch: int, show_plans: bool
) -> Result:
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    async with fresh_database(backend, pg_server) as url:
        await asyncio.to_thread(upgrade, url)
        settings = Settings(
            _env_file=None,
            database_url=url,  # type: ignore[call-arg]
            slack_bot_token="xoxb-bench",
            slack_api_url="http://127.0.0.1:9/",
        )
        # With each room's jobs and digest sections, as `doorway tick` builds it.
        services = create_services(settings)
        try:
            start = time.perf_counter()
            await fill(services, n, now)
            fill_s = time.perf_counter() - start
            if backend == "postgresql":
                # What autovacuum would have done long before a table reached this size.
                async with services.db.engine.connect() as conn:
                    await conn.execution_options(isolation_level="AUTOCOMMIT")
                    await conn.execute(text("ANALYZE"))
            # Best of --repeat: the figures are for this code, not for whatever else runs.
            find_s = floor_s = build_s = float("inf")
            for _ in range(repeat):  # interleaved, so both meet the same machine
                spent, found = await claim_and_settle(services, now)
                find_s = min(find_s, spent)
                await undo_tick(services, now)
                spent, floored = await floor_claim_and_settle(services, now)
                assert floored == sum(found.values()), (floored, found)
                floor_s = min(floor_s, spent)
                await undo_tick(services, now)
            build_floor_s = float("inf")
            for _ in range(repeat):  # interleaved, so both meet the same machine
                spent, digests, sent, lines, built = await build_all(services, now, batch)
                build_s = min(build_s, spent)
                spent, floor = await floor_all(services, now)
                build_floor_s = min(build_floor_s, spent)
                assert floor == built, "the floor's digests differ from collect_many's"
            if show_plans:
                print(f"\n=== query plans: {backend}, {n:,} decisions ===")
                await explain(services, now)
        finally:
            await services.aclose()
    return Result(
        backend, n, fill_s, find_s, floor_s, found, build_s, build_floor_s, digests, sent, lines
    )


def table(results: list[Result]) -> None:
    head = (
        "backend",
        "decisions",
        "fill s",
        "claim+settle s",
        "floor s",
        "ratio",
        "found",
        "build-all s",
        "per-digest ms",
        "build floor s",
        "build ratio",
        "sent/lines",
        "growth find/build",
    )
    rows = []
    for r in results:
        first = next(x for x in results if x.backend == r.backend)
        growth = (
            ""
            if first is r
            else f"x{r.find_s / first.find_s:.1f} / x{r.build_s / first.build_s:.1f}"
        )
        found = f"{r.found[REVIEW_KIND]}+{r.found[runs.DIGEST_KIND]}"
        rows.append(
            (
                r.backend,
                f"{r.decisions:,}",
                f"{r.fill_s:.1f}",
                f"{r.find_s:.2f}",
                f"{r.floor_s:.2f}",
                f"{r.find_s / r.floor_s:.1f}x",
                found,
                f"{r.build_s:.2f}",
                f"{1000 * r.build_s / max(r.digests, 1):.2f}",
                f"{r.build_floor_s:.2f}",
                f"{r.build_s / r.build_floor_s:.1f}x",
                f"{r.sent}/{r.lines}",
                growth,
            )
        )
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(head)]
    for line in (head, tuple("-" * w for w in widths), *rows):
        print("  ".join(cell.rjust(w) for cell, w in zip(line, widths, strict=True)))


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--pg-url", default=os.environ.get("TEST_DATABASE_URL") or DEFAULT_PG)
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="time find-due and build-all this many times, keep the best",
    )
    parser.add_argument(
        "--digest-batch",
        type=int,
        default=DIGEST_BATCH,
        help="windows per runs.collect_many call",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="print query plans on the largest database of each backend",
    )
    args = parser.parse_args()
    sizes = sorted(int(s.replace("_", "")) for s in args.sizes.split(","))
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    print(
        f"{CHANNELS:,} channels, {CHANNELS:,} digests and {REMINDERS:,} reminders due; "
        f"run_due with no-op handlers (claims up to {BATCH}) beside a floor of "
        f"{FLOOR_BATCH}-job batches; digests by collect_many in batches of {args.digest_batch} "
        f"beside a 3-statement floor; Slack not called; "
        f"times are the best of {args.repeat}"
    )
    results = []
    for backend in backends:
        for n in sizes:
            result = await one(
                backend,
                n,
                args.pg_url,
                repeat=args.repeat,
                batch=args.digest_batch,
                show_plans=args.explain and n == sizes[-1],
            )
            print(
                f"{backend} {n:,}: filled in {result.fill_s:.1f} s, "
                f"claimed and settled {sum(result.found.values()):,} in {result.find_s:.2f} s "
                f"(floor {result.floor_s:.2f} s), "
                f"built {result.digests:,} digests in {result.build_s:.2f} s "
                f"(floor {result.build_floor_s:.2f} s)",
                flush=True,
            )
            results.append(result)
    print()
    table(results)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
