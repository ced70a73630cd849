"""Pressing a numbered control: the `actions[0]` Slack would send, asking for a value first
when the control needs one (a date, a person)."""

from __future__ import annotations

from datetime import date
from typing import Any

from console import answers, payloads
from console.people import Directory
from console.surfaces import Control
from console.terminal import Terminal

BUTTONS = frozenset({"button"})


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
        for key in ("value", "style"):
            if key in element:
                action[key] = element[key]
        return action
    field = answers.Field(
        block_id=control.block_id,
        action_id=action["action_id"],
        element=element,
        label=control.label,
        optional=False,
        hint="",
    )
    answer = inline.strip()
    if not answer:
        hint = answers.HINT.get(kind, "text")
        terminal.ask(f"{control.label} — {hint}:")
        answer = (await terminal.answer("› ") or "").strip()
    if not answer:
        terminal.say(terminal.stopped("Nothing chosen, nothing pressed."))
        return None
    try:
        state = answers.parse(field, answer, directory, today=today)
    except answers.FormError as exc:
        terminal.say(f"{exc} Nothing pressed.")
        return None
    if kind == "datepicker" and element.get("initial_date"):
        action["initial_date"] = element["initial_date"]
    action.update({k: v for k, v in state.items() if k != "type"})
    return action
