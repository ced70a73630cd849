"""Every action, callback, block id and job kind of the silent-reading room."""

from enum import StrEnum


class Action(StrEnum):
    READING = "memo_reading"  # I'm reading
    FINISHED = "memo_finished"  # I've finished
    COMMENT = "memo_comment"  # Comment privately: opens the form
    EXTEND_5 = "memo_extend_5"  # the owner's buttons
    EXTEND_10 = "memo_extend_10"
    END_NOW = "memo_end_now"


# What each Extend button adds to the reading, in minutes.
EXTENDS = {Action.EXTEND_5: 5, Action.EXTEND_10: 10}


class Callback(StrEnum):
    COMMENT = "memo_comment"  # the private comment's form


class Block(StrEnum):
    READERS = "memo_readers"  # the reading's buttons: `memo_readers:<session id>`
    OWNER = "memo_owner"  # the owner's: `memo_owner:<session id>`


class Field(StrEnum):
    """Input blocks of the comment form; each holds one element with the same action_id."""

    SECTION = "section"
    KIND = "kind"
    TEXT = "text"


class Kind(StrEnum):
    COMMENT = "comment"
    QUESTION = "question"


class JobKind(StrEnum):
    END = "memo.end"  # the reading's timer: reveal the comments when it runs out
