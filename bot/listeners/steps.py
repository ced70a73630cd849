"""Workflow Builder custom steps: reading a step's inputs, and ending it either way.

Slack runs a step by sending a `function_executed` event with the step's `inputs`; the
step ends only when the app calls `functions.completeSuccess` (Bolt's `complete`) or
`functions.completeError` (`fail`). A workflow left hanging tells nobody anything, so
`step()` makes sure every run ends: what the listener raises becomes `fail`, in one line
that says what failed and what to do, for whoever built the workflow.

Inputs come from whatever the workflow's builder mapped into them, so each is checked
here: a missing or mistyped one is a `StepInputError` naming the input.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any, TypeVar, cast

from bot.errors import UserFacingError, friendly_message, guarded

Listener = TypeVar("Listener", bound=Callable[..., Awaitable[None]])

USER = re.compile(r"[UW][A-Z0-9]{1,30}")
CHANNEL = re.compile(r"[CGD][A-Z0-9]{1,30}")
_EMOJI = re.compile(r"^(?::[a-z_+-]+:\s*)+")
ERROR_MAX = 500  # one line in Workflow Builder's activity, not an essay


class StepInputError(UserFacingError):
    """A step's input is missing or not what the step takes; the message says which."""


def step(listener: Listener) -> Listener:
    """How a room registers a custom step's listener: any failure ends the step with
    `fail`, in one line, and is logged like any listener's (bot.errors)."""

    @functools.wraps(listener)
    async def run(**kwargs: Any) -> None:
        context = kwargs["context"]
        try:
            await listener(**kwargs)
        except Exception as error:  # noqa: BLE001 - the step must end; friendly_message logs it
            message, _ = friendly_message(error)
            fail = context.fail
            if not fail.has_been_called() and not context.complete.has_been_called():
                await fail(error=one_line(message))

    return cast(Listener, guarded(run))


def one_line(message: str) -> str:
    """Doorway's words for a person, as one plain line for Workflow Builder."""
    line = " ".join(_EMOJI.sub("", message).split())
    return line if len(line) <= ERROR_MAX else line[: ERROR_MAX - 1] + "…"


def text(inputs: Mapping[str, Any], name: str, *, limit: int, required: bool = True) -> str:
    """A string input, stripped; "" when optional and not given."""
    value = inputs.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise StepInputError(f"The step's `{name}` input is empty: map some text into it.")
        return ""
    if not isinstance(value, str):
        raise StepInputError(f"The step's `{name}` input is not text: map text into it.")
    if len(value) > limit:
        raise StepInputError(
            f"The step's `{name}` input is {len(value):,} characters; "
            f"Doorway takes up to {limit:,}. Shorten it and run the workflow again."
        )
    return value.strip()


def user(inputs: Mapping[str, Any], name: str, *, required: bool = True) -> str | None:
    """A `slack#/types/user_id` input."""
    value = inputs.get(name)
    if value in (None, ""):
        if required:
            raise StepInputError(f"The step's `{name}` input is empty: pick a person for it.")
        return None
    if not (isinstance(value, str) and USER.fullmatch(value)):
        raise StepInputError(f"The step's `{name}` input is not a person: pick one for it.")
    return value


def users(inputs: Mapping[str, Any], name: str) -> list[str]:
    """An array of `slack#/types/user_id`, each once, in the order given."""
    value = inputs.get(name)
    if value in (None, ""):
        return []
    if isinstance(value, str):  # a single person mapped into an array input
        value = [value]
    if not isinstance(value, list):
        raise StepInputError(f"The step's `{name}` input is not a list of people.")
    for item in value:
        if not (isinstance(item, str) and USER.fullmatch(item)):
            raise StepInputError(f"The step's `{name}` input holds something that isn't a person.")
    return list(dict.fromkeys(value))


def channel(inputs: Mapping[str, Any], name: str) -> str | None:
    """An optional `slack#/types/channel_id` input."""
    value = inputs.get(name)
    if value in (None, ""):
        return None
    if not (isinstance(value, str) and CHANNEL.fullmatch(value)):
        raise StepInputError(f"The step's `{name}` input is not a channel: pick one for it.")
    return value


def day(inputs: Mapping[str, Any], name: str) -> date | None:
    """An optional `slack#/types/date` (YYYY-MM-DD) or `slack#/types/timestamp` input."""
    value = inputs.get(name)
    if value in (None, ""):
        return None
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return datetime.fromtimestamp(value, UTC).date()
        if isinstance(value, str):
            return date.fromisoformat(value.strip()[:10])
    except (ValueError, OverflowError, OSError):
        pass
    raise StepInputError(f"The step's `{name}` input is not a date (YYYY-MM-DD).")
