"""Logging set-up that never writes a secret, whatever a library decides to log."""

from __future__ import annotations

import logging
import re
import sys

from aiohttp.http_exceptions import HttpProcessingError

from bot.settings import Settings

# Slack tokens and OpenAI-style keys, wherever they appear in a message or its arguments.
TOKEN = re.compile(r"\b(?:xox[abposr]|xapp)-[A-Za-z0-9-]+|\bsk-[A-Za-z0-9_-]{8,}")
# Request bodies Bolt logs on a bad signature carry the legacy verification token and the
# response_url, which lets anyone post into the conversation for half an hour.
FIELD = re.compile(r"((?:token|response_url)(?:=|%22%3A%22|\"\s*:\s*\"))[^&\"\s]+")


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if len(s) >= 6]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = self.redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info:
            # Tracebacks quote the failing call's arguments; format now, redacted.
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True

    def redact(self, text: str) -> str:
        text = FIELD.sub(r"\1[redacted]", TOKEN.sub("[redacted]", text))
        for secret in self._secrets:
            text = text.replace(secret, "[redacted]")
        return text


class DropBoltTokenNotices(logging.Filter):
    """Bolt warns that SLACK_BOT_TOKEN in the environment is unused when an app brings its
    own client and authorize, as Doorway does on purpose; operators need not see it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not ("will be ignored" in message or "will be unused" in message)


class OneLineBadRequests(logging.Filter):
    """aiohttp logs a request it can't parse (a bad request line, header or Content-Length)
    at ERROR with a traceback, though it is the client's mistake and answered 400: here it
    becomes one WARNING line. A failure of Doorway's own (a 500) keeps its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, HttpProcessingError) and 400 <= error.code < 500:
            reason = (error.message or type(error).__name__).strip().splitlines()[0]
            record.msg = f"{record.getMessage()}: answered {error.code}, {reason.rstrip(':')}"
            record.args, record.exc_info, record.exc_text = None, None, None
            if record.levelno > logging.WARNING:
                record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


ONE_LINE_BAD_REQUESTS = OneLineBadRequests()


def configure(settings: Settings) -> None:
    secrets = [
        value.get_secret_value()
        for value in (
            settings.slack_bot_token,
            settings.slack_signing_secret,
            settings.slack_app_token,
            settings.openai_api_key,
        )
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
        for noisy in (
            "slack_bolt",
            "slack_sdk",
            "aiohttp.access",
            "apscheduler",
            "httpx",
            "alembic",
            "sqlalchemy.engine",
        ):
            logging.getLogger(noisy).setLevel(logging.WARNING)
