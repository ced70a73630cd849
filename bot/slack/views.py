"""The pieces every room's modals are made of: the modal, an input block, a text box.

Each input block holds one element whose action_id is the block's own id, so a submission
is read with `bot.listeners.forms.element(view, name)`.
"""

from __future__ import annotations

import json
from typing import Any

from bot.slack import text as t

TITLE_TEXT = 24  # Slack's limit on a modal's title


def modal(
    callback: str,
    title: str,
    blocks: list[dict[str, Any]],
    *,
    submit: str | None = "Save",
    close: str = "Cancel",
    **meta: Any,
) -> dict[str, Any]:
    """A modal whose private_metadata carries `meta` as JSON; no submit button if None."""
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": callback,
        "title": t.plain_text(title, TITLE_TEXT),
        "close": t.plain_text(close),
        "private_metadata": json.dumps(meta),
        "blocks": blocks,
    }
    if submit:
        view["submit"] = t.plain_text(submit)
    return view


def input_block(
    name: str, label: str, element: dict[str, Any], *, optional: bool = False, hint: str = ""
) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "input",
        "block_id": name,
        "optional": optional,
        "label": t.plain_text(label, 2000),
        "element": {**element, "action_id": name},
    }
    if hint:
        block["hint"] = t.plain_text(hint, 2000)
    return block


def text_input(
    limit: int, *, initial: str = "", multiline: bool = False, placeholder: str = ""
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "multiline": multiline,
        "max_length": limit,
    }
    if initial:
        element["initial_value"] = t.cut(initial, limit)
    if placeholder:
        element["placeholder"] = t.plain_text(placeholder, 150)
    return element
