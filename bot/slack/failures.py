"""What failed: Slack or the database. One definition for every room, the CLI and the log.

A bare `OSError` or `TimeoutError` says nothing about where it came from, so failures are
named where they happen: the Slack clients (`SlackClient` here, `bot.slack.client.SlackRespond` for
response_urls) turn their transport failures into `SlackFailure`, and `Database.session`
turns connection failures into `DatabaseFailure` (see storage/engine.py). Slack's own
refusals (`SlackApiError`) already say where they came from and are left as they are, since
rooms read their error codes.
"""

from __future__ import annotations

from typing import Any

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError, SlackClientError, SlackRequestError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.slack.pacing import PausingRateLimitRetry
from storage.engine import DatabaseFailure, is_database_failure

__all__ = [
    "SLACK_FAILURES",
    "DatabaseFailure",
    "SlackClient",
    "SlackFailure",
    "is_database_failure",
    "is_slack_failure",
    "what_failed",
]

# How a call to Slack fails without an answer: no connection, a dropped one, no reply in time.
TRANSPORT_ERRORS = (ClientError, TimeoutError, OSError, SlackRequestError)


class SlackFailure(Exception):
    """A call to Slack got no usable answer (no connection, a timeout, a 5xx)."""

    def __init__(self, method: str, reason: str, *, status: int | None = None) -> None:
        super().__init__(f"Slack {method}: {reason}")
        self.method = method
        self.reason = reason
        self.status = status  # the HTTP status, when Slack answered with one

    @property
    def worth_retrying(self) -> bool:
        """No answer, or a 5xx: the same call may go through later (a 4xx won't)."""
        return self.status is None or self.status >= 500


# What `except` clauses catch for "Slack refused (ok: false, 4xx/5xx) or did not answer".
SLACK_FAILURES = (SlackFailure, SlackApiError, SlackRequestError)


def is_slack_failure(error: BaseException) -> bool:
    """Slack refused (`ok: false`, 4xx/5xx) or did not answer a call Doorway made."""
    return isinstance(error, SLACK_FAILURES)


def what_failed(error: BaseException) -> str | None:
    """ "slack", "database", or None when the error is neither (a bug, bad input…)."""
    if is_database_failure(error):
        return "database"
    if is_slack_failure(error):
        return "slack"
    return None


def reason_of(error: BaseException) -> str:
    """The error's type and first line, short enough for a log line or a SlackFailure."""
    text = str(error).strip().splitlines()[0][:120] if str(error).strip() else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def slack_error(error: BaseException) -> str:
    """What Slack said (`channel_not_found`…), or why it could not be asked."""
    if isinstance(error, SlackApiError):
        return str(error.response.get("error") or "error")
    if isinstance(error, SlackFailure):
        return error.reason
    return type(error).__name__


def refused(error: BaseException) -> bool:
    """Slack answered and refused (ok: false): trying again won't help."""
    return isinstance(error, SlackApiError) and error.response.status_code == 200


class SlackClient(AsyncWebClient):
    """The Web API client whose failures to reach Slack say so (`SlackFailure`)."""

    async def api_call(self, api_method: str, **kwargs: Any) -> AsyncSlackResponse:  # type: ignore[override]
        # While Slack has this workspace on hold (a 429's Retry-After), no call goes out.
        for handler in self.retry_handlers:
            if isinstance(handler, PausingRateLimitRetry):
                await handler.pause.wait(self.token or "")
        try:
            return await super().api_call(api_method, **kwargs)
        except SlackApiError:
            raise
        except SlackClientError as exc:
            if isinstance(exc, SlackRequestError):
                raise SlackFailure(api_method, reason_of(exc)) from exc
            raise
        except TRANSPORT_ERRORS as exc:
            raise SlackFailure(api_method, reason_of(exc)) from exc

    @classmethod
    def like(cls, client: AsyncWebClient, *, token: str | None) -> SlackClient:
        """The same client settings (retries, timeout, URL) with another token."""
        return cls(
            token=token,
            base_url=client.base_url,
            timeout=client.timeout,
            ssl=client.ssl,
            proxy=client.proxy,
            headers=dict(client.headers),
            retry_handlers=list(client.retry_handlers),
        )
