"""Putting the pieces together for one process: services, the app, the database schema."""

from __future__ import annotations

import asyncio
import logging

from bot.clock import Clock
from bot.jobs import JobRegistry
from bot.model import model_client_from
from bot.services import Services
from bot.settings import Settings
from bot.slack import web_client
from storage import migrate
from storage.engine import Database, is_sqlite

log = logging.getLogger(__name__)


def create_services(
    settings: Settings, *, clock: Clock | None = None, bot_token: str | None = None
) -> Services:
    """Everything a listener or job needs, built once per process."""
    token = bot_token or (
        settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    )
    return Services(
        settings=settings,
        db=Database(settings.database_url),
        slack=web_client(token=token, base_url=settings.slack_api_url),
        clock=clock or Clock(),
        model=model_client_from(
            settings.openai_api_key, settings.openai_base_url, settings.openai_model
        ),
        jobs=JobRegistry(),
    )


def migrate_if_embedded(settings: Settings) -> None:
    """SQLite is migrated on start; PostgreSQL waits for `doorway migrate` (the release step)."""
    if is_sqlite(settings.database_url):
        migrate.upgrade(settings.database_url)


async def ready_database(settings: Settings, services: Services) -> None:
    """Migrate SQLite, then refuse (NotMigrated, one line) a schema that is not at head."""
    # Alembic runs its own event loop: migrate in a thread.
    await asyncio.to_thread(migrate_if_embedded, settings)
    await migrate.require_head(services.db.engine)
