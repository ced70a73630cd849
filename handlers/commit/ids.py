"""Every action, callback, block id and job kind of the commit room."""

from enum import StrEnum


class Action(StrEnum):
    COMMIT = "commit_commit"  # a dissenter: "I disagree and commit"
    NOT_YET = "commit_not_yet"  # a dissenter: "I can't commit yet"
    OUTCOME = "commit_outcome"  # prefix: one button per Answer, see `outcome_action`


class Callback(StrEnum):
    RECORD = "commit_record"  # the /commit form
    PLEDGE = "commit_pledge"  # a dissenter's commitment, in their own words
    HOLD = "commit_hold"  # a dissenter's reason for not committing yet


class Shortcut(StrEnum):
    ON_MESSAGE = "commit_on_message"  # message shortcut: *Disagree and commit on this*


class Block(StrEnum):
    ASK = "commit_ask"  # the DM's buttons: `commit_ask:<decision id>`
    CHECKBACK = "commit_checkback"  # the check-back's buttons: `commit_checkback:<id>`
    CARD = "commit_card"


class Field(StrEnum):
    """Input blocks of the modals; each block holds one element with the same action_id."""

    DECISION = "decision"
    OWNER = "owner"
    DISSENTERS = "dissenters"
    SUMMARY = "summary"
    CHECK_BACK = "check_back"
    CONCERN = "concern"
    EXPECTATION = "expectation"
    REASON = "reason"


class Answer(StrEnum):
    """How a decision turned out, as each person asked at the check-back sees it."""

    HELD_UP = "held_up"
    CONCERNS_RIGHT = "concerns_right"
    MIXED = "mixed"
    TOO_EARLY = "too_early"

    @property
    def label(self) -> str:
        return ANSWER_LABELS[self]


def outcome_action(answer: Answer) -> str:
    """The check-back button for one answer (action ids are unique within a block)."""
    return f"{Action.OUTCOME}_{answer.value}"


ANSWER_LABELS = {
    Answer.HELD_UP: "The decision held up",
    Answer.CONCERNS_RIGHT: "The concerns were right",
    Answer.MIXED: "Mixed",
    Answer.TOO_EARLY: "Too early",
}


class JobKind(StrEnum):
    REMIND = "commit.remind"  # the one reminder to a dissenter who hasn't answered
    CHECK_BACK = "commit.checkback"  # "how did it turn out?" to one person
    SUMMARY = "commit.summary"  # the thread summary, three days after the check-back


class Step(StrEnum):
    """*Record a disagree-and-commit* (callback id `record_commit`): its inputs and
    outputs, as manifest.yml declares them."""

    DECISION = "decision"
    OWNER = "owner"
    DISSENTERS = "dissenters"
    CONCERN = "concern"
    CHECK_BACK = "check_back"
    CHANNEL = "channel_id"
    LINK = "decision_link"
