"""Pressing a numbered control: the `actions[0]` Slack would send, asking for a value first
when the control needs one (a date, a person, an option)."""

from __future__ import annotations

from datetime import date
from typing import Any

from console import forms, payloads
from console.people import Directory
from console.render import option_text, options_of, text_of
from console.surfaces import Control
from console.terminal import Terminal

BUTTONS = frozenset({"button", "workflow_button"})


async def action_for(
    control: Control, inline: str, *, terminal: Terminal, directory: Directory, today: date
) -> dict[str, Any] | None:
    """The action for pressing `control`, or None if the person backed out."""
    element = control.element
    kind = str(element.get("type", ""))
    action: dict[str, Any] = {
        "type": kind,
        "action_id": str(element.get("action_id", "")),
        "block_id": control.block_id,
        "action_ts": payloads.action_ts(),
    }
    if kind in BUTTONS:
        action["text"] = element.get("text")
        for key in ("value", "url", "style"):
            if key in element:
                action[key] = element[key]
        if element.get("confirm") and not await _confirmed(
            element["confirm"], inline, terminal, directory
        ):
            terminal.say(terminal.stopped("Not pressed."))
            return None
        return action
    field = forms.Field(
        block_id=control.block_id,
        action_id=action["action_id"],
        element=element,
        label=control.label,
        optional=False,
        hint="",
    )
    answer = inline.strip()
    if not answer:
        hint = forms.HINT.get(kind, "text")
        terminal.ask(f"{control.label} — {hint}:")
        for i, option in enumerate(options_of(element), 1):
            terminal.ask(f"    {i}) {option_text(option, directory)}")
        answer = (await terminal.answer("› ") or "").strip()
    if not answer:
        terminal.say(terminal.stopped("Nothing chosen, nothing pressed."))
        return None
    try:
        state = forms.parse(field, answer, directory, today=today)
    except forms.FormError as exc:
        terminal.say(f"{exc} Nothing pressed.")
        return None
    if kind == "datepicker" and element.get("initial_date"):
        action["initial_date"] = element["initial_date"]
    action.update({k: v for k, v in state.items() if k != "type"})
    return action


async def _confirmed(
    confirm: dict[str, Any], inline: str, terminal: Terminal, directory: Directory
) -> bool:
    title = text_of(confirm.get("title"), directory) or "Are you sure?"
    body = text_of(confirm.get("text"), directory)
    yes = text_of(confirm.get("confirm"), directory) or "Yes"
    terminal.ask(f"{title} {body} [{yes}: y / n]".strip())
    answer = inline.strip() or (await terminal.answer("› ") or "")
    return answer.strip().casefold() in {"y", "yes", yes.casefold()}
