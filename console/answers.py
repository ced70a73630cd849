"""Reading what a person types for one element, as the state Slack would send for it.

Each answer becomes the element's entry in `view.state.values` (or a press's action)
exactly as Slack builds it: `value`, `selected_date`, `selected_user`, `selected_users`.
Only the input elements Doorway uses are read (a test keeps them in step with the rooms).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from console import when
from console.mrkdwn import Names
from console.people import Directory

State = dict[str, Any]

# What each input element's state is called, what seeds it, and what it is when empty.
STATE_KEY: dict[str, tuple[str, str, Any]] = {
    "plain_text_input": ("value", "initial_value", None),
    "datepicker": ("selected_date", "initial_date", None),
    "users_select": ("selected_user", "initial_user", None),
    "multi_users_select": ("selected_users", "initial_users", []),
}
HINT = {
    "datepicker": when.DATE_HINT,
    "users_select": "a name",
    "multi_users_select": "names, separated by spaces or commas",
}


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
        return {"type": self.kind, key: self.element.get(seed, empty)}

    def empty(self) -> State:
        key, _, empty = _key(self.kind)
        return {"type": self.kind, key: empty}


def _key(kind: str) -> tuple[str, str, Any]:
    return STATE_KEY.get(kind, STATE_KEY["plain_text_input"])


def describe(state: State, names: Names) -> str:
    """A field's current value as a person would see it in the modal."""
    for key, value in state.items():
        if key == "type" or value in (None, [], ""):
            continue
        if key == "selected_user":
            return "@" + names.user(str(value))
        if key == "selected_users":
            return ", ".join("@" + names.user(str(u)) for u in value)
        return str(value)
    return ""


def parse(field: Field, text: str, directory: Directory, *, today: date) -> State:
    """The answer `text` as the element's state; raises FormError when it doesn't fit."""
    try:
        value: Any = _PARSERS.get(field.kind, _text)(text, field.element, directory, today)
    except when.WhenError as exc:
        raise FormError(str(exc)) from None
    return {"type": field.kind, field.key: value}


def _text(text: str, element: dict[str, Any], _: Directory, __: date) -> str:
    limit, least = element.get("max_length"), element.get("min_length")
    if limit and len(text) > int(limit):
        raise FormError(f"That's {len(text):,} characters; this field takes up to {limit}.")
    if least and len(text) < int(least):
        raise FormError(f"This field needs at least {least} characters.")
    return text


def _person(text: str, _: dict[str, Any], directory: Directory, __: date) -> str:
    people, unknown = directory.find_people(text)
    if unknown or len(people) != 1:
        raise FormError(f"Name one person: {directory.names()}.")
    return people[0].id


def _people(text: str, _: dict[str, Any], directory: Directory, __: date) -> list[str]:
    people, unknown = directory.find_people(text)
    if unknown:
        raise FormError(f"No one here is called {', '.join(unknown)}: try {directory.names()}.")
    return [p.id for p in people]


def _date(text: str, _: dict[str, Any], __: Directory, today: date) -> str:
    return when.parse_date(text, today=today).isoformat()


_PARSERS: dict[str, Callable[[str, dict[str, Any], Directory, date], Any]] = {
    "plain_text_input": _text,
    "datepicker": _date,
    "users_select": _person,
    "multi_users_select": _people,
}
