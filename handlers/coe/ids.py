"""Every action, callback, block id and job kind of the Correction of Error room."""

from enum import StrEnum


class Action(StrEnum):
    QUESTION = "coe_question"  # the review message's menu of the seven questions
    ADD_ACTION = "coe_add_action"
    ASK_REVIEW = "coe_ask_review"
    WRITERS = "coe_writers"  # the owner adds people to write it
    APPROVE = "coe_approve"  # the bar raiser's DM
    SEND_BACK = "coe_send_back"
    ACTION_DONE = "coe_action_done"  # a corrective action's DM
    ACTION_NOT_DOING = "coe_action_not_doing"
    ACTION_MOVE = "coe_action_move"


class Callback(StrEnum):
    OPEN = "coe_open"  # the /coe form
    ANSWER = "coe_answer"  # one question's modal
    ACTION = "coe_action"  # a new corrective action
    REVIEWER = "coe_reviewer"  # who raises the bar
    SEND_BACK = "coe_send_back"  # the reviewer's reason
    NOT_DOING = "coe_not_doing"  # why an action won't be done
    MOVE = "coe_move"  # an action's new date
    WRITERS = "coe_writers"  # who writes it with the owner


class Block(StrEnum):
    CARD = "coe_card"  # the review message's buttons: `coe_card:<review id>`
    REVIEW = "coe_review"  # the bar raiser's buttons
    ACTION = "coe_action"  # an action DM's buttons: `coe_action:<action id>`


class Field(StrEnum):
    """Input blocks of the modals; each block holds one element with the same action_id."""

    TITLE = "title"
    STARTED = "started"
    DETECTED = "detected"
    DURATION = "duration"
    SEVERITY = "severity"
    CHANNEL = "channel"
    OWNER = "owner"
    DRAFT_DUE = "draft_due"
    DECISIONS = "decisions"
    ANSWER = "answer"
    CUSTOMERS = "customers"
    MINUTES = "minutes"
    COST = "cost"
    WHY = "why"  # why_1 … why_5, see `why_field`
    CHAIN = "chain"
    ACTION_TITLE = "action_title"
    PRIORITY = "priority"
    DUE = "due"
    REVIEWER = "reviewer"
    REASON = "reason"
    WRITERS = "writers"


def why_field(number: int) -> str:
    return f"{Field.WHY}_{number}"


class Severity(StrEnum):
    SEV1 = "sev1"
    SEV2 = "sev2"
    SEV3 = "sev3"
    SEV4 = "sev4"

    @property
    def label(self) -> str:
        return {
            Severity.SEV1: "SEV1: customers can't use it",
            Severity.SEV2: "SEV2: a major part is broken",
            Severity.SEV3: "SEV3: degraded, with a workaround",
            Severity.SEV4: "SEV4: minor, or a near miss",
        }[self]


class Priority(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class JobKind(StrEnum):
    ACTION_DUE = "coe.action_due"  # a corrective action's owner, on its date, then weekly
    DRAFT_DUE = "coe.draft_due"  # the review's owner, on the day the first draft is due
