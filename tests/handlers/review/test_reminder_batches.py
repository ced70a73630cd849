"""A tick's review reminders read their decisions and owners together: the database is asked
once per batch, not once per reminder, and every owner still gets their DM."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import event

from bot.schedule.jobs import run_due
from bot.services import Services
from console.localslack import LocalSlack
from storage.models import UserProfile
from storage.queries.people import save_profile
from tests.bot.test_tick_processes import NINE_UTC, delivered, seed_reviews
from tests.driver import TEAM


@contextmanager
def statements(services: Services) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_: Any, __: Any, statement: str, *args: Any) -> None:
        seen.append(" ".join(statement.split()).lower())

    engine = services.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def test_thirty_reminders_read_their_decisions_and_owners_once(
    services: Services, local_slack: LocalSlack
) -> None:
    owners = await seed_reviews(services, local_slack, 30)
    async with services.db.session() as session:  # Slack was asked about them yesterday
        for owner in owners:
            stored = UserProfile(
                team_id=TEAM,
                user_id=owner,
                tz="UTC",
                fetched_at=services.clock.now() - timedelta(hours=1),
            )
            await save_profile(session=session, profile=stored)
    asked = len(local_slack.calls("users.info"))  # while the reviews were scheduled
    with statements(services) as seen:
        report = await run_due(services, at=NINE_UTC)
    assert report.done == 30
    assert delivered(local_slack) == {owner: 1 for owner in owners}
    assert len(local_slack.calls("users.info")) == asked, "the stored profiles were fresh"
    reads = [s for s in seen if s.startswith("select")]
    assert len([s for s in reads if " from door" in s]) == 1, reads
    assert len([s for s in reads if " from userprofile" in s]) == 1, reads
