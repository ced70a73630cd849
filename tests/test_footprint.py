"""`doorway serve` loads what serving needs and nothing more: not the console, not Alembic
on a database already at head, not the model SDK until the first model call."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory

from storage import migrate

SERVE_LOADS = """
import asyncio, json, sys
from pydantic import SecretStr
import bot.cli, bot.process
from bot.app import build_app, create_services
from bot.settings import Settings
from storage.migrate import upgrade

settings = Settings(
    _env_file=None,
    database_url=sys.argv[1],
    slack_bot_token=SecretStr("xoxb-1"),
    slack_signing_secret=SecretStr("secret"),
    openai_api_key=SecretStr("sk-test-key-0000"),
)
done = str(upgrade(settings.database_url))
services = create_services(settings)
build_app(services)
print(json.dumps({
    "upgrade": done,
    "model": services.model is not None,
    "loaded": sorted(m for m in ("openai", "alembic", "console.session") if m in sys.modules),
}))
"""


def test_serve_starts_without_the_console_alembic_or_the_model_sdk(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'doorway.db'}"
    migrate.upgrade(url)
    done = subprocess.run(
        [sys.executable, "-c", SERVE_LOADS, url], capture_output=True, text=True, check=True
    )
    seen = json.loads(done.stdout)
    assert seen["upgrade"] == f"database is already up to date (at {migrate.head()})"
    assert seen["model"] is True  # a key: the model is there, its SDK not loaded yet
    assert seen["loaded"] == []


def test_the_head_read_from_the_files_is_alembics() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    assert migrate._heads_from_files() == list(script.get_heads())
    assert migrate.head() == script.get_current_head()
