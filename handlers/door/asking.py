"""When the sizing is unsure, the card asks three questions and the answers size the door.

Any answer that points to a one-way door decides at once; a two-way door needs all three
answers to point that way. On a mixed picture the door is one-way: missing a one-way door
costs far more than slowing down for a two-way one.
"""

from __future__ import annotations

from enum import StrEnum

from bot.judgment import Door


class Question(StrEnum):
    UNDO = "undo"
    NOTICE = "notice"
    COMMITS = "commits"

    @property
    def text(self) -> str:
        return ASKED[self][0]


# The question, and the answer (True for yes) that points to a one-way door, with why.
ASKED: dict[Question, tuple[str, bool, str]] = {
    Question.UNDO: (
        "Could you undo it within a week, at little cost?",
        False,
        "it can't be undone within a week at little cost",
    ),
    Question.NOTICE: (
        "Would customers or the public notice?",
        True,
        "customers or the public would notice, and what they saw can't be taken back",
    ),
    Question.COMMITS: (
        "Does it commit money, contracts, data or people for good?",
        True,
        "it commits money, contracts, data or people for good",
    ),
}

TWO_WAY_BECAUSE = (
    "it can be undone within a week at little cost, customers wouldn't notice, and it "
    "commits nothing for good"
)


def door_from(answers: dict[str, bool]) -> Door | None:
    """The door the answers so far point to, or None while they don't settle it."""
    if any(answers.get(q.value) is ASKED[q][1] for q in Question):
        return Door.ONE_WAY
    if all(q.value in answers for q in Question):
        return Door.TWO_WAY
    return None


def because(answers: dict[str, bool]) -> str:
    """Why the answers size the door as they do, in the card's words."""
    one_way = [ASKED[q][2] for q in Question if answers.get(q.value) is ASKED[q][1]]
    return "; ".join(one_way) if one_way else TWO_WAY_BECAUSE
