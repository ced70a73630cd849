"""Reading a submitted modal, and knowing when it was built by another version of Doorway.

Slack puts every input block of a modal in `view.state.values`, left-empty ones included
(with a null value). So a block Doorway reads but can't find there means the modal was
opened before a deploy that added or renamed it: the person is told to open it again,
through `bot.errors.guarded`, instead of the submission failing with a KeyError.
"""

from __future__ import annotations

import json
from typing import Any

from bot.errors import UserFacingError

STALE = (
    ":warning: This form is out of date: Doorway was updated after it was "
    "opened, so nothing was saved. Close it and open it again from the start (the command "
    "or the button) to get the current one."
)


class StaleForm(UserFacingError):
    """A submitted view lacks what this version of Doorway reads from it."""

    def __init__(self, callback_id: str, missing: str) -> None:
        super().__init__(STALE)
        self.callback_id = callback_id
        self.missing = missing
        self.log_line = (
            f"a {callback_id!r} form was submitted without {missing}: it was opened before a deploy"
        )


def element(view: dict[str, Any], block_id: str, action_id: str | None = None) -> dict[str, Any]:
    """The state of input block `block_id`'s element (`action_id`, by default the same)."""
    values = (view.get("state") or {}).get("values") or {}
    block = values.get(block_id)
    state = block.get(action_id or block_id) if isinstance(block, dict) else None
    if not isinstance(state, dict):
        raise StaleForm(str(view.get("callback_id") or "?"), f"the block {block_id!r}")
    return state


def text(view: dict[str, Any], block_id: str) -> str:
    """A plain-text input's value, stripped ("" when left empty)."""
    return str(element(view, block_id).get("value") or "").strip()


def stale(view: dict[str, Any], what: str) -> StaleForm:
    """For metadata this version can't read: raise the returned error."""
    return StaleForm(str(view.get("callback_id") or "?"), what)


def metadata(view: dict[str, Any]) -> dict[str, Any]:
    """A form's private_metadata, as the JSON object the room put there."""
    try:
        found = json.loads(str(view.get("private_metadata") or "{}"))
    except ValueError:
        raise stale(view, "readable metadata") from None
    if not isinstance(found, dict):
        raise stale(view, "readable metadata")
    return found


def metadata_number(view: dict[str, Any], name: str, *, what: str = "", lowest: int = 1) -> int:
    """A whole number the room put in the form's metadata (an id, most often)."""
    value = metadata(view).get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not lowest <= value < 2**31:
        raise stale(view, what or f"the {name} it belongs to")
    return value
