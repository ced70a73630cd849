"""Every action, callback and block id of the door room."""

from enum import StrEnum


class Action(StrEnum):
    SHARE = "door_share"
    OVERRULE = "door_overrule"
    REVIEW_DATE = "door_review_date"


class Callback(StrEnum):
    MODAL = "door_modal"


class Block(StrEnum):
    ACTIONS = "door_actions"
    DECISION = "door_decision"
    CONTEXT = "door_context"


class Field(StrEnum):
    DECISION = "decision"
    CONTEXT = "context"
