"""The Slack Web API client and how requests are authorized, for one workspace's bot token."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.authorization import AuthorizeResult
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import WebhookResponse

from bot.slack.failures import TRANSPORT_ERRORS, SlackClient, SlackFailure, reason_of
from bot.slack.pacing import PausingRateLimitRetry, WorkspacePause

log = logging.getLogger(__name__)

Authorize = Callable[[str | None, str | None], Awaitable[AuthorizeResult]]
AUTH_TEST_BUDGET = 1.0  # seconds; the ack must not wait on a slow Slack API


# Calls that make something new in Slack each time they are applied. A 5xx or a dropped
# connection doesn't say whether Slack applied the first attempt, so the client never
# re-sends these: the durable job that made the call retries it on its own schedule
# (still at least once), and a person's click is answered with what happened.
NOT_IDEMPOTENT = frozenset(
    {
        "chat.postMessage",
        "chat.postEphemeral",
        "chat.scheduleMessage",
        "chat.meMessage",
        "views.open",
        "views.push",
        "files.upload",
        "files.completeUploadExternal",
    }
)


def method_of(request: HttpRequest) -> str:
    return request.url.rstrip("/").rsplit("/", 1)[-1]


class _IdempotentOnly:
    """Mixin: retry only calls that can safely be applied twice."""

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if method_of(request) in NOT_IDEMPOTENT:
            return False
        return await super()._can_retry_async(  # type: ignore[misc]
            state=state, request=request, response=response, error=error
        )


class ServerErrorRetry(_IdempotentOnly, AsyncServerErrorRetryHandler):
    """5xx: retried only for calls Slack may apply twice without harm."""


class ConnectionErrorRetry(_IdempotentOnly, AsyncConnectionErrorRetryHandler):
    """A dropped connection: retried only for calls Slack may apply twice without harm."""


def web_client(*, token: str | None, base_url: str, timeout: int = 15) -> SlackClient:
    """A client that waits out 429s (Retry-After: Slack applied nothing) for every call, with
    every other call of the workspace held meanwhile, and retries 5xx and dropped
    connections only for calls that are safe to apply twice."""
    return SlackClient(
        token=token,
        base_url=base_url,
        timeout=timeout,
        retry_handlers=[
            PausingRateLimitRetry(WorkspacePause(), max_retry_count=3),
            ServerErrorRetry(max_retry_count=2),
            ConnectionErrorRetry(max_retry_count=2),
        ],
    )


def single_workspace_authorize(token: str, client: AsyncWebClient) -> Authorize:
    """Authorizes every request with the one bot token, learning the bot's ids once.

    Bolt's built-in single-team authorization calls auth.test on the first request and
    waits for it; here that call has a budget, so a slow Slack API never delays an ack.
    """
    identity: dict[str, Any] = {}
    asking: asyncio.Task[Any] | None = None

    async def learn_identity() -> dict[str, Any]:
        nonlocal asking
        if identity:
            return identity
        # One auth.test for every request that arrives before it answers; each waits for
        # it at most the budget and goes on without the bot's ids if it is late.
        if asking is None or (asking.done() and not identity):
            asking = asyncio.ensure_future(client.auth_test(token=token))
        try:
            response = await asyncio.wait_for(asyncio.shield(asking), AUTH_TEST_BUDGET)
            identity.update(response.data)
        except Exception as exc:  # noqa: BLE001 - identity is optional; asked again later
            log.warning("auth.test did not answer in time (%s); continuing", type(exc).__name__)
        return identity

    # Bolt passes arguments by name, so the parameters must be named as Bolt names them.
    async def authorize(enterprise_id: str | None, team_id: str | None) -> AuthorizeResult:
        known = await learn_identity()
        return AuthorizeResult(
            enterprise_id=enterprise_id,
            team_id=team_id,
            bot_token=token,
            bot_user_id=known.get("user_id"),
            bot_id=known.get("bot_id"),
        )

    return authorize


class SlackRespond(AsyncRespond):
    """`respond()` that raises `SlackFailure` when the response_url does not take the reply.

    Bolt's own returns the failed answer and the reply is lost without a word.
    """

    async def __call__(self, *args: Any, **kwargs: Any) -> WebhookResponse:
        try:
            answer = await super().__call__(*args, **kwargs)
        except TRANSPORT_ERRORS as exc:
            raise SlackFailure("response_url", reason_of(exc)) from exc
        if answer.status_code >= 400:
            raise SlackFailure(
                "response_url",
                f"HTTP {answer.status_code} {answer.body[:80]}",
                status=answer.status_code,
            )
        return answer
