"""The verdict on a decision, whoever gave it: built-in rules, the model or a person."""

from enum import StrEnum

from pydantic import BaseModel, Field

from storage.models import UndoAsSaid


class Door(StrEnum):
    ONE_WAY = "one_way"
    TWO_WAY = "two_way"

    @property
    def label(self) -> str:
        return "One-way door" if self is Door.ONE_WAY else "Two-way door"

    def flipped(self) -> "Door":
        return Door.TWO_WAY if self is Door.ONE_WAY else Door.ONE_WAY


def door_found(card_door: str, undo_as_said: str) -> Door:
    """The door a review found: harder to undo than the card said is a one-way door,
    easier a two-way door, as the card said the card's own."""
    if undo_as_said == UndoAsSaid.HARDER:
        return Door.ONE_WAY
    if undo_as_said == UndoAsSaid.EASIER:
        return Door.TWO_WAY
    return Door(card_door)


class Source(StrEnum):
    RULES = "rules"
    MODEL = "model"
    PERSON = "person"


class Judgment(BaseModel):
    """A sized decision: which door, how sure, and the reasons that led there."""

    door: Door
    confidence: float = Field(ge=0.0, le=1.0)
    reasons: list[str] = Field(min_length=1, max_length=6)
    chair_question: str = Field(min_length=1, max_length=500)
    source: Source = Source.RULES
    # Nothing decisive, or the signals disagree: the card asks its three questions rather
    # than decide, and `door` is only the best guess until they are answered.
    unsure: bool = False
    # The rules' signals alone call it one-way for good, whatever else leans two-way: a
    # model's two-way can't overrule that either; the card asks (bot.decisions.sizing).
    guarded: bool = False
    # Why it is unsure when that needs saying, e.g. the model and the rules disagree.
    note: str | None = Field(default=None, max_length=1000)
    # The words that led to the door, as the text has them ("delete … for good").
    evidence: list[str] = Field(default_factory=list, max_length=6)
