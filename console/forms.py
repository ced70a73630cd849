"""Filling in a modal at the terminal: one prompt per input block, in order.

Each answer becomes the element's entry in `view.state.values` exactly as Slack would
send it (`value`, `selected_date`, `selected_user(s)`, `selected_option(s)` …), so the
submission the bot receives is the one a Slack client would have made.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from console import when
from console.mrkdwn import Names
from console.people import Directory
from console.render import option_text, options_of, render_blocks, text_of
from console.terminal import Terminal

CANCEL = ":cancel"
ATTEMPTS = 3
State = dict[str, Any]
Values = dict[str, dict[str, State]]

# What each input element's state is called, and what it is when nothing is chosen.
STATE_KEY: dict[str, tuple[str, Any]] = {
    "plain_text_input": ("value", None),
    "email_text_input": ("value", None),
    "url_text_input": ("value", None),
    "number_input": ("value", None),
    "datepicker": ("selected_date", None),
    "timepicker": ("selected_time", None),
    "users_select": ("selected_user", None),
    "multi_users_select": ("selected_users", []),
    "static_select": ("selected_option", None),
    "radio_buttons": ("selected_option", None),
    "external_select": ("selected_option", None),
    "overflow": ("selected_option", None),
    "multi_static_select": ("selected_options", []),
    "checkboxes": ("selected_options", []),
    "conversations_select": ("selected_conversation", None),
    "channels_select": ("selected_channel", None),
    "multi_conversations_select": ("selected_conversations", []),
    "multi_channels_select": ("selected_channels", []),
}
INITIAL_KEY = {
    "value": "initial_value",
    "selected_date": "initial_date",
    "selected_time": "initial_time",
    "selected_user": "initial_user",
    "selected_users": "initial_users",
    "selected_option": "initial_option",
    "selected_options": "initial_options",
    "selected_conversation": "initial_conversation",
    "selected_channel": "initial_channel",
    "selected_conversations": "initial_conversations",
    "selected_channels": "initial_channels",
}
HINT = {
    "datepicker": when.DATE_HINT,
    "timepicker": "HH:MM",
    "users_select": "a name",
    "multi_users_select": "names, separated by spaces or commas",
    "static_select": "a number",
    "radio_buttons": "a number",
    "external_select": "a number",
    "overflow": "a number",
    "multi_static_select": "numbers, e.g. 1 3",
    "checkboxes": "numbers, e.g. 1 3",
    "conversations_select": "a #channel",
    "channels_select": "a #channel",
    "multi_conversations_select": "#channels",
    "multi_channels_select": "#channels",
    "number_input": "a number",
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


def fields_of(view: dict[str, Any], names: Names) -> list[Field]:
    return [
        Field(
            block_id=str(b.get("block_id", "")),
            action_id=str(b["element"].get("action_id", "")),
            element=b["element"],
            label=text_of(b.get("label"), names) or "Field",
            optional=bool(b.get("optional")),
            hint=text_of(b.get("hint"), names),
        )
        for b in view.get("blocks") or []
        if b.get("type") == "input" and isinstance(b.get("element"), dict)
    ]


def initial_state(field: Field) -> State:
    key, empty = STATE_KEY.get(field.kind, ("value", None))
    return {"type": field.kind, key: field.element.get(INITIAL_KEY[key], empty)}


def initial_values(fields: list[Field]) -> Values:
    return {f.block_id: {f.action_id: initial_state(f)} for f in fields}


def describe(state: State, names: Names) -> str:
    """A field's current value as a person would see it in the modal."""
    for key, value in state.items():
        if key == "type" or value in (None, [], ""):
            continue
        if key == "selected_user":
            return "@" + names.user(str(value))
        if key == "selected_users":
            return ", ".join("@" + names.user(str(u)) for u in value)
        if key in ("selected_conversation", "selected_channel"):
            return "#" + names.channel(str(value))
        if key in ("selected_conversations", "selected_channels"):
            return ", ".join("#" + names.channel(str(c)) for c in value)
        if key == "selected_option":
            return option_text(value, names)
        if key == "selected_options":
            return ", ".join(option_text(o, names) for o in value)
        return str(value)
    return ""


def parse(field: Field, text: str, directory: Directory, *, today: date) -> State:
    """The answer `text` as the element's state; raises FormError when it doesn't fit."""
    kind, element = field.kind, field.element
    key, _ = STATE_KEY.get(kind, ("value", None))
    try:
        value: Any = _PARSERS.get(kind, _text)(text, element, directory, today)
    except when.WhenError as exc:
        raise FormError(str(exc)) from None
    return {"type": kind, key: value}


def _text(text: str, element: dict[str, Any], _: Directory, __: date) -> str:
    limit, least = element.get("max_length"), element.get("min_length")
    if limit and len(text) > int(limit):
        raise FormError(f"That's {len(text):,} characters; this field takes up to {limit}.")
    if least and len(text) < int(least):
        raise FormError(f"This field needs at least {least} characters.")
    return text


def _number(text: str, element: dict[str, Any], _: Directory, __: date) -> str:
    try:
        number = float(text) if element.get("is_decimal_allowed") else int(text)
    except ValueError:
        raise FormError(f"{text!r} isn't a number.") from None
    low, high = element.get("min_value"), element.get("max_value")
    if (low is not None and number < float(low)) or (high is not None and number > float(high)):
        raise FormError(f"Pick a number from {low} to {high}.")
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


def _channels(text: str, _: dict[str, Any], directory: Directory, __: date) -> list[str]:
    found = [directory.find_channel(word) for word in text.replace(",", " ").split()]
    if None in found or not found:
        raise FormError("Name channels that exist, e.g. #general.")
    return [c for c in found if c]


def _channel(text: str, element: dict[str, Any], directory: Directory, today: date) -> str:
    found = _channels(text, element, directory, today)
    if len(found) != 1:
        raise FormError("Name one channel, e.g. #general.")
    return found[0]


def _picks(text: str, element: dict[str, Any]) -> list[dict[str, Any]]:
    options = options_of(element)
    picked = []
    for word in text.replace(",", " ").split():
        if not word.isdigit() or not 1 <= int(word) <= len(options):
            raise FormError(f"Pick by number, 1 to {len(options)}.")
        picked.append(options[int(word) - 1])
    return picked


def _option(text: str, element: dict[str, Any], _: Directory, __: date) -> dict[str, Any]:
    picked = _picks(text, element)
    if len(picked) != 1:
        raise FormError("Pick one, by its number.")
    return picked[0]


_PARSERS: dict[str, Callable[[str, dict[str, Any], Directory, date], Any]] = {
    "number_input": _number,
    "datepicker": lambda text, _, __, today: when.parse_date(text, today=today).isoformat(),
    "timepicker": lambda text, _, __, ___: when.parse_time(text),
    "users_select": _person,
    "multi_users_select": _people,
    "static_select": _option,
    "radio_buttons": _option,
    "external_select": _option,
    "overflow": _option,
    "multi_static_select": lambda text, element, _, __: _picks(text, element),
    "checkboxes": lambda text, element, _, __: _picks(text, element),
    "conversations_select": _channel,
    "channels_select": _channel,
    "multi_conversations_select": _channels,
    "multi_channels_select": _channels,
}


class Form:
    """One open modal being filled in; `values` is its state as Slack would submit it."""

    def __init__(
        self, view: dict[str, Any], terminal: Terminal, directory: Directory, *, today: date
    ) -> None:
        self.view = view
        self.terminal = terminal
        self.directory = directory
        self.today = today
        self.fields = fields_of(view, directory)
        self.values: Values = initial_values(self.fields)

    def view_title(self) -> str:
        return text_of(self.view.get("title"), self.directory) or "The form"

    def heading(self) -> list[str]:
        lines = [
            f"┌─ {self.view_title()} (a form: Enter keeps what's shown, '-' clears it, "
            f"'{CANCEL}' closes it)"
        ]
        others = [b for b in self.view.get("blocks") or [] if b.get("type") != "input"]
        lines += ["│ " + line for line in render_blocks(others, self.directory, lambda _e, _b: "·")]
        return lines

    def submit_label(self) -> str:
        return text_of(self.view.get("submit"), self.directory) or "Submit"

    async def fill(self, only: dict[str, str] | None = None) -> bool:
        """Ask for every field (or just those with errors); False if cancelled or input ended."""
        for field in self.fields:
            if only is not None and field.block_id not in only:
                continue
            if only is not None:
                self.terminal.say(f"│ ! {field.label}: {only[field.block_id]}")
            if not await self._ask(field):
                return False
        return True

    async def _ask(self, field: Field) -> bool:
        state = self.values[field.block_id][field.action_id]
        self.terminal.ask("│ " + self._question(field, state))
        for option_line in self._options(field):
            self.terminal.ask("│     " + option_line)
        for _ in range(ATTEMPTS):
            answer = await self.terminal.answer("│ › ")
            if answer is None or answer.strip() == CANCEL:
                return False
            answer = answer.strip()
            if not answer:
                return True
            if answer == "-":
                self.values[field.block_id][field.action_id] = {
                    "type": field.kind,
                    STATE_KEY.get(field.kind, ("value", None))[0]: STATE_KEY.get(
                        field.kind, ("value", None)
                    )[1],
                }
                return True
            try:
                self.values[field.block_id][field.action_id] = parse(
                    field, answer, self.directory, today=self.today
                )
                return True
            except FormError as exc:
                self.terminal.say(f"│ {exc}")
        self.terminal.say("│ Leaving that field as it was.")
        return True

    def _question(self, field: Field, state: State) -> str:
        said = "optional" in field.label.casefold()
        parts = [field.label + ("" if said else " (optional)" if field.optional else " (required)")]
        if field.kind in HINT:
            parts.append(f"— {HINT[field.kind]}")
        current = describe(state, self.directory)
        if current:
            parts.append(f"[now: {current}]")
        line = " ".join(parts)
        return line + (f"\n│   {field.hint}" if field.hint else "")

    def _options(self, field: Field) -> list[str]:
        options = options_of(field.element)
        return [f"{i}) {option_text(o, self.directory)}" for i, o in enumerate(options, 1)]

    def errors_for(self, errors: dict[str, Any]) -> dict[str, str]:
        """The bot's errors by block id; ones naming no field of ours are kept under ''."""
        known = {f.block_id for f in self.fields}
        mapped = {str(k): str(v) for k, v in errors.items() if str(k) in known}
        others = [f"{k}: {v}" for k, v in errors.items() if str(k) not in known]
        if others:
            mapped[""] = "; ".join(others)
        return mapped
