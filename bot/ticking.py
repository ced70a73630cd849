"""`doorway tick`: one pass over everything due, in a short-lived process."""

from __future__ import annotations

from datetime import datetime

from bot.app import create_services
from bot.jobs import TickReport, run_due
from bot.runtime import ready_database
from bot.settings import Settings, SettingsError


async def tick_once(settings: Settings, *, at: datetime) -> TickReport:
    if settings.slack_bot_token is None:
        raise SettingsError("SLACK_BOT_TOKEN is not set: `doorway tick` sends messages to Slack")
    services = create_services(settings)
    try:
        await ready_database(settings, services)
        return await run_due(services, at=at)
    finally:
        await services.aclose()
