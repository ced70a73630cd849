"""A generated workspace for the digest's golden file: many channels, four teams, both kinds.

Fixed seed, fixed dates: the same rows every run. Four teams reuse the same channel ids, so
a digest that forgets its team shows another workspace's decisions; private channels (G…)
sit beside public ones; subscribers are in zones either side of UTC (and the windows end
around the March DST changes); facts fall inside, outside and exactly on the edges of the
windows. `windows()` lists every window the golden file records, a few channels twice
(two consecutive weeks), and `render` is what a digest shows: its sections, the Block Kit
of `handlers.digest.messages.digest` and the notification text.

    python -m tests.handlers.digest.workspace   # rewrites the golden file from today's code

Only do that when a digest is meant to change; the test compares against it.
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from bot.decisions.digest_sections import DigestSection, DigestWindow
from bot.services import Services
from handlers.digest import digest, messages
from handlers.digest.runs import window_ending
from storage.models import CheckIn, Commitment, Decision, Dissent, DoorDecision

GOLDEN = Path(__file__).with_name("golden_digests.json")
SEED = 20261202
TEAMS = ("TGOLD0001", "TGOLD0002", "TGOLD0003", "TGOLD0004")
CHANNELS = [f"C{n:08d}" for n in range(10)] + [f"G{n:08d}" for n in range(3)]
UNSUBSCRIBED = ("C00000098", "C00000099")  # decisions, but no digest of their own
QUIET = "C00000050"  # a digest, but no decisions: nothing to say
ZONES = (
    "UTC",
    "Europe/Paris",
    "America/New_York",
    "Asia/Tokyo",
    "Australia/Sydney",
    "America/Los_Angeles",
    "Pacific/Kiritimati",
)
BASE = datetime(2026, 3, 27, 15, 0, tzinfo=UTC)
USERS = [f"UGOLD{n:04d}" for n in range(30)]
TEXTS = (
    "Try a blue Buy button on the pricing page for two weeks",
    "Sign a 3-year exclusive distribution contract with Acme & Co",
    "Move billing from Stripe to Adyen | keep Stripe for refunds",
    "Raise the free tier limit to <50> projects *for now*",
    "Drop support for iOS 15\nin the next release",
    "Hire a second data engineer instead of a contractor " * 4,
    "Ping <!channel> about the `launch` date",
    "Delete customer records older than seven years",
)
PERMALINKS = ("https", "https", "https", None, "http")
VERDICTS = ("held_up", "concerns_right", "mixed", "too_early", None)


def windows() -> list[DigestWindow]:
    """Every digest the golden file records: each subscribed channel of each team."""
    rng = random.Random(SEED)
    found = []
    for team in TEAMS:
        for channel in (*CHANNELS, QUIET):
            end = BASE + timedelta(minutes=rng.randrange(0, 5 * 24 * 60))
            tz = rng.choice(ZONES)
            found.append(window_ending(end, team_id=team, channel_id=channel, tz=tz))
            if rng.random() < 0.25:  # a late job's week before, in the same batch
                found.append(
                    window_ending(end - timedelta(days=7), team_id=team, channel_id=channel, tz=tz)
                )
    return found


def _moment(rng: random.Random, edges: Sequence[datetime]) -> datetime:
    """A time in the five weeks before BASE or just after; now and then a window's edge."""
    if edges and rng.random() < 0.12:
        return rng.choice(edges) + timedelta(microseconds=rng.choice((0, 0, 1, -1)))
    return BASE + timedelta(seconds=rng.uniform(-36 * 86_400, 6 * 86_400))


def _link(rng: random.Random, channel: str, n: int) -> str | None:
    kind = rng.choice(PERMALINKS)
    if kind is None:
        return None
    return f"{kind}://gold.slack.com/archives/{channel}/p{1_700_000_000 + n}"


def rows() -> dict[type, list[dict[str, Any]]]:
    """The workspace's rows, table by table, in insertion order."""
    rng = random.Random(SEED + 1)
    edges: dict[tuple[str, str], list[datetime]] = {}
    for w in windows():
        edges.setdefault((w.team_id, w.channel_id), []).extend((w.start, w.end))
    tables: dict[type, list[dict[str, Any]]] = {
        Decision: [],
        DoorDecision: [],
        Commitment: [],
        Dissent: [],
        CheckIn: [],
    }
    busy = ("TGOLD0001", "C00000003")  # more than a section holds
    for n in range(1, 1401):
        team = rng.choice(TEAMS)
        channel = rng.choice([*CHANNELS, *UNSUBSCRIBED])
        if n % 9 == 0:
            team, channel = busy
        near = edges.get((team, channel), [])
        kind = "door" if rng.random() < 0.7 else "commit"
        tables[Decision].append({"id": n, "team_id": team, "kind": kind})
        created = _moment(rng, near)
        shared = None if rng.random() < 0.1 else max(created, _moment(rng, near))
        door = rng.choice(("one_way", "two_way", "two_way"))
        source = rng.choice(("rules", "model", "model", "person"))
        base: dict[str, Any] = {
            "id": n,
            "team_id": team,
            "channel_id": channel,
            "author_id": rng.choice(USERS),
            "owner_id": rng.choice(USERS),
            "text": f"{rng.choice(TEXTS)} (#{n})",
            "door": door,
            "door_source": source,
            "confidence": 0.8,
            "reasons": ["Reversible within a sprint"],
            "request_key": f"gold:{n}",
            "created_at": created,
            "updated_at": shared or created,
            "shared_at": shared,
            "permalink": _link(rng, channel, n) if shared else None,
            "status": "shared" if shared else "open",
        }
        today = BASE.date()
        if kind == "door":
            row = {**base, "review_at": None}
            if rng.random() < 0.15:
                row.update(
                    door="two_way" if door == "one_way" else "one_way",
                    door_source="person",
                    overruled_by=rng.choice([*USERS, None]),
                    overruled_at=_moment(rng, near),
                )
            if rng.random() < 0.7:
                row["review_at"] = today + timedelta(days=rng.randrange(-25, 20))
                if rng.random() < 0.4:
                    row.update(
                        outcome=rng.choice(("worked", "did_not_work", "worked")),
                        outcome_by=rng.choice([*USERS, None]),
                        outcome_at=_moment(rng, near),
                        status="closed",
                    )
                elif rng.random() < 0.1:
                    row["status"] = "closed"  # closed without an outcome: no review line
            tables[DoorDecision].append(row)
            continue
        row = {**base, "context": "We think it is too early", "check_back": None}
        if rng.random() < 0.5:
            row["check_back"] = today + timedelta(days=rng.randrange(-20, 20))
            if rng.random() < 0.6:
                row.update(
                    status="closed", verdict=rng.choice(VERDICTS), verdict_at=_moment(rng, near)
                )
            elif rng.random() < 0.15:
                row["verdict_at"] = _moment(rng, near)  # not closed: not a check-back yet
        tables[Commitment].append(row)
        people = rng.sample(USERS, rng.randrange(0, 5))
        for user in people:
            state = rng.choice(("pending", "committed", "committed", "not_yet"))
            tables[Dissent].append(
                {
                    "team_id": team,
                    "decision_id": n,
                    "user_id": user,
                    "state": state,
                    "committed_at": _moment(rng, near) if state != "pending" else None,
                }
            )
            if row.get("verdict_at") and rng.random() < 0.8:
                tables[CheckIn].append(
                    {
                        "team_id": team,
                        "decision_id": n,
                        "user_id": user,
                        "role": "dissenter",
                        "answer": rng.choice(("held_up", "concerns_right", None)),
                    }
                )
    return tables


async def fill(services: Services) -> None:
    """Insert the workspace into an empty, migrated database."""
    async with services.db.engine.begin() as conn:
        for table, found in rows().items():
            # Every row with every column any row sets (the others take their defaults).
            keys = {key for row in found for key in row}
            found = [{key: row.get(key) for key in keys} for row in found]
            for start in range(0, len(found), 500):
                await conn.execute(insert(table), found[start : start + 500])


def render(sections: Sequence[DigestSection], window: DigestWindow) -> dict[str, Any]:
    """What a digest shows, in a form JSON keeps exactly."""
    return {
        "window": {
            "team_id": window.team_id,
            "channel_id": window.channel_id,
            "start": window.start.isoformat(),
            "end": window.end.isoformat(),
            "today": window.today.isoformat(),
            "tz": window.tz,
        },
        "sections": [asdict(s) for s in sections],
        "summary": digest.summary(sections),
        "blocks": messages.digest(sections, window),
    }


def golden() -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = json.loads(GOLDEN.read_text())
    return loaded


async def _write() -> None:
    from bot.app import create_services
    from bot.settings import Settings
    from handlers.digest.runs import collect
    from storage.migrate import upgrade

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'gold.db'}"
        await asyncio.to_thread(upgrade, url)
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            database_url=url,
            slack_bot_token="xoxb-golden",
            slack_api_url="http://127.0.0.1:9/",
        )
        services = create_services(settings)
        try:
            await fill(services)
            found = [render(await collect(services, w), w) for w in windows()]
        finally:
            await services.aclose()
    GOLDEN.write_text(json.dumps(found, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    shown = sum(bool(d["sections"]) for d in found)
    print(f"{len(found)} digests ({shown} with something to say) written to {GOLDEN}")


if __name__ == "__main__":
    sys.exit(asyncio.run(_write()))
