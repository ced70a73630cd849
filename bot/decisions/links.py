"""What links a decision to the documents around it, shared by the rooms that record
decisions and the rooms that write the documents (rooms never import each other).

- A `/commit` check-back answered "the concerns were right" offers to open a Correction of
  Error in one click: the button is drawn where the answer is, and opens the review's form,
  with the decision named, in the review's room.
- A PR/FAQ's *Do we build it?* is drawn by the PR/FAQ room and answered by the door room,
  which opens `/door`'s form about it; once the decision is recorded, the door room plants a
  job of `PRFAQ_DECIDED` and the PR/FAQ room draws its card again, naming the decision.
"""

from __future__ import annotations

from typing import Any

from bot.slack import text as t

OPEN_REVIEW = "coe_from_decision"  # the button's action id; its value is the decision's id
DECIDE_BUILD = "door_from_prfaq"  # the button's action id; its value is the PR/FAQ's id
PRFAQ_DECIDED = "prfaq.decided"  # the job kind; its payload names the PR/FAQ


def decided_key(prfaq_id: int) -> str:
    return f"prfaq:{prfaq_id}:decided"


def open_review_block(decision_id: int) -> dict[str, Any]:
    """An actions block with the one button."""
    return {
        "type": "actions",
        "block_id": f"{OPEN_REVIEW}:{decision_id}",
        "elements": [
            t.button("Open a Correction of Error", OPEN_REVIEW, str(decision_id), style="primary")
        ],
    }
