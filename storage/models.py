"""Doorway's tables. Every row that belongs to a workspace carries its team_id."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, byte_ordered, utcnow

ID = 32  # Slack ids (T…, C…, U…) are short; leave room for enterprise-grid forms
TEXT_MAX = 12_000  # Slack caps slash-command text well below this; we store it as typed


def _utc(*, nullable: bool = True, index: bool = False) -> Any:
    return Field(
        default=None,
        sa_type=UTCDateTime,
        nullable=nullable,
        index=index,
    )


class DecisionStatus(StrEnum):
    OPEN = "open"  # sized, seen only by its author
    SHARED = "shared"  # posted in the channel
    CLOSED = "closed"  # an outcome was recorded


class DecisionOutcome(StrEnum):
    """What the owner said when a /door decision's review came round (DoorDecision.outcome)."""

    WORKED = "worked"
    DID_NOT_WORK = "did_not_work"


class UndoAsSaid(StrEnum):
    """At the review, how undoing it compared with the door on the card
    (DoorDecision.undo_as_said)."""

    AS_SAID = "as_said"  # the card's door was right
    HARDER = "harder"  # it was harder to undo: a one-way door
    EASIER = "easier"  # it was easy to undo: a two-way door


class DecisionKind(StrEnum):
    DOOR = "door"
    COMMIT = "commit"


class Decision(SQLModel, table=True):
    """The number of every decision, /door or /commit, and which kind it is.

    One sequence for both kinds keeps "Decision #N" (on cards, in exports, in job keys)
    naming one decision; its body is the `door` or `commitment` row with the same id.
    """

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=ID, index=True)
    kind: str = Field(max_length=16)


def _number() -> Any:
    """A decision's id: the `decision` row allocated for it (see Decision)."""
    return Field(
        default=None,
        primary_key=True,
        foreign_key="decision.id",
        sa_column_kwargs={"autoincrement": False},
    )


class DoorDecision(SQLModel, table=True):
    """A decision sized with /door: its door card, review, outcome and undo answer."""

    __tablename__ = "door"
    __table_args__ = (
        UniqueConstraint("team_id", "request_key", name="uq_door_request"),
        Index("ix_door_team_channel_created", "team_id", "channel_id", "created_at"),
        # App Home: a person's decisions, as owner and as author (storage/queries/log.py).
        Index("ix_door_team_owner_created", "team_id", "owner_id", "created_at"),
        Index("ix_door_team_author_created", "team_id", "author_id", "created_at"),
        # The digest: each fact of a channel's week is one range (storage/queries/digests.py).
        Index("ix_door_team_channel_shared", "team_id", "channel_id", "shared_at"),
        Index("ix_door_team_channel_overruled", "team_id", "channel_id", "overruled_at"),
        Index("ix_door_team_channel_outcome", "team_id", "channel_id", "outcome_at"),
        Index("ix_door_team_channel_review", "team_id", "channel_id", "review_at"),
    )

    id: int | None = _number()
    team_id: str = Field(max_length=ID, index=True)
    enterprise_id: str | None = Field(default=None, max_length=ID)
    channel_id: str = Field(max_length=ID)
    author_id: str = Field(max_length=ID)
    owner_id: str = Field(max_length=ID)
    text: str = Field(max_length=TEXT_MAX, sa_type=Text)
    context: str | None = Field(default=None, max_length=TEXT_MAX, sa_type=Text)
    door: str = Field(max_length=16)
    door_source: str = Field(max_length=16)
    confidence: float = 0.0
    reasons: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    chair_question: str = Field(default="", max_length=1000)
    status: str = Field(default=DecisionStatus.OPEN, max_length=16)
    request_key: str = Field(max_length=128)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    shared_at: datetime | None = _utc()
    review_at: date | None = None
    message_channel: str | None = Field(default=None, max_length=ID)
    message_ts: str | None = Field(default=None, max_length=32)
    permalink: str | None = Field(default=None, max_length=500)
    overruled_by: str | None = Field(default=None, max_length=ID)
    overruled_at: datetime | None = _utc()
    outcome: str | None = Field(default=None, max_length=32)  # a DecisionOutcome
    outcome_by: str | None = Field(default=None, max_length=ID)
    outcome_at: datetime | None = _utc()
    # Sizing that asked instead of deciding: the card's three questions, and what they heard.
    unsure: bool = False
    sizing_note: str | None = Field(default=None, max_length=1000)
    answers: dict[str, bool] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    answered_by: str | None = Field(default=None, max_length=ID)
    # At the review: was it as easy to undo as the card said? (see UndoAsSaid)
    undo_as_said: str | None = Field(default=None, max_length=16)
    undo_by: str | None = Field(default=None, max_length=ID)
    undo_at: datetime | None = _utc()
    # The door and source the card first gave, kept the first time a person overrules it:
    # a second overrule flips the door back, so `door` alone can't say what the card said.
    sized_door: str | None = Field(default=None, max_length=16)
    sized_source: str | None = Field(default=None, max_length=16)
    # Sized from a Slack message (the *Size this decision* shortcut): that message's link;
    # and why Slack refused the card's post there, if it did.
    source_url: str | None = Field(default=None, max_length=500)
    post_error: str | None = Field(default=None, max_length=200)


class Commitment(SQLModel, table=True):
    """A decision recorded with /commit: who disagreed (Dissent), and the check-back
    (CheckIn) whose answers add up to its verdict."""

    __table_args__ = (
        UniqueConstraint("team_id", "request_key", name="uq_commitment_request"),
        Index("ix_commitment_team_channel_created", "team_id", "channel_id", "created_at"),
        Index("ix_commitment_team_owner_created", "team_id", "owner_id", "created_at"),
        Index("ix_commitment_team_author_created", "team_id", "author_id", "created_at"),
        Index("ix_commitment_team_channel_shared", "team_id", "channel_id", "shared_at"),
        Index("ix_commitment_team_channel_verdict", "team_id", "channel_id", "verdict_at"),
    )

    id: int | None = _number()
    team_id: str = Field(max_length=ID, index=True)
    enterprise_id: str | None = Field(default=None, max_length=ID)
    channel_id: str = Field(max_length=ID)
    author_id: str = Field(max_length=ID)
    owner_id: str = Field(max_length=ID)
    text: str = Field(max_length=TEXT_MAX, sa_type=Text)
    context: str | None = Field(default=None, max_length=TEXT_MAX, sa_type=Text)  # the disagreement
    # Sized like a /door decision when recorded, shown on the card; never overruled.
    door: str = Field(max_length=16)
    door_source: str = Field(max_length=16)
    confidence: float = 0.0
    reasons: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    chair_question: str = Field(default="", max_length=1000)
    status: str = Field(default=DecisionStatus.OPEN, max_length=16)
    request_key: str = Field(max_length=128)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    shared_at: datetime | None = _utc()
    check_back: date | None = None  # the day everyone is asked how it turned out
    message_channel: str | None = Field(default=None, max_length=ID)
    message_ts: str | None = Field(default=None, max_length=32)
    permalink: str | None = Field(default=None, max_length=500)
    # What the check-back's answers added up to (handlers.commit.ids.Answer), set with
    # `verdict_at` when it is closed; None on a closed commitment: nobody answered.
    verdict: str | None = Field(default=None, max_length=32)
    verdict_at: datetime | None = _utc()
    # Recorded from a Slack message (*Disagree and commit on this*): that message's link;
    # and why Slack refused the card's post there, if it did.
    source_url: str | None = Field(default=None, max_length=500)
    post_error: str | None = Field(default=None, max_length=200)


AnyDecision = DoorDecision | Commitment


class DissentState(StrEnum):
    PENDING = "pending"
    COMMITTED = "committed"
    NOT_YET = "not_yet"


class Dissent(SQLModel, table=True):
    """One person who disagreed with a commitment, and whether they committed."""

    __table_args__ = (
        UniqueConstraint("decision_id", "user_id", name="uq_dissent_person"),
        # /decisions in a DM: the commitments a person disagreed with (storage/queries/search.py).
        Index("ix_dissent_team_user", "team_id", "user_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=ID, index=True)
    decision_id: int = Field(foreign_key="commitment.id", index=True)
    user_id: str = Field(max_length=ID)
    concern: str | None = Field(default=None, max_length=3000, sa_type=Text)
    expectation: str | None = Field(default=None, max_length=3000, sa_type=Text)
    state: str = Field(default=DissentState.PENDING, max_length=16)
    reason: str | None = Field(default=None, max_length=3000, sa_type=Text)
    answered_at: datetime | None = _utc()
    committed_at: datetime | None = _utc()
    dm_channel: str | None = Field(default=None, max_length=ID)
    dm_ts: str | None = Field(default=None, max_length=32)
    dm_error: str | None = Field(default=None, max_length=200)


class CheckIn(SQLModel, table=True):
    """One person's answer to 'how did it turn out?' on the check-back date."""

    __table_args__ = (UniqueConstraint("decision_id", "user_id", name="uq_checkin_person"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=ID, index=True)
    decision_id: int = Field(foreign_key="commitment.id", index=True)
    user_id: str = Field(max_length=ID)
    role: str = Field(max_length=16)  # owner | dissenter
    answer: str | None = Field(default=None, max_length=32)
    asked_at: datetime | None = _utc()
    answered_at: datetime | None = _utc()


class UserProfile(SQLModel, table=True):
    """What Slack's users.info told us about a person, kept fresh."""

    team_id: str = Field(max_length=ID, primary_key=True)
    user_id: str = Field(max_length=ID, primary_key=True)
    tz: str = Field(default="UTC", max_length=64)
    is_bot: bool = False
    deleted: bool = False
    name: str | None = Field(default=None, max_length=200)
    fetched_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class DigestSubscription(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("team_id", "channel_id", name="uq_digest_channel"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=ID, index=True)
    channel_id: str = Field(max_length=ID)
    weekday: int = 4  # Monday is 0; Friday by default
    at_minute: int = 16 * 60  # minutes after local midnight
    tz: str = Field(default="UTC", max_length=64)
    subscribed_by: str = Field(max_length=ID)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class DigestRun(SQLModel, table=True):
    """At most one digest per channel per week, enforced by the unique key."""

    __table_args__ = (UniqueConstraint("team_id", "channel_id", "week", name="uq_digest_week"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=ID, index=True)
    channel_id: str = Field(max_length=ID)
    week: str = Field(max_length=16)  # ISO week of the subscriber's zone, e.g. 2026-W48
    state: str = Field(max_length=16)  # sending | sent | empty | skipped | removed
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class JobState(StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    DONE = "done"
    FAILED = "failed"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"


class Job(SQLModel, table=True):
    """Something Doorway will send later: durable, claimed with a lease, sent once."""

    __table_args__ = (
        UniqueConstraint("team_id", "key", name="uq_job_key"),
        Index("ix_job_due", "state", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=ID, index=True)
    kind: str = Field(max_length=32)
    # A key prefix ("review:12:") is a range of this column (storage/queries/jobs.py).
    key: str = Field(sa_type=byte_ordered(200), nullable=False)  # type: ignore[call-overload]
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    due_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    state: str = Field(default=JobState.PENDING, max_length=16)
    attempts: int = 0
    lease_owner: str | None = Field(default=None, max_length=64)
    lease_until: datetime | None = _utc()
    last_error: str | None = Field(default=None, max_length=1000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    done_at: datetime | None = _utc()


class SeenEvent(SQLModel, table=True):
    """Things done once per workspace: Events API deliveries already handled, and posts
    claimed by one process (`lease_until` set) until they are confirmed (it is cleared)."""

    team_id: str = Field(max_length=ID, primary_key=True)
    event_id: str = Field(max_length=64, primary_key=True)
    seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    # Set while a claim is held and not yet confirmed; a holder that died loses it after this.
    lease_until: datetime | None = _utc()


class UnfinishedState(StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    FAILED = "failed"


class UnfinishedRequest(SQLModel, table=True):
    """A request Slack was acknowledged for whose work a stop cut short: replayed on a start.

    `body` is the request as Bolt parsed it (the same dict over HTTP and Socket Mode), so a
    replay dispatches it exactly as it first arrived. Claimed with a lease like a job, so
    of several instances starting together one replays it.
    """

    __table_args__ = (Index("ix_unfinished_request_state", "state", "saved_at"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=ID, index=True)
    body: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    saved_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    state: str = Field(default=UnfinishedState.PENDING, max_length=16)
    attempts: int = 0
    lease_owner: str | None = Field(default=None, max_length=64)
    lease_until: datetime | None = _utc()


class CoeState(StrEnum):
    """Where a Correction of Error review stands (handlers/coe)."""

    DRAFTING = "drafting"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    ACTIONS_CLOSED = "actions_closed"


class CoeReview(SQLModel, table=True):
    """A Correction of Error: the incident, its single-threaded owner, its bar raiser, and
    where its message is. Answers (CoeAnswer) and corrective actions (CoeAction) hang off it."""

    __table_args__ = (
        UniqueConstraint("team_id", "request_key", name="uq_coe_request"),
        Index("ix_coe_team_channel_created", "team_id", "channel_id", "created_at"),
        Index("ix_coe_team_owner", "team_id", "owner_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=ID)
    enterprise_id: str | None = Field(default=None, max_length=ID)
    channel_id: str = Field(max_length=ID)  # where it was handled, and where its message is
    thread_ts: str | None = Field(default=None, max_length=32)  # the incident's thread, if one
    author_id: str = Field(max_length=ID)
    owner_id: str = Field(max_length=ID)
    title: str = Field(max_length=200)
    severity: str = Field(max_length=8)
    started_at: datetime | None = _utc()
    detected_at: datetime | None = _utc()
    duration_minutes: int | None = None
    draft_due: date
    # The decisions (/door or /commit numbers) that led here.
    decision_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Who the owner added to write it with them (the owner always may).
    writers: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    state: str = Field(default=CoeState.DRAFTING, max_length=16)
    reviewer_id: str | None = Field(default=None, max_length=ID)
    sent_back: str | None = Field(default=None, max_length=3000)  # the reviewer's last reason
    request_key: str = Field(max_length=128)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    approved_at: datetime | None = _utc()
    message_channel: str | None = Field(default=None, max_length=ID)
    message_ts: str | None = Field(default=None, max_length=32)
    message_error: str | None = Field(default=None, max_length=200)  # the post Slack refused
    document_ts: str | None = Field(default=None, max_length=32)  # the approved document's post
    canvas_id: str | None = Field(default=None, max_length=32)  # and its canvas, where allowed


class CoeAnswer(SQLModel, table=True):
    """One of the seven questions, answered: as written (rich text) and as shown (mrkdwn)."""

    __table_args__ = (UniqueConstraint("review_id", "question", name="uq_coe_answer"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=ID, index=True)
    review_id: int = Field(foreign_key="coereview.id", index=True)
    question: str = Field(max_length=32)
    text: str = Field(max_length=TEXT_MAX, sa_type=Text)  # mrkdwn, escaped, as shown
    rich: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # The question's own fields: the five-whys chains, the customer-impact numbers.
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    answered_by: str = Field(max_length=ID)
    answered_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class CoeActionState(StrEnum):
    OPEN = "open"
    DONE = "done"
    NOT_DOING = "not_doing"


class CoeAction(SQLModel, table=True):
    """A corrective action: one owner, a due date, a priority, chased until it is closed."""

    __table_args__ = (
        UniqueConstraint("team_id", "request_key", name="uq_coe_action_request"),
        Index("ix_coe_action_team_owner_state", "team_id", "owner_id", "state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=ID)
    review_id: int = Field(foreign_key="coereview.id", index=True)
    title: str = Field(max_length=500)
    owner_id: str = Field(max_length=ID)
    due: date
    priority: str = Field(max_length=8)
    state: str = Field(default=CoeActionState.OPEN, max_length=16)
    reason: str | None = Field(default=None, max_length=3000)  # why "not doing"
    closed_by: str | None = Field(default=None, max_length=ID)
    closed_at: datetime | None = _utc()
    request_key: str = Field(max_length=128)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class MemoState(StrEnum):
    """Where a /memo silent reading stands (handlers/memo)."""

    READING = "reading"  # the timer runs; comments are collected privately
    CLOSING = "closing"  # the reading is over; its comments are being posted
    REVEALED = "revealed"  # the comments are in the thread: the discussion is on
    CANCELLED = "cancelled"  # its message could not be posted, so it never started


class MemoEnd(StrEnum):
    """Why a silent reading ended (MemoSession.ended_reason)."""

    TIME_UP = "time_up"
    ALL_FINISHED = "all_finished"
    OWNER = "ended_by_owner"


class MemoSession(SQLModel, table=True):
    """A silent reading of a memo: who started it, until when, and where its message and
    its reveal are. Readers (MemoReader) and private comments (MemoComment) hang off it."""

    __table_args__ = (
        UniqueConstraint("team_id", "request_key", name="uq_memo_request"),
        Index("ix_memo_team_channel_created", "team_id", "channel_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=ID)
    enterprise_id: str | None = Field(default=None, max_length=ID)
    channel_id: str = Field(max_length=ID)
    owner_id: str = Field(max_length=ID)  # who ran /memo: they extend or end it
    title: str = Field(max_length=300)  # as typed ("" when only a link was given)
    url: str | None = Field(default=None, max_length=2000)
    minutes: int  # as asked for at the start
    started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    ends_at: datetime = Field(sa_type=UTCDateTime, nullable=False)  # moved by Extend
    state: str = Field(default=MemoState.READING, max_length=16)
    ended_reason: str | None = Field(default=None, max_length=16)
    ended_by: str | None = Field(default=None, max_length=ID)
    ended_at: datetime | None = _utc()
    message_channel: str | None = Field(default=None, max_length=ID)
    message_ts: str | None = Field(default=None, max_length=32)
    message_error: str | None = Field(default=None, max_length=200)  # the post Slack refused
    reveal_ts: str | None = Field(default=None, max_length=32)  # the reveal's first post
    reveal_pages: int = 0  # how many of the reveal's posts Slack has taken
    reveal_error: str | None = Field(default=None, max_length=200)  # its last failure
    revealed_at: datetime | None = _utc()
    request_key: str = Field(max_length=128)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class MemoReader(SQLModel, table=True):
    """Someone who pressed *I'm reading* (or commented, or finished) in a silent reading."""

    __table_args__ = (UniqueConstraint("session_id", "user_id", name="uq_memo_reader"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=ID, index=True)
    session_id: int = Field(foreign_key="memosession.id")
    user_id: str = Field(max_length=ID)
    started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    finished_at: datetime | None = _utc()


class MemoComment(SQLModel, table=True):
    """A comment or question sent privately during a silent reading, shown at the reveal."""

    __table_args__ = (UniqueConstraint("team_id", "request_key", name="uq_memo_comment_request"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=ID)
    session_id: int = Field(foreign_key="memosession.id", index=True)
    user_id: str = Field(max_length=ID)
    section: str | None = Field(default=None, max_length=200)  # which part of the memo
    kind: str = Field(default="comment", max_length=16)  # comment or question
    text: str = Field(max_length=3000)  # as typed
    request_key: str = Field(max_length=128)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class Prfaq(SQLModel, table=True):
    """A PR/FAQ (working backwards): the five customer answers it was drafted from, who
    wrote the draft, and how far it has been shared. Its sections (PrfaqSection) keep their
    history (PrfaqRevision); its readers are PrfaqReader; its messages are PrfaqPost."""

    __table_args__ = (
        UniqueConstraint("team_id", "request_key", name="uq_prfaq_request"),
        Index("ix_prfaq_team_author", "team_id", "author_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=ID)
    enterprise_id: str | None = Field(default=None, max_length=ID)
    channel_id: str = Field(max_length=ID)  # where /prfaq was run: the last circle's channel
    author_id: str = Field(max_length=ID)
    idea: str = Field(max_length=200)
    answers: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    written_by: str = Field(max_length=16)  # Writer: the model or the template
    draft_note: str | None = Field(default=None, max_length=200)  # why the template wrote it
    circle: int = 0  # Circle: who has been asked to read it
    decision_id: int | None = None  # the /door decision "do we build this?"
    request_key: str = Field(max_length=128)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    post_error: str | None = Field(default=None, max_length=200)  # the last post Slack refused
    canvas_id: str | None = Field(default=None, max_length=32)


class PrfaqSection(SQLModel, table=True):
    """One section of a PR/FAQ as it reads now, with the version it is at."""

    __table_args__ = (UniqueConstraint("prfaq_id", "section", name="uq_prfaq_section"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=ID, index=True)
    prfaq_id: int = Field(foreign_key="prfaq.id", index=True)
    section: str = Field(max_length=32)
    text: str = Field(max_length=TEXT_MAX, sa_type=Text)  # as written: escaped when shown
    version: int = 1
    updated_by: str = Field(max_length=ID)  # a person, or the draft's Writer
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class PrfaqRevision(SQLModel, table=True):
    """A section's history: every version, who wrote it and when."""

    __table_args__ = (UniqueConstraint("prfaq_id", "section", "version", name="uq_prfaq_revision"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=ID, index=True)
    prfaq_id: int = Field(foreign_key="prfaq.id", index=True)
    section: str = Field(max_length=32)
    version: int
    text: str = Field(max_length=TEXT_MAX, sa_type=Text)
    changed_by: str = Field(max_length=ID)
    note: str = Field(default="", max_length=200)  # "first draft", "a question from …"
    changed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class PrfaqReader(SQLModel, table=True):
    """Someone asked to read a PR/FAQ (or who read it in the channel), and whether they have."""

    __table_args__ = (
        UniqueConstraint("prfaq_id", "user_id", name="uq_prfaq_reader"),
        Index("ix_prfaq_reader_team_user", "team_id", "user_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=ID)
    prfaq_id: int = Field(foreign_key="prfaq.id", index=True)
    user_id: str = Field(max_length=ID)
    circle: int
    asked_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    read_at: datetime | None = _utc()
    questions: int = 0
    dm_error: str | None = Field(default=None, max_length=200)  # the ask Slack refused


class PrfaqPost(SQLModel, table=True):
    """Where a PR/FAQ's card and sections are posted: in the author's DM ("home") and, once
    shared with it, in the channel. A piece whose post failed has no row: the next change
    posts it again."""

    __table_args__ = (UniqueConstraint("prfaq_id", "place", "piece", name="uq_prfaq_post"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=ID, index=True)
    prfaq_id: int = Field(foreign_key="prfaq.id", index=True)
    place: str = Field(max_length=16)  # "home" or "channel"
    piece: str = Field(max_length=32)  # "card" or a section
    channel: str = Field(max_length=ID)
    ts: str = Field(max_length=32)


# -- OAuth installs (many workspaces) ------------------------------------------------------
# The tables of slack_sdk's SQLAlchemy installation and state stores, as slack_sdk defines
# them (slack_sdk.oauth.installation_store.sqlalchemy), so Bolt's installations read and
# write the columns it knows; only the token columns are Text: they hold Fernet ciphertext,
# longer than the tokens themselves (storage/installations.py).
INSTALLATIONS_TABLE = "slack_installations"
BOTS_TABLE = "slack_bots"
OAUTH_STATES_TABLE = "slack_oauth_states"
TOKEN_COLUMNS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")


def _slack_sdk_tables() -> tuple[Any, Any, Any]:
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
    from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

    metadata = SQLModel.metadata
    installations = SQLAlchemyInstallationStore.build_installations_table(
        metadata, INSTALLATIONS_TABLE
    )
    bots = SQLAlchemyInstallationStore.build_bots_table(metadata, BOTS_TABLE)
    states = SQLAlchemyOAuthStateStore.build_oauth_states_table(metadata, OAUTH_STATES_TABLE)
    for table in (installations, bots):
        for name in TOKEN_COLUMNS:
            if name in table.c:
                table.c[name].type = Text()
    return installations, bots, states


slack_installations, slack_bots, slack_oauth_states = _slack_sdk_tables()


class WorkspaceUninstall(SQLModel, table=True):
    """A workspace that uninstalled Doorway (app_uninstalled, or its bot token revoked):
    nothing is sent to it, and its data is deleted once `forget_at` comes
    (DOORWAY_RETENTION_DAYS after). Installing again before then removes the row."""

    __tablename__ = "workspace_uninstall"

    team_id: str = Field(max_length=ID, primary_key=True)
    enterprise_id: str | None = Field(default=None, max_length=ID)
    uninstalled_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    forget_at: datetime = Field(sa_type=UTCDateTime, nullable=False, index=True)
    reason: str = Field(default="app_uninstalled", max_length=32)
