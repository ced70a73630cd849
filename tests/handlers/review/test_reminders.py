"""The review reminder job: 09:00 in the owner's zone on both sides of DST, Slack failures."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.schedule.jobs import MAX_ATTEMPTS
from bot.schedule.reviews import schedule_review
from bot.services import Services
from bot.slack.pacing import ChannelPacer
from console.localslack import LocalSlack
from storage.models import DoorDecision, JobState
from storage.queries.decisions import record_decision
from tests.driver import ALICE, BOB, CAROL, CHANNEL, TEAM
from tests.ticking import jobs, local, tick


@pytest.fixture
def ready(services: Services) -> Services:
    return services  # create_services registered the rooms' job kinds


async def decision_for(
    services: Services, owner: str, review_at: date, *, key: str | None = None
) -> DoorDecision:
    now = datetime(2026, 1, 5, 12, tzinfo=UTC)
    values = {
        "team_id": TEAM,
        "channel_id": CHANNEL,
        "author_id": owner,
        "owner_id": owner,
        "text": f"Decision of {owner} for {review_at}",
        "door": "two_way",
        "door_source": "rules",
        "reasons": ["reversible"],
        "status": "shared",
        "request_key": key or f"test:{owner}:{review_at}",
        "created_at": now,
        "updated_at": now,
        "shared_at": now,
        "review_at": review_at,
        "permalink": "https://example.slack.com/archives/C0GENERAL/p1",
    }
    async with services.db.session() as session:
        decision, _ = await record_decision(session=session, values=values)
    await schedule_review(services, decision=decision)
    return decision


def sent_to(slack: LocalSlack, user: str) -> int:
    return sum(
        1
        for c in slack.calls("chat.postMessage")
        if c.args.get("channel") == user and (c.response or {}).get("ok")
    )


@pytest.mark.parametrize(
    ("owner", "zone", "day", "utc_hour"),
    [
        # New York: EDT (UTC-4) ends on Sun 1 Nov 2026, EST (UTC-5) ends on Sun 8 Mar 2026.
        (ALICE, "America/New_York", date(2026, 10, 31), 13),
        (ALICE, "America/New_York", date(2026, 11, 1), 14),
        (ALICE, "America/New_York", date(2026, 3, 7), 14),
        (ALICE, "America/New_York", date(2026, 3, 8), 13),
        # London: BST starts on Sun 29 Mar 2026 and ends on Sun 25 Oct 2026.
        (BOB, "Europe/London", date(2026, 3, 28), 9),
        (BOB, "Europe/London", date(2026, 3, 29), 8),
        (BOB, "Europe/London", date(2026, 10, 24), 8),
        (BOB, "Europe/London", date(2026, 10, 25), 9),
    ],
)
async def test_nine_o_clock_in_the_owner_zone_across_dst(
    ready: Services, local_slack: LocalSlack, owner: str, zone: str, day: date, utc_hour: int
) -> None:
    await decision_for(ready, owner, day)
    nine = local(zone, day.year, day.month, day.day, 9)
    assert nine.astimezone(UTC).hour == utc_hour

    await tick(ready, nine - timedelta(minutes=1))
    assert sent_to(local_slack, owner) == 0
    await tick(ready, nine)
    assert sent_to(local_slack, owner) == 1
    await tick(ready, nine + timedelta(days=1))
    assert sent_to(local_slack, owner) == 1


async def test_an_owner_who_moved_west_is_asked_at_their_new_nine(
    ready: Services, local_slack: LocalSlack
) -> None:
    ready.clock.set(datetime(2026, 12, 1, tzinfo=UTC))
    await decision_for(ready, CAROL, date(2026, 12, 10))  # Tokyo: due 00:00 UTC on the 10th
    local_slack.add_user(CAROL, name="carol", tz="America/Los_Angeles")

    report = await tick(ready, local("Asia/Tokyo", 2026, 12, 10, 9))
    assert (report.retrying, sent_to(local_slack, CAROL)) == (1, 0)
    await tick(ready, local("America/Los_Angeles", 2026, 12, 10, 8, 59))
    assert sent_to(local_slack, CAROL) == 0
    await tick(ready, local("America/Los_Angeles", 2026, 12, 10, 9))
    assert sent_to(local_slack, CAROL) == 1


async def test_rate_limit_then_a_server_error_then_success_delivers_once(
    ready: Services, local_slack: LocalSlack
) -> None:
    await decision_for(ready, BOB, date(2026, 12, 10))
    ready.pacer = ChannelPacer(interval=0)
    local_slack.fail("chat.postMessage", status=429, retry_after=1)
    local_slack.fail("chat.postMessage", status=500)
    nine = local("Europe/London", 2026, 12, 10, 9)

    first = await tick(ready, nine)
    # slack_sdk waited out the 429 (nothing was posted) but gave the 500 back to the job
    # at once: Slack may have posted it, so only the job's own schedule tries again.
    assert first.retrying == 1
    [job] = await jobs(ready, TEAM, "review:")
    assert job.state == JobState.PENDING and job.attempts == 1
    assert job.last_error == "Slack API 500: internal_error"
    await tick(ready, job.due_at)

    statuses = [c.status for c in local_slack.calls("chat.postMessage")]
    assert statuses == [429, 500, 200]
    assert sent_to(local_slack, BOB) == 1
    [job] = await jobs(ready, TEAM, "review:")
    assert job.state == JobState.DONE
    await tick(ready, job.due_at + timedelta(days=1))
    assert sent_to(local_slack, BOB) == 1


async def test_a_slack_that_keeps_failing_leaves_the_job_failed_with_its_error(
    ready: Services, local_slack: LocalSlack
) -> None:
    await decision_for(ready, BOB, date(2026, 12, 10))
    ready.slack.retry_handlers = []  # the client's own retries are the test above
    ready.pacer = ChannelPacer(interval=0)
    local_slack.fail("chat.postMessage", status=503, times=100)
    at = local("Europe/London", 2026, 12, 10, 9)
    for _ in range(MAX_ATTEMPTS):
        await tick(ready, at)
        [job] = await jobs(ready, TEAM, "review:")
        at = max(at, job.due_at)
    assert job.state == JobState.FAILED and job.attempts == MAX_ATTEMPTS
    assert job.last_error == "Slack API 503: service_unavailable"
    assert sent_to(local_slack, BOB) == 0


async def test_deactivated_owner_and_answered_decision_are_skipped(
    ready: Services, local_slack: LocalSlack
) -> None:
    local_slack.add_user(BOB, name="bob", tz="Europe/London", deleted=True)
    await decision_for(ready, BOB, date(2026, 12, 10))
    report = await tick(ready, local("Europe/London", 2026, 12, 10, 9))
    assert report.skipped == 1 and sent_to(local_slack, BOB) == 0
