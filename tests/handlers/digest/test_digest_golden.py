"""Every digest of a generated workspace, built in batches, as the golden file recorded them.

The golden file was recorded from the digest as it was before it became batch queries (one
channel at a time, a few statements each); see tests/handlers/digest/workspace.py.
"""

from __future__ import annotations

from bot.services import Services
from handlers.digest import runs
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
