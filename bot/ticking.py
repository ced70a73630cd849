"""`doorway tick`: one pass over everything due, in a short-lived process."""

from __future__ import annotations

import asyncio
from datetime import datetime

from bot.app import build_app
from bot.jobs import TickReport, run_due
from bot.runtime import create_services, migrate_if_embedded
from bot.settings import Settings, SettingsError


async def tick_once(settings: Settings, *, at: datetime) -> TickReport:
    if settings.slack_bot_token is None:
        raise SettingsError("SLACK_BOT_TOKEN is not set: `doorway tick` sends messages to Slack")
    # Alembic runs its own event loop: migrate in a thread, as `serve` does.
    await asyncio.to_thread(migrate_if_embedded, settings)
    services = create_services(settings)
    build_app(services, signing_secret="unused-by-tick")  # registers each room's jobs
    try:
        return await run_due(services, at=at)
    finally:
        await services.aclose()
