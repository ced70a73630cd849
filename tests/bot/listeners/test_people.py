"""People as users.info describes them: cached a day, refreshed, UTC when Slack can't say."""

from __future__ import annotations

from datetime import timedelta

from bot.listeners.people import profile, timezone_of
from bot.services import Services
from console.localslack import LocalSlack
from tests.driver import ALICE, TEAM


def lookups(slack: LocalSlack) -> int:
    return len(slack.calls("users.info"))


async def test_zone_is_cached_for_a_day_then_refreshed(
    services: Services, local_slack: LocalSlack
) -> None:
    assert (await timezone_of(services, team_id=TEAM, user_id=ALICE)).key == "America/New_York"
    local_slack.add_user(ALICE, name="alice", tz="Europe/Paris")
    services.clock.advance(timedelta(hours=23))
    assert (await timezone_of(services, team_id=TEAM, user_id=ALICE)).key == "America/New_York"
    assert lookups(local_slack) == 1
    services.clock.advance(timedelta(hours=2))
    assert (await timezone_of(services, team_id=TEAM, user_id=ALICE)).key == "Europe/Paris"
    assert lookups(local_slack) == 2


async def test_slack_errors_fall_back_to_the_cache_then_utc(
    services: Services, local_slack: LocalSlack
) -> None:
    services.slack.retry_handlers = []
    local_slack.fail("users.info", status=500)
    assert (await timezone_of(services, team_id=TEAM, user_id=ALICE)).key == "UTC"
    assert (await timezone_of(services, team_id=TEAM, user_id=ALICE)).key == "America/New_York"
    services.clock.advance(timedelta(days=2))
    local_slack.fail("users.info", error="fatal_error")
    assert (await timezone_of(services, team_id=TEAM, user_id=ALICE)).key == "America/New_York"


async def test_bots_deactivated_and_unknown_people(
    services: Services, local_slack: LocalSlack
) -> None:
    local_slack.add_user("U0ROBOT", is_bot=True, tz="UTC")
    local_slack.add_user("U0GONE", deleted=True, tz="Asia/Tokyo")
    robot = await profile(services, team_id=TEAM, user_id="U0ROBOT")
    gone = await profile(services, team_id=TEAM, user_id="U0GONE")
    nobody = await profile(services, team_id=TEAM, user_id="U0NOBODY")
    alice = await profile(services, team_id=TEAM, user_id=ALICE)
    assert (robot.is_bot, robot.deleted) == (True, False)
    assert (gone.deleted, gone.tz) == (True, "Asia/Tokyo")
    assert nobody.deleted is True
    assert (alice.is_bot, alice.deleted, alice.name) == (False, False, "Alice Adams")
    await profile(services, team_id=TEAM, user_id="U0NOBODY")
    assert lookups(local_slack) == 4, "an unknown user is remembered too"


async def test_an_unknown_zone_name_is_utc(services: Services, local_slack: LocalSlack) -> None:
    local_slack.workspace.users[ALICE]["tz"] = "Mars/Olympus_Mons"
    assert (await timezone_of(services, team_id=TEAM, user_id=ALICE)).key == "UTC"
