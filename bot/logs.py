"""Logging set-up that never writes a secret, whatever a library decides to log."""

from __future__ import annotations

import logging
import re
import sys

from bot.settings import Settings

# Slack tokens and OpenAI-style keys, wherever they appear in a message or its arguments.
TOKEN = re.compile(r"\b(?:xox[abposr]|xapp)-[A-Za-z0-9-]+|\bsk-[A-Za-z0-9_-]{8,}")


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if len(s) >= 6]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = TOKEN.sub("[redacted]", message)
        for secret in self._secrets:
            clean = clean.replace(secret, "[redacted]")
        if clean != message:
            record.msg, record.args = clean, None
        return True


class DropBoltTokenNotices(logging.Filter):
    """Bolt warns that SLACK_BOT_TOKEN in the environment is unused when an app brings its
    own client and authorize, as Doorway does on purpose; operators need not see it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not ("will be ignored" in message or "will be unused" in message)


def configure(settings: Settings) -> None:
    secrets = [
        value.get_secret_value()
        for value in (settings.slack_bot_token, settings.slack_signing_secret,
                      settings.slack_app_token, settings.openai_api_key)
        if value is not None
    ]
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.doorway_log_level)
    logging.getLogger("slack_bolt.AsyncApp").addFilter(DropBoltTokenNotices())
    # Libraries' chatter stays at WARNING unless we are debugging.
    if settings.doorway_log_level != "DEBUG":
        for noisy in ("slack_bolt", "slack_sdk", "aiohttp.access", "apscheduler", "httpx",
                      "alembic", "sqlalchemy.engine"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
