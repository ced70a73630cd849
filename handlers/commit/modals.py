"""The commit room's modals: the /commit form, and a dissenter's two answers."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.listeners import forms
from bot.slack import text as t
from handlers.commit.form import DECISION_MAX, MAX_DISSENTERS, NOTE_MAX, Prefill
from handlers.commit.ids import Callback, Field
from storage.models import Commitment

TITLE_MAX = 24


def _text_input(
    name: Field,
    label: str,
    *,
    optional: bool = False,
    multiline: bool = True,
    initial: str = "",
    placeholder: str = "",
    limit: int = NOTE_MAX,
    hint: str = "",
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": name,
        "multiline": multiline,
        "max_length": limit,
    }
    if initial:
        element["initial_value"] = t.cut(initial, limit)
    if placeholder:
        element["placeholder"] = t.plain_text(placeholder, 150)
    block: dict[str, Any] = {
        "type": "input",
        "block_id": name,
        "optional": optional,
        "label": t.plain_text(label, 2000),
        "element": element,
    }
    if hint:
        block["hint"] = t.plain_text(hint, 2000)
    return block


def record(
    *,
    channel_id: str,
    author: str,
    prefill: Prefill,
    check_back: date,
    owner: str | None = None,
    metadata: str | None = None,
    note: str = "",
) -> dict[str, Any]:
    """The /commit form, prefilled from the command's text (or a message's: then `owner` is
    the suggested owner, `metadata` the sealed origin and `note` a line above the inputs)."""
    dissenters: dict[str, Any] = {
        "type": "multi_users_select",
        "action_id": Field.DISSENTERS,
        "max_selected_items": MAX_DISSENTERS,
        "placeholder": t.plain_text("Who disagreed?"),
    }
    if prefill.dissenters:
        dissenters["initial_users"] = prefill.dissenters[:MAX_DISSENTERS]
    return {
        "type": "modal",
        "callback_id": Callback.RECORD,
        "private_metadata": metadata if metadata is not None else channel_id,
        "title": t.plain_text("Disagree and commit", TITLE_MAX),
        "submit": t.plain_text("Record it", TITLE_MAX),
        "close": t.plain_text("Cancel", TITLE_MAX),
        "blocks": [
            *([t.context(note)] if note else []),
            _text_input(
                Field.DECISION,
                "What was decided?",
                initial=prefill.decision,
                placeholder="e.g. We ship on Friday",
                limit=DECISION_MAX,
            ),
            {
                "type": "input",
                "block_id": Field.OWNER,
                "label": t.plain_text("Owner"),
                "element": {
                    "type": "users_select",
                    "action_id": Field.OWNER,
                    "initial_user": owner or author,
                },
            },
            {
                "type": "input",
                "block_id": Field.DISSENTERS,
                "label": t.plain_text("Who disagreed?"),
                "element": dissenters,
                "hint": t.plain_text(
                    "Each gets a DM asking them to commit in their own words, "
                    "even if they aren't in this channel."
                ),
            },
            _text_input(
                Field.SUMMARY,
                "What was the disagreement about?",
                optional=True,
                placeholder="e.g. QA thinks the test plan isn't done",
            ),
            {
                "type": "input",
                "block_id": Field.CHECK_BACK,
                "label": t.plain_text("Check back on"),
                "element": {
                    "type": "datepicker",
                    "action_id": Field.CHECK_BACK,
                    "initial_date": check_back.isoformat(),
                },
                "hint": t.plain_text(
                    "That day at 09:00 in their own time zone, Doorway asks the "
                    "owner and the dissenters how it turned out."
                ),
            },
        ],
    }


@dataclass(frozen=True)
class Origin:
    """Which decision a dissenter's modal is about, and the message it was opened from."""

    decision_id: int
    channel: str | None = None
    ts: str | None = None

    def dump(self) -> str:
        return json.dumps({"d": self.decision_id, "c": self.channel, "ts": self.ts})

    @classmethod
    def load(cls, raw: str) -> Origin:
        data = json.loads(raw)
        return cls(decision_id=int(data["d"]), channel=data.get("c"), ts=data.get("ts"))


def pledge(decision: Commitment, origin: Origin) -> dict[str, Any]:
    """ "I disagree and commit": the concern and the expectation, both in their own words."""
    return {
        "type": "modal",
        "callback_id": Callback.PLEDGE,
        "private_metadata": origin.dump(),
        "title": t.plain_text("Disagree and commit", TITLE_MAX),
        "submit": t.plain_text("I commit", TITLE_MAX),
        "close": t.plain_text("Not now", TITLE_MAX),
        "blocks": [
            t.section(f"*Decision:* {t.safe(decision.text, 2500)}"),
            _text_input(
                Field.CONCERN, "My concern", optional=True, placeholder="What worries you about it?"
            ),
            _text_input(
                Field.EXPECTATION,
                "What I expect will happen",
                optional=True,
                placeholder="e.g. We'll need a hotfix the week after",
                hint="Shown on the card. At the check-back everyone sees how it went.",
            ),
        ],
    }


def hold(decision: Commitment, origin: Origin) -> dict[str, Any]:
    """ "I can't commit yet": a reason, which goes to the owner by DM."""
    return {
        "type": "modal",
        "callback_id": Callback.HOLD,
        "private_metadata": origin.dump(),
        "title": t.plain_text("Can't commit yet", TITLE_MAX),
        "submit": t.plain_text("Tell the owner", TITLE_MAX),
        "close": t.plain_text("Cancel", TITLE_MAX),
        "blocks": [
            t.section(f"*Decision:* {t.safe(decision.text, 2500)}"),
            _text_input(
                Field.REASON,
                "What stops you from committing?",
                hint="Goes to the owner by DM, and nowhere else.",
            ),
        ],
    }


def text_value(view: dict[str, Any], name: Field) -> str:
    """A plain-text input's value from a submitted view, stripped ("" when left empty)."""
    return forms.text(view, name)


def origin_of(view: dict[str, Any]) -> Origin:
    """Which decision a dissenter's submitted modal is about."""
    try:
        return Origin.load(view.get("private_metadata") or "")
    except (ValueError, TypeError, KeyError):
        raise forms.stale(view, "the decision it is about") from None
