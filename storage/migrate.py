"""Alembic, driven from code: `doorway migrate` and start-up on SQLite."""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at the migrations shipped inside the package."""
    config = Config()
    config.set_main_option("script_location", str(resources.files("storage") / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["configure_logging"] = False
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at `url` (any form DATABASE_URL accepts) up to `revision`."""
    from storage.engine import async_url

    command.upgrade(alembic_config(async_url(url)), revision)
