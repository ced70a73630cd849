"""One error handler for the whole app: friendly words for people, details for the log."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.respond.async_respond import AsyncRespond
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

log = logging.getLogger("doorway.errors")

DATABASE_DOWN = (
    ":warning: Doorway can't reach its database right now, so nothing was saved. "
    "Please try again in a minute."
)


class UserFacingError(Exception):
    """An error whose message is meant for the person who caused it."""


def is_database_down(error: BaseException) -> bool:
    return isinstance(error, OperationalError | PoolTimeout | ConnectionError | OSError) or (
        isinstance(error, DBAPIError) and error.connection_invalidated
    )


def friendly_message(error: BaseException) -> tuple[str, str | None]:
    """What to tell the person, and the id under which the details were logged (if any)."""
    if isinstance(error, UserFacingError):
        return str(error), None
    if is_database_down(error):
        log.error("database unavailable: %s", type(error).__name__)
        return DATABASE_DOWN, None
    error_id = uuid.uuid4().hex[:8]
    log.error("unexpected error %s", error_id, exc_info=error)
    return (
        f":warning: Something went wrong on Doorway's side. If it keeps happening, "
        f"quote error `{error_id}` to whoever runs Doorway."
    ), error_id


async def tell(respond: AsyncRespond | None, error: BaseException) -> None:
    """Tell the person, ephemerally, what went wrong."""
    message, _ = friendly_message(error)
    if respond is None:
        return
    try:
        await respond(text=message, response_type="ephemeral", replace_original=False)
    except Exception as exc:  # noqa: BLE001 - reporting an error must not raise another
        log.warning("could not tell the user about an error: %s", type(exc).__name__)


def register(app: AsyncApp) -> None:
    @app.error
    async def handle_error(error: Exception, body: dict[str, Any], respond: AsyncRespond) -> None:
        await tell(respond if body.get("response_url") or _has_response_urls(body) else None,
                   error)


def _has_response_urls(body: dict[str, Any]) -> bool:
    return bool(body.get("response_urls"))
