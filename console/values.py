"""The Slack objects behind a few input elements, and how any element's value reads on screen.

A select's options (flat, or in groups), rich text as Slack's `rich_text_input` sends it,
and a date-time picker's moment (seconds since the epoch, shown in the reader's zone).
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Any

from console.mrkdwn import Names, clean, plain

Option = dict[str, Any]


def empty_rich_text() -> dict[str, Any]:
    """What a `rich_text_input` left empty holds."""
    return {"type": "rich_text", "elements": []}


def rich_text(line: str) -> dict[str, Any]:
    """A typed line as a `rich_text_input` sends it: one section holding the text."""
    section = {"type": "rich_text_section", "elements": [{"type": "text", "text": line}]}
    return {"type": "rich_text", "elements": [section]}


def rich_words(rich: Any, names: Names) -> str:
    """What a rich text value says, sections on their own lines, without its styling."""
    if not isinstance(rich, dict):
        return ""
    lines = [_words(block, names) for block in rich.get("elements") or []]
    return "\n".join(line for line in lines if line)


def _words(part: Any, names: Names) -> str:
    if not isinstance(part, dict):
        return ""
    kind = part.get("type")
    if kind == "text":
        return clean(str(part.get("text") or ""))
    if kind == "link":
        return clean(str(part.get("text") or part.get("url") or ""))
    if kind == "user":
        return "@" + names.user(str(part.get("user_id") or ""))
    if kind == "channel":
        return "#" + names.channel(str(part.get("channel_id") or ""))
    if kind == "emoji":
        return plain(f":{part.get('name') or ''}:")
    inner = [_words(p, names) for p in part.get("elements") or []]
    if kind == "rich_text_list":
        return "\n".join(f"• {line}" for line in inner)
    return "".join(inner)


def options(element: dict[str, Any]) -> list[Option]:
    """A select's options in the order its menu shows them, groups flattened."""
    found = [o for o in element.get("options") or [] if isinstance(o, dict)]
    for group in element.get("option_groups") or []:
        if isinstance(group, dict):
            found += [o for o in group.get("options") or [] if isinstance(o, dict)]
    return found


def option_label(option: Any) -> str:
    if not isinstance(option, dict):
        return ""
    text = option.get("text")
    raw = text.get("text") if isinstance(text, dict) else text
    return plain(str(raw or option.get("value") or ""))


def listing(element: dict[str, Any]) -> list[str]:
    """The menu, numbered from 1 as the person picks from it."""
    return [f"{n}. {option_label(o)}" for n, o in enumerate(options(element), 1)]


def moment(epoch: Any, zone: tzinfo) -> str:
    """`2026-03-02 09:30 JST`: typed back as it reads (the zone is the reader's own)."""
    if not isinstance(epoch, int) or isinstance(epoch, bool):
        return str(epoch)
    local = datetime.fromtimestamp(epoch, UTC).astimezone(zone)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname() or ''}".rstrip()


def shown(key: str, value: Any, names: Names, zone: tzinfo = UTC) -> str:
    """An element's value (under its state key, or seed) as the person sees it picked."""
    if value in (None, [], ""):
        return ""
    if key in ("selected_user", "initial_user"):
        return "@" + names.user(str(value))
    if key in ("selected_users", "initial_users"):
        return ", ".join("@" + names.user(str(u)) for u in value)
    if key in ("selected_option", "initial_option"):
        return option_label(value)
    if key in ("selected_date_time", "initial_date_time"):
        return moment(value, zone)
    if key in ("selected_conversation", "initial_conversation"):
        return "#" + names.channel(str(value))
    if key == "rich_text_value" or isinstance(value, dict):
        return rich_words(value, names)
    return clean(str(value))
