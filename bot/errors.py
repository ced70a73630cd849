"""One error handler for the whole app: friendly words for people, details for the log."""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, cast

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.inflight import after_ack_in_turn, tracked
from bot.slack.failures import what_failed
from storage.engine import Writes, watching_writes

log = logging.getLogger("doorway.errors")
Listener = TypeVar("Listener", bound=Callable[..., Awaitable[None]])

DATABASE_DOWN = (
    ":warning: Doorway can't reach its database right now, so nothing was saved. "
    "Please try again in a minute."
)
SLACK_FAILED_SAVED = (
    ":warning: Slack didn't take Doorway's reply, but what you did was saved, so there is "
    "no need to do it again. The card or message may be missing or out of date for now."
)
SLACK_FAILED_UNSAVED = (
    ":warning: Slack didn't answer Doorway, so nothing was done or saved. "
    "Please try again in a minute."
)


class UserFacingError(Exception):
    """An error whose message is meant for the person who caused it.

    `log_line`, when set, is what operators should know about it (logged once, no trace).
    """

    log_line: str | None = None


def friendly_message(error: BaseException, writes: Writes | None = None) -> tuple[str, str | None]:
    """What to tell the person, and the id under which the details were logged (if any).

    `writes` says whether the request had saved anything before it failed: a Slack failure
    after the decision was stored must not tell the person that nothing was saved.
    """
    if isinstance(error, UserFacingError):
        if error.log_line:
            log.warning("%s", error.log_line)
        return str(error), None
    failed = what_failed(error)
    if failed == "database":
        log.error("the database failed: %s", error)
        return DATABASE_DOWN, None
    if failed == "slack":
        saved = writes is not None and writes.committed
        log.error("Slack failed (%s): %s", "after saving" if saved else "nothing saved", error)
        return (SLACK_FAILED_SAVED if saved else SLACK_FAILED_UNSAVED), None
    error_id = uuid.uuid4().hex[:8]
    log.error("unexpected error %s", error_id, exc_info=error)
    return (
        f":warning: Something went wrong on Doorway's side. If it keeps happening, "
        f"quote error `{error_id}` to whoever runs Doorway."
    ), error_id


async def tell(
    respond: AsyncRespond | None,
    error: BaseException,
    *,
    client: AsyncWebClient | None = None,
    user_id: str | None = None,
    writes: Writes | None = None,
) -> None:
    """Tell the person what went wrong: ephemerally where Slack allows, else by DM."""
    message, _ = friendly_message(error, writes)
    if respond is not None and respond.response_url:
        try:
            await respond(text=message, response_type="ephemeral", replace_original=False)
            return
        except Exception as exc:  # noqa: BLE001 - reporting an error must not raise another
            log.warning("could not tell the user about an error in the reply: %s", exc)
    if client is not None and user_id:
        try:
            await client.chat_postMessage(channel=user_id, text=message)
        except Exception as exc:  # noqa: BLE001 - there is no one left to tell
            log.warning("could not tell the user about an error by DM either: %s", exc)


def guarded(listener: Listener) -> Listener:
    """How every room registers a listener: a failure is told to the person, never to Bolt.

    After `ack()` it must not escape: Bolt's runner, seeing a listener fail moments after
    the ack, replaces the acknowledged response with none and Slack is answered 404.
    Before the ack it must not either: the runner would answer 500, and Slack shows the
    person a generic "trouble connecting". So the failure is acknowledged here: a modal's
    submission is answered by replacing the modal with the friendly message; anything else
    is acked and the person told ephemerally (or by DM). Bolt finds the arguments to pass
    by unwrapping, so the listener keeps asking only for what it uses. Its `ack()` lets
    the work after it wait its turn (bot/inflight.py `AckFirst`).
    """

    @functools.wraps(listener)
    async def run(**kwargs: Any) -> None:
        with tracked(), watching_writes() as writes, after_ack_in_turn(kwargs) as arguments:
            await _run_reporting(listener, arguments, writes)

    return cast(Listener, run)


async def _run_reporting(
    listener: Callable[..., Awaitable[None]], kwargs: dict[str, Any], writes: Writes
) -> None:
    try:
        await listener(**kwargs)
    except Exception as error:  # noqa: BLE001 - told to the person; friendly_message logs it
        ack = kwargs.get("ack")
        body = kwargs.get("body") or {}
        if ack is not None and ack.response is None:
            if body.get("type") == "view_submission":
                message, _ = friendly_message(error, writes)
                await ack(response_action="update", view=notice_view(message))
                return
            await ack()
        context = kwargs.get("context")  # has respond and client when the listener doesn't
        await tell(
            kwargs.get("respond") or getattr(context, "respond", None),
            error,
            client=kwargs.get("client") or getattr(context, "client", None),
            user_id=(body.get("user") or {}).get("id") or body.get("user_id"),
            writes=writes,
        )


def notice_view(message: str) -> dict[str, Any]:
    """A modal that only says `message` (Doorway's own words), with a Close button."""
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Doorway"},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": message}}],
    }


def register(app: AsyncApp) -> None:
    @app.error
    async def handle_error(error: Exception, respond: AsyncRespond | None) -> None:
        await tell(respond, error)
