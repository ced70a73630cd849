"""Every action, callback and block id of the door room."""

from enum import StrEnum


class Action(StrEnum):
    SHARE = "door_share"
    OVERRULE = "door_overrule"
    REVIEW_DATE = "door_review_date"
    # The card's questions when unsure: value `<decision id>:<question>`.
    ANSWER_YES = "door_answer_yes"
    ANSWER_NO = "door_answer_no"


class Callback(StrEnum):
    MODAL = "door_modal"


class Shortcut(StrEnum):
    SIZE_MESSAGE = "door_size_message"  # message shortcut: *Size this decision*
    LOG = "door_log_decision"  # global shortcut: *Log a decision*


class Block(StrEnum):
    ACTIONS = "door_actions"
    DECISION = "door_decision"
    CONTEXT = "door_context"
    ASK = "door_ask"


class Field(StrEnum):
    DECISION = "decision"
    CONTEXT = "context"
    POST_IN = "post_in"  # the global shortcut's form: where the card goes


class Step(StrEnum):
    """*Size a decision* (callback id `size_decision`): its inputs and outputs, as
    manifest.yml declares them."""

    DECISION_TEXT = "decision_text"
    CHANNEL = "channel_id"
    USER = "user_id"
    DOOR = "door"
    CONFIDENCE = "confidence"
    LINK = "decision_link"
