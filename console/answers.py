"""Reading what a person types for one element, as the state Slack would send for it.

Each answer becomes the element's entry in `view.state.values` (or a press's action)
exactly as Slack builds it: `value`, `selected_date`, `selected_user`, `selected_users`,
`selected_option`, `selected_date_time` (seconds since the epoch), `selected_conversation`,
`rich_text_value`. Only the input elements Doorway uses are read (a test keeps them in step
with the rooms).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, tzinfo
from decimal import Decimal
from typing import Any

from console import values, when
from console.mrkdwn import Names
from console.people import Directory

State = dict[str, Any]

# What each input element's state is called, what seeds it, and what it is when empty
# (Slack sends an empty field's key with a null, or with an empty rich text).
STATE_KEY: dict[str, tuple[str, str, Any]] = {
    "plain_text_input": ("value", "initial_value", None),
    "number_input": ("value", "initial_value", None),
    "rich_text_input": ("rich_text_value", "initial_value", values.empty_rich_text()),
    "datepicker": ("selected_date", "initial_date", None),
    "datetimepicker": ("selected_date_time", "initial_date_time", None),
    "static_select": ("selected_option", "initial_option", None),
    "users_select": ("selected_user", "initial_user", None),
    "multi_users_select": ("selected_users", "initial_users", []),
    "conversations_select": ("selected_conversation", "initial_conversation", None),
}
HINT = {
    "datepicker": when.DATE_HINT,
    "datetimepicker": when.DATE_TIME_HINT,
    "static_select": "a number from the list, or what it says",
    "users_select": "a name",
    "multi_users_select": "names, separated by spaces or commas",
}
_WHOLE = re.compile(r"^-?\d+$")
_DECIMAL = re.compile(r"^-?(\d+\.?\d*|\.\d+)$")


class FormError(ValueError):
    """An answer that doesn't fit the field; the message says what would."""


@dataclass(frozen=True)
class Field:
    block_id: str
    action_id: str
    element: dict[str, Any]
    label: str
    optional: bool
    hint: str

    @property
    def kind(self) -> str:
        return str(self.element.get("type", "plain_text_input"))

    @property
    def key(self) -> str:
        return _key(self.kind)[0]

    def initial(self) -> State:
        key, seed, empty = _key(self.kind)
        return {"type": self.kind, key: copy.deepcopy(self.element.get(seed, empty))}

    def empty(self) -> State:
        key, _, empty = _key(self.kind)
        return {"type": self.kind, key: copy.deepcopy(empty)}


def _key(kind: str) -> tuple[str, str, Any]:
    return STATE_KEY.get(kind, STATE_KEY["plain_text_input"])


@dataclass(frozen=True)
class Reading:
    """What an answer is read against: who is named, and the reader's day and zone."""

    directory: Directory
    today: date
    zone: tzinfo


def describe(state: State, names: Names, zone: tzinfo = UTC) -> str:
    """A field's current value as a person would see it in the modal."""
    for key, value in state.items():
        shown = "" if key == "type" else values.shown(key, value, names, zone)
        if shown:
            return shown.replace("\n", " ⏎ ")  # a rich text's sections, a multiline text
    return ""


def hint(element: dict[str, Any], directory: Directory) -> str:
    """What an answer to this element looks like ("" for free text)."""
    kind = str(element.get("type", ""))
    if kind == "number_input":
        return _number_hint(element)
    if kind == "conversations_select":
        return f"a channel: {directory.channel_list()}"
    return HINT.get(kind, "")


def choices(element: dict[str, Any]) -> list[str]:
    """The numbered options to pick from, for a select; none for other elements."""
    return values.listing(element) if element.get("type") == "static_select" else []


def parse(
    field: Field, text: str, directory: Directory, *, today: date, zone: tzinfo = UTC
) -> State:
    """The answer `text` as the element's state; raises FormError when it doesn't fit."""
    reading = Reading(directory, today, zone)
    try:
        value: Any = _PARSERS.get(field.kind, _text)(text, field.element, reading)
    except when.WhenError as exc:
        raise FormError(str(exc)) from None
    return {"type": field.kind, field.key: value}


def _text(text: str, element: dict[str, Any], _: Reading) -> str:
    limit, least = element.get("max_length"), element.get("min_length")
    if limit and len(text) > int(limit):
        raise FormError(f"That's {len(text):,} characters; this field takes up to {limit}.")
    if least and len(text) < int(least):
        raise FormError(f"This field needs at least {least} characters.")
    return text


def _rich(text: str, _: dict[str, Any], __: Reading) -> dict[str, Any]:
    return values.rich_text(text)


def _number(text: str, element: dict[str, Any], _: Reading) -> str:
    """The number as typed (Slack sends a number input's value as a string)."""
    whole = element.get("is_decimal_allowed") is not True
    if not (_WHOLE if whole else _DECIMAL).match(text):
        raise FormError(f"That isn't {_number_hint(element)}.")
    least, most = element.get("min_value"), element.get("max_value")
    if (least is not None and Decimal(text) < Decimal(str(least))) or (
        most is not None and Decimal(text) > Decimal(str(most))
    ):
        raise FormError(f"That's out of range: this field takes {_number_hint(element)}.")
    return text


def _number_hint(element: dict[str, Any]) -> str:
    what = "a number" if element.get("is_decimal_allowed") is True else "a whole number"
    least, most = element.get("min_value"), element.get("max_value")
    if least is not None and most is not None:
        return f"{what} from {least} to {most}"
    if least is not None:
        return f"{what}, {least} or more"
    if most is not None:
        return f"{what}, {most} or less"
    return what


def _option(text: str, element: dict[str, Any], _: Reading) -> dict[str, Any]:
    """The option picked by its number in the list, its label, or the start of its label."""
    menu = values.options(element)
    if text.isdigit() and 1 <= int(text) <= len(menu):
        return copy.deepcopy(menu[int(text) - 1])
    wanted = text.casefold()
    labels = [values.option_label(o).casefold() for o in menu]
    for fits in (str.__eq__, str.startswith, str.__contains__):
        matches = [n for n, label in enumerate(labels) if fits(label, wanted)]
        if len(matches) == 1:
            return copy.deepcopy(menu[matches[0]])
        if matches:
            which = " or ".join(str(n + 1) for n in matches)
            raise FormError(f"{text!r} fits more than one: pick {which}.")
    raise FormError(f"Pick one by its number, 1 to {len(menu)}, or by what it says.")


def _moment(text: str, _: dict[str, Any], reading: Reading) -> int:
    found = when.parse_date_time(text, today=reading.today, zone=reading.zone)
    return int(found.timestamp())


def _conversation(text: str, _: dict[str, Any], reading: Reading) -> str:
    found = reading.directory.find_channel(text)
    if found is None:
        raise FormError(
            f"No channel here is called {text!r}: try {reading.directory.channel_list()}."
        )
    return found


def _person(text: str, _: dict[str, Any], reading: Reading) -> str:
    directory = reading.directory
    people, unknown = directory.find_people(text)
    if unknown or len(people) != 1:
        raise FormError(f"Name one person: {directory.names()}.")
    return people[0].id


def _people(text: str, _: dict[str, Any], reading: Reading) -> list[str]:
    directory = reading.directory
    people, unknown = directory.find_people(text)
    if unknown:
        raise FormError(f"No one here is called {', '.join(unknown)}: try {directory.names()}.")
    return [p.id for p in people]


def _date(text: str, _: dict[str, Any], reading: Reading) -> str:
    return when.parse_date(text, today=reading.today).isoformat()


_PARSERS: dict[str, Callable[[str, dict[str, Any], Reading], Any]] = {
    "plain_text_input": _text,
    "number_input": _number,
    "rich_text_input": _rich,
    "datepicker": _date,
    "datetimepicker": _moment,
    "static_select": _option,
    "users_select": _person,
    "multi_users_select": _people,
    "conversations_select": _conversation,
}
