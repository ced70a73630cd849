"""Queries on Correction of Error reviews (`coereview`), their answers and their actions.

A move from one state to another is a conditional UPDATE, so a double press or a retried
request moves nothing twice: the caller learns from the returned bool whether it counted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import tuple_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import (
    CoeAction,
    CoeActionState,
    CoeAnswer,
    CoeReview,
    Commitment,
    Decision,
    DoorDecision,
)
from storage.queries.common import insert, insert_once
from storage.types import utcnow


async def record_review(*, session: AsyncSession, values: dict[str, Any]) -> tuple[CoeReview, bool]:
    """Store a review once per (team, request_key); the row, and whether it is new."""
    return await insert_once(session=session, model=CoeReview, values=values)


async def get_review(*, session: AsyncSession, team_id: str, review_id: int) -> CoeReview | None:
    """One review of this workspace, or None."""
    statement = select(CoeReview).where(CoeReview.team_id == team_id, CoeReview.id == review_id)
    return (await session.exec(statement)).first()


async def set_message(
    *,
    session: AsyncSession,
    team_id: str,
    review_id: int,
    channel: str | None,
    ts: str | None,
    error: str | None,
) -> None:
    """Where the review's message is, or why Slack refused it."""
    await session.exec(
        update(CoeReview)
        .where(col(CoeReview.team_id) == team_id, col(CoeReview.id) == review_id)
        .values(message_channel=channel, message_ts=ts, message_error=error, updated_at=utcnow())
    )


async def move(
    *,
    session: AsyncSession,
    team_id: str,
    review_id: int,
    from_states: Iterable[str],
    to: str,
    **values: Any,
) -> bool:
    """Move a review to `to` if it is in one of `from_states`; whether this move counted."""
    result = await session.exec(
        update(CoeReview)
        .where(
            col(CoeReview.team_id) == team_id,
            col(CoeReview.id) == review_id,
            col(CoeReview.state).in_(list(from_states)),
        )
        .values(state=to, updated_at=utcnow(), **values)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def set_document(*, session: AsyncSession, team_id: str, review_id: int, ts: str) -> bool:
    """Note the approved document's post, once; whether this was the first."""
    result = await session.exec(
        update(CoeReview)
        .where(
            col(CoeReview.team_id) == team_id,
            col(CoeReview.id) == review_id,
            col(CoeReview.document_ts).is_(None),
        )
        .values(document_ts=ts)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def set_writers(
    *, session: AsyncSession, team_id: str, review_id: int, writers: list[str]
) -> None:
    """Who writes the review with its owner."""
    await session.exec(
        update(CoeReview)
        .where(col(CoeReview.team_id) == team_id, col(CoeReview.id) == review_id)
        .values(writers=writers, updated_at=utcnow())
    )


async def set_canvas(
    *, session: AsyncSession, team_id: str, review_id: int, canvas_id: str
) -> None:
    """Note the canvas the approved document was written into."""
    await session.exec(
        update(CoeReview)
        .where(col(CoeReview.team_id) == team_id, col(CoeReview.id) == review_id)
        .values(canvas_id=canvas_id)
    )


async def answers_of(*, session: AsyncSession, team_id: str, review_id: int) -> list[CoeAnswer]:
    """The review's answered questions."""
    statement = select(CoeAnswer).where(
        CoeAnswer.team_id == team_id, CoeAnswer.review_id == review_id
    )
    return list((await session.exec(statement)).all())


async def save_answer(*, session: AsyncSession, answer: CoeAnswer) -> None:
    """Write a question's answer, replacing an earlier one."""
    values = answer.model_dump(exclude={"id"})
    statement = insert(session, CoeAnswer).values(**values)
    await session.exec(
        statement.on_conflict_do_update(
            index_elements=["review_id", "question"],
            set_={
                k: statement.excluded[k]
                for k in ("text", "rich", "details", "answered_by", "answered_at")
            },
        )
    )


async def add_action(*, session: AsyncSession, values: dict[str, Any]) -> tuple[CoeAction, bool]:
    """Store a corrective action once per (team, request_key); the row, and whether it is new."""
    return await insert_once(session=session, model=CoeAction, values=values)


async def actions_of(*, session: AsyncSession, team_id: str, review_id: int) -> list[CoeAction]:
    """The review's corrective actions, in the order they were added."""
    statement = (
        select(CoeAction)
        .where(CoeAction.team_id == team_id, CoeAction.review_id == review_id)
        .order_by(col(CoeAction.id))
    )
    return list((await session.exec(statement)).all())


async def get_action(*, session: AsyncSession, team_id: str, action_id: int) -> CoeAction | None:
    """One corrective action of this workspace, or None."""
    statement = select(CoeAction).where(CoeAction.team_id == team_id, CoeAction.id == action_id)
    return (await session.exec(statement)).first()


async def close_action(
    *,
    session: AsyncSession,
    team_id: str,
    action_id: int,
    state: CoeActionState,
    by: str,
    reason: str | None,
    at: datetime,
) -> bool:
    """Close an open action (done, or not doing with the reason); whether this closed it."""
    result = await session.exec(
        update(CoeAction)
        .where(
            col(CoeAction.team_id) == team_id,
            col(CoeAction.id) == action_id,
            col(CoeAction.state) == CoeActionState.OPEN,
        )
        .values(state=state, closed_by=by, reason=reason, closed_at=at)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def move_action(*, session: AsyncSession, team_id: str, action_id: int, due: date) -> bool:
    """Give an open action a new due date; whether it was open."""
    result = await session.exec(
        update(CoeAction)
        .where(
            col(CoeAction.team_id) == team_id,
            col(CoeAction.id) == action_id,
            col(CoeAction.state) == CoeActionState.OPEN,
        )
        .values(due=due)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def reviews_of_team(
    *, session: AsyncSession, team_id: str | None, since: datetime | None = None
) -> Sequence[CoeReview]:
    """Every review of a workspace (or of all, for `None`), oldest first (for the export)."""
    statement = select(CoeReview).order_by(col(CoeReview.id))
    if team_id is not None:
        statement = statement.where(CoeReview.team_id == team_id)
    if since is not None:
        statement = statement.where(col(CoeReview.created_at) >= since)
    return (await session.exec(statement)).all()


async def answers_and_actions(
    *, session: AsyncSession, reviews: Sequence[CoeReview]
) -> tuple[list[CoeAnswer], list[CoeAction]]:
    """The answers and the actions of several reviews: one query each."""
    ids = [r.id for r in reviews if r.id is not None]
    if not ids:
        return [], []
    answers = await session.exec(select(CoeAnswer).where(col(CoeAnswer.review_id).in_(ids)))
    actions = await session.exec(
        select(CoeAction).where(col(CoeAction.review_id).in_(ids)).order_by(col(CoeAction.id))
    )
    return list(answers.all()), list(actions.all())


async def existing_decisions(
    *, session: AsyncSession, team_id: str, ids: Iterable[int]
) -> set[int]:
    """Which of these decision numbers (/door or /commit) this workspace has."""
    wanted = sorted(set(ids))
    if not wanted:
        return set()
    statement = select(Decision.id).where(Decision.team_id == team_id, col(Decision.id).in_(wanted))
    return {n for n in (await session.exec(statement)).all() if n is not None}


async def reviews_naming(
    *, session: AsyncSession, team_id: str | None
) -> dict[int, list[CoeReview]]:
    """The reviews that name decisions (of one workspace, or all), by the decision named."""
    found: dict[int, list[CoeReview]] = {}
    for review in await reviews_of_team(session=session, team_id=team_id):
        for number in review.decision_ids or []:
            found.setdefault(int(number), []).append(review)
    return found


async def open_actions_in_channels(
    *, session: AsyncSession, channels: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], list[tuple[CoeAction, CoeReview]]]:
    """The open corrective actions of the reviews in these (team, channel)s: one query."""
    pairs = sorted(set(channels))
    found: dict[tuple[str, str], list[tuple[CoeAction, CoeReview]]] = {}
    if not pairs:
        return found
    statement = (
        select(CoeAction, CoeReview)
        .join(CoeReview, col(CoeReview.id) == col(CoeAction.review_id))
        .where(
            tuple_(col(CoeReview.team_id), col(CoeReview.channel_id)).in_(pairs),
            col(CoeAction.state) == CoeActionState.OPEN,
        )
        .order_by(col(CoeAction.due), col(CoeAction.id))
    )
    for action, review in (await session.exec(statement)).all():
        found.setdefault((review.team_id, review.channel_id), []).append((action, review))
    return found


async def open_actions_of(
    *, session: AsyncSession, team_id: str, user_id: str
) -> list[tuple[CoeAction, CoeReview]]:
    """A person's open corrective actions, soonest due first (for App Home)."""
    statement = (
        select(CoeAction, CoeReview)
        .join(CoeReview, col(CoeReview.id) == col(CoeAction.review_id))
        .where(
            col(CoeAction.team_id) == team_id,
            col(CoeAction.owner_id) == user_id,
            col(CoeAction.state) == CoeActionState.OPEN,
        )
        .order_by(col(CoeAction.due), col(CoeAction.id))
    )
    return [(a, r) for a, r in (await session.exec(statement)).all()]


async def named_decisions(
    *, session: AsyncSession, team_id: str, ids: Iterable[int]
) -> list[DoorDecision | Commitment]:
    """The /door and /commit decisions of this workspace with these numbers."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    doors = await session.exec(
        select(DoorDecision).where(
            DoorDecision.team_id == team_id, col(DoorDecision.id).in_(wanted)
        )
    )
    commits = await session.exec(
        select(Commitment).where(Commitment.team_id == team_id, col(Commitment.id).in_(wanted))
    )
    found: list[DoorDecision | Commitment] = [*doors.all(), *commits.all()]
    return sorted(found, key=lambda d: d.id or 0)
