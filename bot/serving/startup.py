"""Reaching Slack at start: each token checked once, an unreachable Slack retried.

A token Slack refuses will not start working by waiting, so it stops the process with
one line naming the variable. Slack being unreachable (network, DNS, 5xx, a stall) is
retried with backoff and one log line per attempt. Every wait gives way to SIGTERM.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import TypeVar

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import Settings, SettingsError

log = logging.getLogger("doorway.startup")
T = TypeVar("T")

REJECTED = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "not_allowed_token_type",
        "missing_scope",
    }
)
ATTEMPT_TIMEOUT = 10.0  # seconds one check (or one Socket Mode connect) may take
BACKOFF_FIRST = 1.0
BACKOFF_CAP = 30.0

BOT_TOKEN_FIX = (
    "copy the Bot User OAuth Token (xoxb-…) again from your Slack app's "
    "OAuth & Permissions page (reinstall the app if it was revoked)"
)
APP_TOKEN_FIX = (
    "generate an app-level token (xapp-…) with scope connections:write under "
    "your Slack app's Basic Information > App-Level Tokens"
)


class Stopped(Exception):
    """SIGTERM or SIGINT came while waiting."""


class Unreachable(Exception):
    """Slack could not be reached this time; worth another try."""


async def until_stopped(work: Awaitable[T], stop: asyncio.Event) -> T:
    """`work`'s result, or Stopped as soon as `stop` is set (the work is cancelled).

    Bound it with `asyncio.timeout`; a timeout cancels the work too.
    """
    task = asyncio.ensure_future(work)
    stopping = asyncio.ensure_future(stop.wait())
    try:
        done, _ = await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
        if not task.done():
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
    if task in done:
        return task.result()
    raise Stopped


def backoff(attempt: int) -> float:
    """Seconds before attempt `attempt + 1`: 1, 2, 4 … 30."""
    return min(BACKOFF_FIRST * 2 ** max(attempt - 1, 0), BACKOFF_CAP)


async def check_tokens(settings: Settings) -> str:
    """Ask Slack about each token; the Socket Mode URL it issued ("" without an app token).

    Raises SettingsError for a token Slack refuses and Unreachable for anything else.
    """
    # No retry handlers: each attempt is one request, and one log line if it fails.
    client = AsyncWebClient(
        base_url=settings.slack_api_url, timeout=int(ATTEMPT_TIMEOUT), retry_handlers=[]
    )
    if settings.slack_bot_token is None:
        return ""  # OAuth: each workspace's token was checked by its install
    await _ask(
        client.auth_test(token=settings.slack_bot_token.get_secret_value()),
        "SLACK_BOT_TOKEN",
        BOT_TOKEN_FIX,
    )
    if settings.slack_app_token is None:
        return ""
    opened = await _ask(
        client.apps_connections_open(app_token=settings.slack_app_token.get_secret_value()),
        "SLACK_APP_TOKEN",
        APP_TOKEN_FIX,
    )
    return str(opened["url"])


async def _ask(call: Awaitable[T], variable: str, fix: str) -> T:
    try:
        return await call
    except SlackApiError as exc:
        error = exc.response.get("error") or "error"
        if error in REJECTED:
            raise SettingsError(f"{variable} was rejected by Slack ({error}): {fix}") from None
        raise Unreachable(f"Slack answered {exc.response.status_code} {error}") from None
    except (aiohttp.ClientError, OSError, TimeoutError) as exc:
        raise Unreachable(type(exc).__name__) from None


async def reach(attempt: Awaitable[T], *, stop: asyncio.Event, number: int, url: str) -> T | None:
    """One attempt at Slack within ATTEMPT_TIMEOUT; None (after a logged backoff) if it failed.

    Raises Stopped if SIGTERM comes, and SettingsError if a token is refused.
    """
    try:
        async with asyncio.timeout(ATTEMPT_TIMEOUT):
            return await until_stopped(attempt, stop)
    except TimeoutError:
        reason = f"no answer in {ATTEMPT_TIMEOUT:.0f} s"
    except Unreachable as exc:
        reason = str(exc)
    delay = backoff(number)
    log.warning(
        "can't reach Slack at %s (%s); attempt %d, trying again in %.0f s",
        url,
        reason,
        number,
        delay,
    )
    await until_stopped(asyncio.sleep(delay), stop)
    return None


async def tokens_checked(
    settings: Settings, stop: asyncio.Event, *, after: int = 0
) -> tuple[str, int]:
    """Each token checked with Slack, retried until Slack answers.

    Returns the Socket Mode URL Slack issued ("" without an app token) and the number of
    the attempt that got it (counting on from `after`). Raises SettingsError when Slack
    refuses a token and Stopped when a signal comes first.
    """
    attempt = after
    while True:
        attempt += 1
        wss_url = await reach(
            check_tokens(settings), stop=stop, number=attempt, url=settings.slack_api_url
        )
        if wss_url is not None:
            return wss_url, attempt


class OneLine(logging.Filter):
    """slack_sdk logs each failed Socket Mode connect with its traceback: keep one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True
