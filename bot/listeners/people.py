"""Who people are, as Slack's users.info says: time zone, bot or not, still around.

Answers are kept in UserProfile and asked again when older than a day, so a person who
moves gets reminders in their new zone and a busy tick does not ask Slack for everyone.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk.errors import SlackApiError

from bot.services import Services
from bot.slack.failures import SlackFailure
from storage.models import UserProfile
from storage.queries import people as q

log = logging.getLogger(__name__)

FRESH_FOR = timedelta(days=1)
NAME_MAX = 200
UTC_ZONE = ZoneInfo("UTC")


def zone(name: str | None) -> ZoneInfo:
    """The zone called `name`, or UTC when Slack gave none we know."""
    if not name:
        return UTC_ZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC_ZONE


async def profile(
    services: Services, *, team_id: str, user_id: str, cached: UserProfile | None = None
) -> UserProfile:
    """What Slack says about a person: from the cache when fresh, else from users.info.

    When Slack can't be asked, the cached profile is used however old, else a UTC
    profile (not stored). A user Slack doesn't know is stored as deleted. `cached` is the
    stored profile when the caller has read it already (with others: `stored_profiles`).
    """
    now = services.clock.now()
    if cached is None:
        async with services.db.session() as session:
            cached = await q.get_profile(session=session, team_id=team_id, user_id=user_id)
    if cached is not None and now - cached.fetched_at < FRESH_FOR:
        return cached
    try:
        response = await (await services.slack_for(team_id)).users_info(user=user_id)
        fresh = _from_slack(team_id, user_id, response["user"], now)
    except SlackApiError as exc:
        error = exc.response.get("error")
        if error != "user_not_found":
            log.info(
                "users.info for %s failed (%s); using %s",
                user_id,
                error,
                "the cached profile" if cached else "UTC",
            )
            return cached or UserProfile(team_id=team_id, user_id=user_id, fetched_at=now)
        fresh = UserProfile(
            team_id=team_id,
            user_id=user_id,
            deleted=True,
            fetched_at=now,
            tz=cached.tz if cached else "UTC",
        )
    except SlackFailure as exc:
        log.info("users.info for %s unreachable (%s)", user_id, exc.reason)
        return cached or UserProfile(team_id=team_id, user_id=user_id, fetched_at=now)
    async with services.db.session() as session:
        await q.save_profile(session=session, profile=fresh)
    return fresh


async def timezone_of(services: Services, *, team_id: str, user_id: str) -> ZoneInfo:
    """A person's time zone (UTC if Slack can't tell us)."""
    found = await profile(services, team_id=team_id, user_id=user_id)
    return zone(found.tz)


def _from_slack(team_id: str, user_id: str, user: dict[str, Any], now: datetime) -> UserProfile:
    name = user.get("real_name") or (user.get("profile") or {}).get("real_name") or user.get("name")
    tz = user.get("tz")
    return UserProfile(
        team_id=team_id,
        user_id=user_id,
        tz=zone(tz).key if tz else "UTC",
        is_bot=bool(user.get("is_bot")) or user_id == "USLACKBOT",
        deleted=bool(user.get("deleted")),
        name=str(name)[:NAME_MAX] if name else None,
        fetched_at=now.astimezone(UTC),
    )
