"""Readying the database for one process (bot/app.py builds the services and the app)."""

from __future__ import annotations

import asyncio
import logging

from bot.services import Services
from bot.settings import Settings
from storage import migrate
from storage.engine import is_sqlite

log = logging.getLogger(__name__)


def migrate_if_embedded(settings: Settings) -> None:
    """SQLite is migrated on start; PostgreSQL waits for `doorway migrate` (the release step)."""
    if is_sqlite(settings.database_url):
        migrate.upgrade(settings.database_url)


async def ready_database(settings: Settings, services: Services) -> None:
    """Migrate SQLite, then refuse (NotMigrated, one line) a schema that is not at head."""
    # Alembic runs its own event loop: migrate in a thread.
    await asyncio.to_thread(migrate_if_embedded, settings)
    await migrate.require_head(services.db.engine)
