"""Block Kit as readable text: headers, sections, context lines, and numbered controls.

Every interactive element gets a number from the caller (`number(element, block_id)`),
shown as `[3] Review on… (date)`; typing 3 in the console presses it. Nothing here
ever prints a block as JSON: unknown blocks show as a short `[type]` note.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from console.mrkdwn import Names, plain, readable

Number = Callable[[dict[str, Any], str], object]  # what goes between the brackets
Block = dict[str, Any]

RULE = "-" * 40
INTERACTIVE = frozenset(
    {
        "button",
        "datepicker",
        "timepicker",
        "datetimepicker",
        "static_select",
        "external_select",
        "users_select",
        "conversations_select",
        "channels_select",
        "multi_static_select",
        "multi_external_select",
        "multi_users_select",
        "multi_conversations_select",
        "multi_channels_select",
        "overflow",
        "checkboxes",
        "radio_buttons",
        "plain_text_input",
        "number_input",
        "email_text_input",
        "url_text_input",
        "workflow_button",
    }
)
KIND = {
    "datepicker": "date",
    "timepicker": "time",
    "datetimepicker": "date and time",
    "static_select": "choose",
    "external_select": "choose",
    "users_select": "person",
    "conversations_select": "channel",
    "channels_select": "channel",
    "multi_static_select": "choose some",
    "multi_external_select": "choose some",
    "multi_users_select": "people",
    "multi_conversations_select": "channels",
    "multi_channels_select": "channels",
    "overflow": "menu",
    "checkboxes": "tick some",
    "radio_buttons": "choose",
    "plain_text_input": "text",
    "number_input": "number",
    "email_text_input": "email",
    "url_text_input": "link",
}


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


def option_text(option: dict[str, Any], names: Names) -> str:
    return text_of(option.get("text"), names) or str(option.get("value", ""))


def options_of(element: dict[str, Any]) -> list[dict[str, Any]]:
    """Every option of a select, overflow, checkbox or radio group, groups flattened."""
    found = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        found += list(group.get("options") or [])
    return found


def element_label(element: dict[str, Any], names: Names) -> str:
    """How a control reads on screen, without its number: `Review on… (date: 2026-12-04)`."""
    kind = str(element.get("type", ""))
    if kind in ("button", "workflow_button"):
        label = text_of(element.get("text"), names) or "Button"
        url = element.get("url")
        return f"{label} (opens {plain(str(url))})" if url else label
    label = text_of(element.get("placeholder"), names) or {
        "overflow": "More…",
        "checkboxes": "Options",
        "radio_buttons": "Options",
    }.get(kind, "Choose…")
    current = _initial(element, names)
    what = KIND.get(kind, kind.replace("_", " "))
    return f"{label} ({what}: {current})" if current else f"{label} ({what})"


def _initial(element: dict[str, Any], names: Names) -> str:
    if element.get("initial_date"):
        return str(element["initial_date"])
    if element.get("initial_time"):
        return str(element["initial_time"])
    if element.get("initial_user"):
        return "@" + names.user(str(element["initial_user"]))
    if element.get("initial_users"):
        return ", ".join("@" + names.user(str(u)) for u in element["initial_users"])
    for key in ("initial_conversation", "initial_channel"):
        if element.get(key):
            return "#" + names.channel(str(element[key]))
    if element.get("initial_option"):
        return option_text(element["initial_option"], names)
    if element.get("initial_options"):
        return ", ".join(option_text(o, names) for o in element["initial_options"])
    if element.get("initial_value"):
        return plain(str(element["initial_value"]))
    return ""


def controls_line(
    elements: Iterable[tuple[dict[str, Any], str]], names: Names, number: Number
) -> str:
    return "  ".join(
        f"[{number(e, block_id)}] {element_label(e, names)}" for e, block_id in elements
    )


def render_blocks(blocks: Iterable[Block], names: Names, number: Number) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, dict):
            lines += render_block(block, names, number)
    return lines


def render_block(block: Block, names: Names, number: Number) -> list[str]:
    kind = block.get("type")
    block_id = str(block.get("block_id", ""))
    if kind == "header":
        return [f"=== {text_of(block.get('text'), names)} ==="]
    if kind == "section":
        return _section(block, names, number)
    if kind == "context":
        parts = [_context_part(e, names) for e in block.get("elements") or []]
        return _lines("  " + "  ".join(p for p in parts if p))
    if kind == "divider":
        return [RULE]
    if kind == "actions":
        elements = [
            (e, block_id)
            for e in block.get("elements") or []
            if isinstance(e, dict) and e.get("type") in INTERACTIVE
        ]
        return [controls_line(elements, names, number)] if elements else []
    if kind == "image":
        title = text_of(block.get("title"), names)
        return [f"[image: {plain(str(block.get('alt_text') or title or 'image'))}]"]
    if kind == "rich_text":
        return rich_text(block, names)
    if kind == "input":
        label = text_of(block.get("label"), names)
        return [f"{label}{' (optional)' if block.get('optional') else ''}: …"]
    if kind == "video":
        return [f"[video: {text_of(block.get('title'), names)}]"]
    return [f"[{plain(str(kind or 'block'))}]"]


def _section(block: Block, names: Names, number: Number) -> list[str]:
    lines = _lines(text_of(block.get("text"), names)) if block.get("text") else []
    for field in block.get("fields") or []:
        lines += _lines("  " + text_of(field, names))
    accessory = block.get("accessory")
    if isinstance(accessory, dict):
        if accessory.get("type") in INTERACTIVE:
            lines.append(
                "  " + controls_line([(accessory, str(block.get("block_id", "")))], names, number)
            )
        elif accessory.get("type") == "image":
            lines.append(f"  [image: {plain(str(accessory.get('alt_text') or 'image'))}]")
    return lines


def _context_part(element: Any, names: Names) -> str:
    if isinstance(element, dict) and element.get("type") == "image":
        return f"[{plain(str(element.get('alt_text') or 'image'))}]"
    return text_of(element, names)


def _lines(text: str) -> list[str]:
    return text.split("\n") if text else []


def rich_text(block: Block, names: Names) -> list[str]:
    lines: list[str] = []
    for part in block.get("elements") or []:
        kind = part.get("type")
        if kind == "rich_text_list":
            bullet = "1." if part.get("style") == "ordered" else "•"
            indent = "  " * int(part.get("indent") or 0)
            for i, item in enumerate(part.get("elements") or [], start=1):
                mark = f"{i}." if bullet == "1." else bullet
                lines += _lines(f"{indent}{mark} {_inline(item, names)}")
        elif kind == "rich_text_quote":
            lines += ["> " + line for line in _lines(_inline(part, names))]
        elif kind == "rich_text_preformatted":
            lines += ["    " + line for line in _lines(_inline(part, names))]
        else:
            lines += _lines(_inline(part, names))
    return lines


def _inline(section: dict[str, Any], names: Names) -> str:
    out = []
    for item in section.get("elements") or []:
        kind = item.get("type")
        if kind == "text":
            out.append(plain(str(item.get("text", ""))))
        elif kind == "link":
            url = plain(str(item.get("url", "")))
            label = plain(str(item.get("text") or ""))
            out.append(f"{label} ({url})" if label and label != url else url)
        elif kind == "user":
            out.append("@" + names.user(str(item.get("user_id", ""))))
        elif kind == "channel":
            out.append("#" + names.channel(str(item.get("channel_id", ""))))
        elif kind == "broadcast":
            out.append("@" + plain(str(item.get("range", "here"))))
        elif kind == "emoji":
            out.append(plain(f":{item.get('name', '')}:"))
        elif kind == "usergroup":
            out.append("@group")
        elif kind == "date":
            out.append(plain(str(item.get("fallback") or "a date")))
    return "".join(out)


def render_message(message: dict[str, Any], names: Names, number: Number) -> list[str]:
    """A whole message: its blocks, or its text when it has none, then any attachments."""
    blocks = message.get("blocks") or []
    lines = (
        render_blocks(blocks, names, number)
        if blocks
        else _lines(readable(str(message.get("text") or ""), names))
    )
    for attachment in message.get("attachments") or []:
        if isinstance(attachment, dict):
            lines += ["| " + line for line in _attachment(attachment, names, number)]
    return lines


def _attachment(attachment: dict[str, Any], names: Names, number: Number) -> list[str]:
    lines: list[str] = []
    if attachment.get("title"):
        lines.append(plain(str(attachment["title"])))
    if attachment.get("blocks"):
        lines += render_blocks(attachment["blocks"], names, number)
    elif attachment.get("text") or attachment.get("fallback"):
        lines += _lines(readable(str(attachment.get("text") or attachment["fallback"]), names))
    for field in attachment.get("fields") or []:
        lines.append(
            f"{plain(str(field.get('title', '')))}: {readable(str(field.get('value', '')), names)}"
        )
    return lines
