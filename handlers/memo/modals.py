"""The silent-reading room's one form: a comment or question, sent privately."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.listeners import forms
from bot.slack import text as t
from handlers.memo import messages
from handlers.memo.ids import Callback, Field, Kind
from storage.models import MemoSession

SECTION_MAX = 200
COMMENT_MAX = 2000
KINDS = {Kind.COMMENT: "A comment", Kind.QUESTION: "A question"}


def _option(kind: Kind) -> dict[str, Any]:
    return {"text": t.plain_text(KINDS[kind], 75), "value": kind.value}


def comment(session: MemoSession) -> dict[str, Any]:
    """The form *Comment privately* opens."""
    return {
        "type": "modal",
        "callback_id": Callback.COMMENT,
        "title": t.plain_text("Comment privately", 24),
        "submit": t.plain_text("Send to Doorway", 24),
        "close": t.plain_text("Cancel", 24),
        "private_metadata": json.dumps({"session": session.id}),
        "blocks": [
            t.section(
                f"On {messages.memo_name(session)}. Nobody sees it until the reading ends; "
                "then it is posted with the others in the reading's thread."
            ),
            {
                "type": "input",
                "block_id": Field.SECTION,
                "optional": True,
                "label": t.plain_text("Which section is it about?"),
                "hint": t.plain_text("Left empty, it is listed under General."),
                "element": {
                    "type": "plain_text_input",
                    "action_id": Field.SECTION,
                    "max_length": SECTION_MAX,
                    "placeholder": t.plain_text("e.g. Pricing, or FAQ 3", 150),
                },
            },
            {
                "type": "input",
                "block_id": Field.KIND,
                "label": t.plain_text("Is it a comment or a question?"),
                "element": {
                    "type": "static_select",
                    "action_id": Field.KIND,
                    "options": [_option(k) for k in Kind],
                    "initial_option": _option(Kind.COMMENT),
                },
            },
            {
                "type": "input",
                "block_id": Field.TEXT,
                "label": t.plain_text("Your comment"),
                "element": {
                    "type": "plain_text_input",
                    "action_id": Field.TEXT,
                    "multiline": True,
                    "max_length": COMMENT_MAX,
                },
            },
        ],
    }


@dataclass(frozen=True)
class Written:
    section: str | None
    kind: Kind
    text: str


def written(view: dict[str, Any]) -> Written | dict[str, str]:
    """The submitted comment, or the form's errors."""
    text = forms.text(view, Field.TEXT)
    section = " ".join(forms.text(view, Field.SECTION).split()) or None
    option = forms.element(view, Field.KIND).get("selected_option")
    value = option.get("value") if isinstance(option, dict) else None
    kind = Kind.QUESTION if value == Kind.QUESTION else Kind.COMMENT
    if not text:
        return {Field.TEXT: "Write your comment or question: a sentence is enough."}
    # Slack's form enforces the inputs' max_length; a forged submission does not.
    if len(text) > COMMENT_MAX:
        return {Field.TEXT: f"Doorway keeps up to {COMMENT_MAX:,} characters here."}
    if section and len(section) > SECTION_MAX:
        return {Field.SECTION: f"Up to {SECTION_MAX} characters, please."}
    return Written(section=section, kind=kind, text=text)


def session_of(view: dict[str, Any]) -> int:
    """The reading the form belongs to, from its metadata."""
    return forms.metadata_number(view, "session", what="its reading")
