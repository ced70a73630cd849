"""Block Kit as readable text: the blocks and elements Doorway sends, controls numbered.

Every interactive element gets a number from the caller (`number(element, block_id)`),
shown as `[3] Review on… (date)`; typing 3 in the console presses it. Only what Doorway
emits is drawn (a test keeps these sets in step with the rooms' builders); anything
else shows as a short `[type]` note, never as JSON.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from console.answers import STATE_KEY
from console.mrkdwn import Names, plain, readable
from console.values import rich_words, shown

Number = Callable[[dict[str, Any], str], object]  # what goes between the brackets
Block = dict[str, Any]

RULE = "-" * 40
# The controls Doorway puts on messages and in forms, and how each reads after its label.
KIND = {
    "button": "",
    "datepicker": "date",
    "datetimepicker": "day and time",
    "users_select": "person",
    "multi_users_select": "people",
    "conversations_select": "channel",
    "static_select": "menu",
    "plain_text_input": "text",
    "number_input": "number",
    "rich_text_input": "text",
}
CONTROLS = frozenset(KIND)


def text_of(obj: Any, names: Names) -> str:
    """A text object (plain_text or mrkdwn), or a bare string, as readable text."""
    if isinstance(obj, str):
        return readable(obj, names)
    if not isinstance(obj, dict):
        return ""
    raw = str(obj.get("text") or "")
    if obj.get("type") == "plain_text":
        return plain(raw, with_emoji=obj.get("emoji", True) is not False)
    return readable(raw, names)


def element_label(element: dict[str, Any], names: Names) -> str:
    """How a control reads on screen, without its number: `Review on… (date: 2026-12-04)`."""
    kind = str(element.get("type", ""))
    if kind == "button":
        return text_of(element.get("text"), names) or "Button"
    label = text_of(element.get("placeholder"), names) or "Choose…"
    current = _initial(element, names)
    what = KIND.get(kind) or kind.replace("_", " ")
    return f"{label} ({what}: {current})" if current else f"{label} ({what})"


def _initial(element: dict[str, Any], names: Names) -> str:
    """What the control shows before anyone picks (a date-time in UTC: a message has many
    readers)."""
    seed = STATE_KEY.get(str(element.get("type", "")), ("", "initial_value", None))[1]
    return shown(seed, element.get(seed), names).replace("\n", " ")


def render_blocks(blocks: Iterable[Block], names: Names, number: Number) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, dict):
            lines += render_block(block, names, number)
    return lines


def render_block(block: Block, names: Names, number: Number) -> list[str]:
    draw = BLOCKS.get(str(block.get("type")))
    if draw is None:
        return [f"[{plain(str(block.get('type') or 'block'))}]"]
    return draw(block, names, number)


def _header(block: Block, names: Names, _: Number) -> list[str]:
    return [f"=== {text_of(block.get('text'), names)} ==="]


def _section(block: Block, names: Names, number: Number) -> list[str]:
    lines = _lines(text_of(block.get("text"), names))
    accessory = block.get("accessory")  # a section's own control, e.g. a section's *Revise*
    if isinstance(accessory, dict) and accessory.get("type") in CONTROLS:
        block_id = str(block.get("block_id", ""))
        lines.append(f"[{number(accessory, block_id)}] {element_label(accessory, names)}")
    return lines


def _context(block: Block, names: Names, _: Number) -> list[str]:
    parts = [text_of(e, names) for e in block.get("elements") or []]
    return _lines("  " + "  ".join(p for p in parts if p))


def _divider(_: Block, __: Names, ___: Number) -> list[str]:
    return [RULE]


def _actions(block: Block, names: Names, number: Number) -> list[str]:
    block_id = str(block.get("block_id", ""))
    controls = [
        f"[{number(e, block_id)}] {element_label(e, names)}"
        for e in block.get("elements") or []
        if isinstance(e, dict) and e.get("type") in CONTROLS
    ]
    return ["  ".join(controls)] if controls else []


def _input(block: Block, names: Names, _: Number) -> list[str]:
    label = text_of(block.get("label"), names)
    return [f"{label}{' (optional)' if block.get('optional') else ''}: …"]


def _rich_text(block: Block, names: Names, _: Number) -> list[str]:
    # Doorway keeps answers as rich text (a Correction of Error's), and shows its words.
    return _lines(rich_words(block, names))


BLOCKS: dict[str, Callable[[Block, Names, Number], list[str]]] = {
    "header": _header,
    "section": _section,
    "context": _context,
    "divider": _divider,
    "actions": _actions,
    "input": _input,
    "rich_text": _rich_text,
}


def _lines(text: str) -> list[str]:
    return text.split("\n") if text else []


def render_message(message: dict[str, Any], names: Names, number: Number) -> list[str]:
    """A whole message: its blocks, or its text when it has none."""
    blocks = message.get("blocks") or []
    if blocks:
        return render_blocks(blocks, names, number)
    return _lines(readable(str(message.get("text") or ""), names))
