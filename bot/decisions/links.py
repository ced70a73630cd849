"""What links a decision to the Correction of Error it led to, shared by the rooms that
record decisions and the one that runs the review (rooms never import each other).

A `/commit` check-back answered "the concerns were right" offers to open a review in one
click: the button is drawn where the answer is, and opens the review's form, with the
decision named, in the review's room.
"""

from __future__ import annotations

from typing import Any

from bot.slack import text as t

OPEN_REVIEW = "coe_from_decision"  # the button's action id; its value is the decision's id


def open_review_block(decision_id: int) -> dict[str, Any]:
    """An actions block with the one button."""
    return {
        "type": "actions",
        "block_id": f"{OPEN_REVIEW}:{decision_id}",
        "elements": [
            t.button("Open a Correction of Error", OPEN_REVIEW, str(decision_id), style="primary")
        ],
    }
