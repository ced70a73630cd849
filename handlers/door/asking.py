"""When the sizing is unsure, the card asks three questions and the answers size the door.

"It can't be undone within a week at little cost" or "it commits money, contracts, data or
people for good" makes it a one-way door at once: missing a one-way door costs far more than
slowing down for a two-way one. A two-way door needs both of those answered the other way;
whether customers or the public would notice is asked too, and decides the door only when it
tips a picture that is otherwise mixed: if they would notice something that is cheap to undo,
it stays two-way, and the card says to tell them what is changing.

The first answer to each question stands: a press on an older copy of the card, or a second
person's different answer, changes nothing, and the card is redrawn as it stands.
"""

from __future__ import annotations

from enum import StrEnum

from bot.decisions.judgment import Door


class Question(StrEnum):
    UNDO = "undo"
    NOTICE = "notice"
    COMMITS = "commits"

    @property
    def text(self) -> str:
        return ASKED[self]


ASKED: dict[Question, str] = {
    Question.UNDO: "Could you undo it within a week, at little cost?",
    Question.NOTICE: "Would customers or the public notice?",
    Question.COMMITS: "Does it commit money, contracts, data or people for good?",
}

# The answers that make a door one-way on their own, with why.
ONE_WAY_IF: dict[Question, tuple[bool, str]] = {
    Question.UNDO: (False, "it can't be undone within a week at little cost"),
    Question.COMMITS: (True, "it commits money, contracts, data or people for good"),
}


def door_from(answers: dict[str, bool]) -> Door | None:
    """The door the answers so far point to, or None while they don't settle it."""
    if any(answers.get(q.value) is said for q, (said, _) in ONE_WAY_IF.items()):
        return Door.ONE_WAY
    if all(q.value in answers for q in Question):
        return Door.TWO_WAY
    return None


def because(answers: dict[str, bool]) -> str:
    """Why the answers size the door as they do, in the card's words."""
    one_way = [why for q, (said, why) in ONE_WAY_IF.items() if answers.get(q.value) is said]
    if one_way:
        return "; ".join(one_way)
    if answers.get(Question.NOTICE.value):
        return (
            "it can be undone within a week at little cost and commits nothing for good; "
            "customers will notice, so tell them what is changing"
        )
    return (
        "it can be undone within a week at little cost, customers wouldn't notice, and it "
        "commits nothing for good"
    )
