"""Every action and block id of the review room."""

from enum import StrEnum

from storage.models import DecisionOutcome, UndoAsSaid


class Action(StrEnum):
    WORKED = "review_worked"
    DID_NOT_WORK = "review_did_not_work"
    TOO_EARLY = "review_too_early"
    UNDO_AS_SAID = "review_undo_as_said"
    UNDO_HARDER = "review_undo_harder"
    UNDO_EASIER = "review_undo_easier"


class Block(StrEnum):
    ACTIONS = "review_actions"
    UNDO = "review_undo"


OUTCOME_OF = {
    Action.WORKED: DecisionOutcome.WORKED,
    Action.DID_NOT_WORK: DecisionOutcome.DID_NOT_WORK,
}

UNDO_OF = {
    Action.UNDO_AS_SAID: UndoAsSaid.AS_SAID,
    Action.UNDO_HARDER: UndoAsSaid.HARDER,
    Action.UNDO_EASIER: UndoAsSaid.EASIER,
}
