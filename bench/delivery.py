"""How long does one tick take to send 10,000 review reminders through a Slack that takes
50 ms a call? Beside the floor: the same DMs sent straight at the same Slack.

    python bench/delivery.py [--reminders 10000] [--owners 2000] [--latency 0.05]
                             [--concurrency N] [--backend sqlite|postgresql]
                             [--pg-url postgresql://postgres@127.0.0.1:5432/test]

It starts a LocalSlack (the fake Slack Web API) on 127.0.0.1 answering every call after
--latency seconds, makes a fresh, migrated database (SQLite in a temporary directory, or a
`doorway_bench_<random>` database on the PostgreSQL server, dropped at the end) and fills
it with --reminders shared /door decisions, each due for review today, owned by --owners
people (so each owner's DMs share one channel, as Slack counts them) whose profiles were
stored an hour ago (as scheduling the reviews left them).

Then it times `run_due` at 09:00 UTC: every reminder claimed, sent, and settled, with
DOORWAY_SEND_CONCURRENCY (--concurrency, default the setting's) sends at once. The floor:
the same messages sent with the fewest steps — the same concurrency, no database, paced one
a second per channel as Slack requires. It prints both wall times, the ratio, how many DMs
Slack took, and the peak rate any one channel saw (at most one a second is Slack's limit).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

from digest_scale import DEFAULT_PG, fresh_database
from sqlalchemy import insert

from bot.app import create_services
from bot.schedule.jobs import run_due
from bot.settings import SEND_CONCURRENCY, Settings
from bot.slack.client import web_client
from bot.slack.pacing import ChannelPacer, post_message
from console.localslack import LocalSlack
from storage.migrate import upgrade
from storage.models import Decision, DoorDecision, Job, JobState, UserProfile

TEAM = "TBENCH0001"
CHANNEL = "CBENCH0001"
INSERT_BATCH = 5_000


def rows(reminders: int, owners: int, day: date, now: datetime) -> dict[Any, list[dict]]:
    """The decisions, the owners' stored profiles and the reminder jobs, as bulk rows."""
    due = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=9)
    people = [f"UB{n:07d}" for n in range(owners)]
    filled: dict[Any, list[dict]] = defaultdict(list)
    for person in people:
        filled[UserProfile].append(
            {"team_id": TEAM, "user_id": person, "tz": "UTC", "fetched_at": now}
        )
    for i in range(1, reminders + 1):
        owner = people[i % owners]
        filled[Decision].append({"id": i, "team_id": TEAM, "kind": "door"})
        filled[DoorDecision].append(
            {
                "id": i,
                "team_id": TEAM,
                "channel_id": CHANNEL,
                "author_id": owner,
                "owner_id": owner,
                "text": f"Decision {i}: try a blue Buy button",
                "door": "two_way",
                "door_source": "rules",
                "reasons": ["reversible"],
                "status": "shared",
                "request_key": f"bench:{i}",
                "created_at": now - timedelta(days=14),
                "updated_at": now - timedelta(days=14),
                "shared_at": now - timedelta(days=14),
                "review_at": day,
            }
        )
        filled[Job].append(
            {
                "team_id": TEAM,
                "kind": "review",
                "key": f"review:{i}:{day.isoformat()}",
                "payload": {"decision_id": i, "review_at": day.isoformat(), "tz": "UTC"},
                "due_at": due,
                "state": JobState.PENDING.value,
                "attempts": 0,
                "created_at": now - timedelta(days=14),
            }
        )
    return filled


def peak_per_channel(slack: LocalSlack) -> float:
    """The most messages any one channel got within one second."""
    by_channel: dict[str, list[float]] = defaultdict(list)
    for call in slack.calls("chat.postMessage"):
        if call.status == 200:
            by_channel[str(call.args["channel"])].append(call.at)
    peak = 0
    for times in by_channel.values():
        times.sort()
        start = 0
        for end, at in enumerate(times):
            while at - times[start] >= 1.0:
                start += 1
            peak = max(peak, end - start + 1)
    return float(peak)


async def doorway(args: argparse.Namespace, slack: LocalSlack) -> tuple[float, int, float]:
    day = datetime.now(UTC).date()
    now = datetime.now(UTC)
    async with fresh_database(args.backend, args.pg_url) as url:
        await asyncio.to_thread(upgrade, url)
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            database_url=url,
            slack_bot_token="xoxb-bench",
            slack_api_url=slack.api_url,
            doorway_send_concurrency=args.concurrency,
        )
        services = create_services(settings)
        try:
            async with services.db.engine.begin() as conn:
                for table, batch in rows(args.reminders, args.owners, day, now).items():
                    for first in range(0, len(batch), INSERT_BATCH):
                        await conn.execute(insert(table), batch[first : first + INSERT_BATCH])
            at = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=9)
            start = time.perf_counter()
            report = await run_due(services, at=at)
            spent = time.perf_counter() - start
        finally:
            await services.aclose()
    sent = sum(1 for c in slack.calls("chat.postMessage") if c.status == 200)
    assert report.done == args.reminders == sent, (report, sent)
    return spent, sent, peak_per_channel(slack)


async def floor(args: argparse.Namespace, slack: LocalSlack) -> tuple[float, int, float]:
    """The same DMs, `concurrency` at once, paced per channel: no database, no handlers."""
    client = web_client(token="xoxb-bench", base_url=slack.api_url)
    pacer = ChannelPacer()
    gate = asyncio.Semaphore(args.concurrency)
    owners = [f"UB{n:07d}" for n in range(args.owners)]

    async def send(i: int) -> None:
        async with gate:
            await post_message(client, pacer, channel=owners[i % args.owners], text=f"{i}")

    start = time.perf_counter()
    await asyncio.gather(*(send(i) for i in range(1, args.reminders + 1)))
    spent = time.perf_counter() - start
    sent = sum(1 for c in slack.calls("chat.postMessage") if c.status == 200)
    return spent, sent, peak_per_channel(slack)


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--owners", type=int, default=2_000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=SEND_CONCURRENCY)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pg-url", default=os.environ.get("TEST_DATABASE_URL") or DEFAULT_PG)
    args = parser.parse_args()
    print(
        f"{args.reminders:,} reminders to {args.owners:,} owners, Slack answering in "
        f"{1000 * args.latency:.0f} ms, {args.concurrency} sends at once, {args.backend}"
    )
    figures = []
    for name, run in (("floor (sends only)", floor), ("doorway tick", doorway)):
        async with LocalSlack(latency=args.latency) as slack:
            for n in range(args.owners):
                slack.add_user(f"UB{n:07d}", tz="UTC")
            spent, sent, peak = await run(args, slack)
        figures.append((name, spent, sent, peak))
        print(f"{name}: {sent:,} DMs in {spent:.1f} s", flush=True)
    print()
    print(f"{'':>20}  {'wall s':>7}  {'DMs/s':>6}  {'sent':>6}  {'peak per channel /s':>19}")
    for name, spent, sent, peak in figures:
        print(f"{name:>20}  {spent:7.1f}  {sent / spent:6.0f}  {sent:6,}  {peak:19.0f}")
    print(f"ratio doorway/floor: {figures[1][1] / figures[0][1]:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
