"""Every action and block id of the review room."""

from enum import StrEnum

from storage.models import DecisionOutcome


class Action(StrEnum):
    WORKED = "review_worked"
    DID_NOT_WORK = "review_did_not_work"
    TOO_EARLY = "review_too_early"


class Block(StrEnum):
    ACTIONS = "review_actions"


OUTCOME_OF = {
    Action.WORKED: DecisionOutcome.WORKED,
    Action.DID_NOT_WORK: DecisionOutcome.DID_NOT_WORK,
}
