"""When a scheduled job is running for, and whether its person's 09:00 has come.

A follow-up is planned for 09:00 in its person's zone when it is scheduled; by the time it
runs they may have moved to a later zone, and then it waits for 09:00 there instead of
arriving early. Every room's follow-ups ask the same way, through `not_before`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.schedule.jobs import RetryLater, running_at
from bot.services import Services

ZONE_SLACK = timedelta(minutes=1)  # what counts as on time for a planned 09:00


def instant(services: Services) -> datetime:
    """The instant being handled: a job's tick instant, else the clock's now."""
    return running_at() or services.clock.now()


def not_before(due: datetime, services: Services) -> None:
    """Go on only once `due` has come (within ZONE_SLACK); else try again then."""
    if due - instant(services) > ZONE_SLACK:
        raise RetryLater(until=due)
