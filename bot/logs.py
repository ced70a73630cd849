"""Logging set-up that never writes a secret, whatever a library decides to log."""

from __future__ import annotations

import atexit
import logging
import logging.handlers
import queue
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


# Libraries that log every call they make at INFO: at WARNING unless we are debugging.
NOISY = (
    "slack_bolt",
    "slack_sdk",
    "aiohttp.access",
    "apscheduler",
    "httpx",
    "httpx2",  # what the openai SDK sends through: "HTTP Request: POST …" for each call
    "openai",
    "alembic",
    "sqlalchemy.engine",
)

_listener: logging.handlers.QueueListener | None = None


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
    root.handlers[:] = [write_behind(handler)]
    root.setLevel(settings.doorway_log_level)
    logging.getLogger("slack_bolt.AsyncApp").addFilter(DropBoltTokenNotices())
    if settings.doorway_log_level != "DEBUG":
        for noisy in NOISY:
            logging.getLogger(noisy).setLevel(logging.WARNING)


def write_behind(handler: logging.Handler) -> logging.Handler:
    """A handler that queues each record for `handler`, which writes it in a thread.

    A slow or blocked stderr (a full pipe, a stalled log shipper) then never stalls the
    event loop. The record's message (traceback included) is made in the caller's thread,
    so it says what was true when it was logged; redaction and writing happen in the
    thread. Everything queued is written before the process exits.
    """
    global _listener
    if _listener is not None:  # configured again (tests): the old thread writes what it has
        _listener.stop()
    records: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
    _listener = logging.handlers.QueueListener(records, handler, respect_handler_level=True)
    _listener.start()
    return logging.handlers.QueueHandler(records)


@atexit.register
def flush() -> None:
    """Write what is still queued and stop the writer (at exit)."""
    global _listener
    if _listener is not None:
        _listener.stop()
        _listener = None
