"""Every digest of a generated workspace, built in batches, as the golden file recorded them.

The golden file was recorded from the digest as it was before it became batch queries (one
channel at a time, a few statements each); see tests/handlers/digest/workspace.py.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import insert

from bot.services import Services
from handlers.digest import runs
from storage.models import DigestSubscription, Job
from tests.handlers.digest import workspace

EXPECTED = workspace.golden()


async def test_every_digest_of_a_batch_matches_the_golden_file(services: Services) -> None:
    await workspace.fill(services)
    windows = workspace.windows()
    whole = await runs.collect_many(services, windows)
    assert [workspace.render(whole[w], w) for w in windows] == EXPECTED
    # Batches that split teams and channels (and a channel's two weeks) anywhere.
    for size in (1, 7, 30):
        found: dict = {}
        for first in range(0, len(windows), size):
            found |= await runs.collect_many(services, windows[first : first + size])
        assert [workspace.render(found[w], w) for w in windows] == EXPECTED, f"batches of {size}"


async def test_each_channel_alone_matches_the_golden_file(services: Services) -> None:
    await workspace.fill(services)
    windows = workspace.windows()
    found = [workspace.render(await runs.collect(services, w), w) for w in windows]
    assert found == EXPECTED


async def test_a_claimed_batch_prefetches_every_digest_as_the_golden_file(
    services: Services,
) -> None:
    await workspace.fill(services)
    windows = workspace.windows()
    zones = {(w.team_id, w.channel_id): w.tz for w in windows}
    zones[(workspace.TEAMS[0], "C00000077")] = "UTC"  # a digest turned off since: nothing
    async with services.db.engine.begin() as conn:
        await conn.execute(
            insert(DigestSubscription),
            [
                {
                    "team_id": team,
                    "channel_id": channel,
                    "weekday": 4,
                    "at_minute": 960,
                    "tz": tz,
                    "subscribed_by": "UGOLD0000",
                    "active": channel != "C00000077",
                    "created_at": workspace.BASE,
                }
                for (team, channel), tz in zones.items()
            ],
        )
    jobs = [
        Job(
            id=n,
            team_id=w.team_id,
            kind=runs.DIGEST_KIND,
            key=f"digest:{w.channel_id}:{n}",
            payload={"channel_id": w.channel_id, "week": str(n), "slot": w.end.isoformat()},
            due_at=w.end,
        )
        for n, w in enumerate([*windows, replace(windows[0], channel_id="C00000077")], 1)
    ]
    found = await runs.prefetch(services, jobs)
    assert sorted(found) == list(range(1, len(windows) + 1))
    assert [found[n][0] for n in sorted(found)] == windows
    assert [workspace.render(found[n][1], found[n][0]) for n in sorted(found)] == EXPECTED
