"""Filling in a modal at the terminal: one prompt per input block, in order.

The answers become `view.state.values` exactly as Slack would submit them (see
answers.py), so the submission the bot receives is the one a Slack client would make.
"""

from __future__ import annotations

from datetime import UTC, date, tzinfo
from typing import Any

from console.answers import Field, FormError, State, choices, describe, hint, parse
from console.mrkdwn import Names
from console.people import Directory
from console.render import render_blocks, text_of
from console.terminal import Terminal

CANCEL = ":cancel"
ATTEMPTS = 3
Values = dict[str, dict[str, State]]


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


def initial_values(fields: list[Field]) -> Values:
    return {f.block_id: {f.action_id: f.initial()} for f in fields}


class Form:
    """One open modal being filled in; `values` is its state as Slack would submit it."""

    def __init__(
        self,
        view: dict[str, Any],
        terminal: Terminal,
        directory: Directory,
        *,
        today: date,
        zone: tzinfo = UTC,
    ) -> None:
        self.view = view
        self.terminal = terminal
        self.directory = directory
        self.today = today
        self.zone = zone  # the person filling it in: a date-time picker is in their zone
        self.fields = fields_of(view, directory)
        self.values: Values = initial_values(self.fields)

    def view_title(self) -> str:
        return text_of(self.view.get("title"), self.directory) or "The form"

    def heading(self) -> list[str]:
        hint = (
            f" (a form: Enter keeps what's shown, '-' clears it, '{CANCEL}' closes it)"
            if self.view.get("submit")
            else ""  # a view to read: nothing to fill in
        )
        lines = [f"┌─ {self.view_title()}{hint}"]
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
        for _ in range(ATTEMPTS):
            answer = await self.terminal.answer("│ › ")
            if answer is None or answer.strip() == CANCEL:
                return False
            answer = answer.strip()
            if not answer:
                return True
            if answer == "-":
                self.values[field.block_id][field.action_id] = field.empty()
                return True
            try:
                self.values[field.block_id][field.action_id] = parse(
                    field, answer, self.directory, today=self.today, zone=self.zone
                )
                return True
            except FormError as exc:
                self.terminal.say(f"│ {exc}")
        self.terminal.say("│ Leaving that field as it was.")
        return True

    def _question(self, field: Field, state: State) -> str:
        said = "optional" in field.label.casefold()
        parts = [field.label + ("" if said else " (optional)" if field.optional else " (required)")]
        shape = hint(field.element, self.directory)
        if shape:
            parts.append(f"— {shape}")
        current = describe(state, self.directory, self.zone)
        if current:
            parts.append(f"[now: {current}]")
        below = ([field.hint] if field.hint else []) + choices(field.element)
        return "\n│   ".join([" ".join(parts), *below])

    def errors_for(self, errors: dict[str, Any]) -> dict[str, str]:
        """The bot's errors by block id; ones naming no field of ours are kept under ''."""
        known = {f.block_id for f in self.fields}
        mapped = {str(k): str(v) for k, v in errors.items() if str(k) in known}
        others = [f"{k}: {v}" for k, v in errors.items() if str(k) not in known]
        if others:
            mapped[""] = "; ".join(others)
        return mapped
