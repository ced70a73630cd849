"""Reading the fields a listener needs from a Slack request: ids, a button's value, a date.

Slack always sends these, well formed; a request without them was forged, cut short or
built by hand. The gate (bot/serving/gate.py) checks only what Bolt itself reads, so a listener
reads the rest through here: what is missing or mistyped raises `Incomplete`, which
`bot.errors.guarded` tells the person ("try again") and logs in one line, like a form
from before a deploy (bot/listeners/forms.py), instead of a KeyError and a traceback.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import Enum
from typing import Any, TypeVar

from bot.errors import UserFacingError

E = TypeVar("E", bound=Enum)

INCOMPLETE = (
    ":warning: That request reached Doorway incomplete, so nothing was done. "
    "Please try the command or the button again."
)
# Ids Doorway writes into buttons are database ids: a bigint has at most 19 digits.
NUMBER_DIGITS = 18
# Ids Doorway writes are database integers (int4 on PostgreSQL): anything larger was not.
LARGEST_ID = 2**31 - 1


class Incomplete(UserFacingError):
    """A request lacks a field Doorway reads from it, or has it in a shape Slack never sends."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(INCOMPLETE)
        self.field = field
        self.log_line = f"a Slack request was not acted on: its {field} {problem}"


def text(payload: Mapping[str, Any], name: str, *, required: bool = True) -> str:
    """A field Slack sends as text (an id, a trigger_id); "" if absent and not `required`."""
    value = payload.get(name)
    if value is None or value == "":
        if required:
            raise Incomplete(name, "is missing")
        return ""
    if not isinstance(value, str):
        raise Incomplete(name, f"is {type(value).__name__}, not text")
    return value


def number(payload: Mapping[str, Any], name: str) -> int:
    """A field Doorway wrote as a whole number (a button's value: a decision's id)."""
    return whole(text(payload, name), name)


def whole(value: str, name: str) -> int:
    """`value` (part of the field `name`) as a whole number."""
    if value.isascii() and value.isdigit() and len(value) <= NUMBER_DIGITS:
        if int(value) <= LARGEST_ID:
            return int(value)
    raise Incomplete(name, "is not a number")


def day(payload: Mapping[str, Any], name: str) -> date:
    """A date Slack sends as YYYY-MM-DD (a datepicker's `selected_date`)."""
    value = text(payload, name)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Incomplete(name, "is not a date") from None


def member(kind: type[E], value: str, name: str) -> E:
    """`value` (part of the field `name`) as one of `kind`'s members."""
    try:
        return kind(value)
    except ValueError:
        raise Incomplete(name, f"is not a {kind.__name__}") from None


def user_id(body: Mapping[str, Any]) -> str:
    """Who sent the request: `user.id` in an interactive payload, `user_id` in a command."""
    user = body.get("user")
    if isinstance(user, Mapping):
        return text(user, "id")
    return text(body, "user_id")


def enterprise_id(body: Mapping[str, Any]) -> str | None:
    """The Enterprise Grid org, if any: `enterprise.id` in a payload, `enterprise_id` in a
    command."""
    enterprise = body.get("enterprise")
    if isinstance(enterprise, Mapping):
        return text(enterprise, "id", required=False) or None
    return text(body, "enterprise_id", required=False) or None


def pressed_in(body: Mapping[str, Any]) -> str | None:
    """The channel of the message a button was pressed in, as Slack says it: `channel.id`,
    else the container's `channel_id`; None for a press in a modal or App Home."""
    channel = body.get("channel")
    container = body.get("container")
    found = (channel.get("id") if isinstance(channel, Mapping) else None) or (
        container.get("channel_id") if isinstance(container, Mapping) else None
    )
    return found if isinstance(found, str) else None
