"""Queries on /commit decisions (the `commitment` table): their dissent and check-backs.

Every change a person's button or form makes is a conditional UPDATE, so a double press,
a retried request or an old message changes nothing twice: the caller learns from the
returned bool whether this was the change that counted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import (
    CheckIn,
    Commitment,
    DecisionKind,
    DecisionStatus,
    Dissent,
    DissentState,
)
from storage.queries.common import (
    Window,
    insert_ignoring_conflict,
    record_numbered,
    rows_by_pairs,
    windows_table,
)

OWNER, DISSENTER = "owner", "dissenter"
ANSWERS_PER_STATEMENT = 1_000  # decisions whose check-in answers one statement reads


async def record_commitment(
    *, session: AsyncSession, values: dict[str, Any], dissenters: Sequence[str]
) -> tuple[Commitment, bool]:
    """Store a commit decision with its dissenters and check-ins, once per request key."""
    decision, new = await record_numbered(
        session=session, model=Commitment, kind=DecisionKind.COMMIT, values=values
    )
    if not new:
        return decision, False
    assert decision.id is not None
    team_id = decision.team_id
    for user_id in dissenters:
        await insert_ignoring_conflict(
            session=session,
            model=Dissent,
            conflict=["decision_id", "user_id"],
            values={
                "team_id": team_id,
                "decision_id": decision.id,
                "user_id": user_id,
                "state": DissentState.PENDING,
            },
        )
    for user_id, role in [(decision.owner_id, OWNER), *((u, DISSENTER) for u in dissenters)]:
        await insert_ignoring_conflict(
            session=session,
            model=CheckIn,
            conflict=["decision_id", "user_id"],
            values={
                "team_id": team_id,
                "decision_id": decision.id,
                "user_id": user_id,
                "role": role,
            },
        )
    return decision, True


async def get_commitment(
    *, session: AsyncSession, team_id: str, decision_id: int
) -> Commitment | None:
    """One commit decision of this workspace, or None (also for a /door decision's id)."""
    statement = select(Commitment).where(
        Commitment.team_id == team_id, Commitment.id == decision_id
    )
    return (await session.exec(statement)).first()


async def commitments_by_ids(
    *, session: AsyncSession, wanted: Iterable[tuple[str, int]]
) -> dict[tuple[str, int], Commitment]:
    """Several workspaces' commit decisions at once, by (team, id): one query."""
    found = await rows_by_pairs(session, Commitment, (Commitment.team_id, Commitment.id), wanted)
    return {(c.team_id, c.id or 0): c for c in found}


async def people_of_many(
    *, session: AsyncSession, wanted: Iterable[tuple[str, int]]
) -> tuple[dict[tuple[str, int], list[Dissent]], dict[tuple[str, int], list[CheckIn]]]:
    """The dissents and the check-ins of several decisions, by (team, decision id), each
    in the order of `dissenters_of` and `checkins_of`: one query for each."""
    pairs = set(wanted)
    dissents: dict[tuple[str, int], list[Dissent]] = defaultdict(list)
    for dissent in await rows_by_pairs(
        session, Dissent, (Dissent.team_id, Dissent.decision_id), pairs
    ):
        dissents[(dissent.team_id, dissent.decision_id)].append(dissent)
    checkins: dict[tuple[str, int], list[CheckIn]] = defaultdict(list)
    for checkin in await rows_by_pairs(
        session, CheckIn, (CheckIn.team_id, CheckIn.decision_id), pairs
    ):
        checkins[(checkin.team_id, checkin.decision_id)].append(checkin)
    by_id = {key: sorted(rows, key=lambda d: d.id or 0) for key, rows in dissents.items()}
    asked = {key: sorted(rows, key=lambda c: c.id or 0) for key, rows in checkins.items()}
    return by_id, asked


async def find_by_request(
    *, session: AsyncSession, team_id: str, request_key: str
) -> Commitment | None:
    """The commitment a Slack request already recorded (so a retry records nothing twice)."""
    statement = select(Commitment).where(
        Commitment.team_id == team_id, Commitment.request_key == request_key
    )
    return (await session.exec(statement)).first()


async def _lock_decision(session: AsyncSession, team_id: str, decision_id: int) -> None:
    """Hold the decision's row until this transaction ends (FOR UPDATE; SQLite needs none:
    its writers take turns anyway)."""
    await session.exec(
        select(Commitment.id)
        .where(Commitment.team_id == team_id, Commitment.id == decision_id)
        .with_for_update()
    )


async def dissenters_of(*, session: AsyncSession, team_id: str, decision_id: int) -> list[Dissent]:
    """The people who disagreed with a decision, in the order they were named."""
    statement = (
        select(Dissent)
        .where(Dissent.team_id == team_id, Dissent.decision_id == decision_id)
        .order_by(col(Dissent.id))
    )
    return list((await session.exec(statement)).all())


async def get_dissent(
    *, session: AsyncSession, team_id: str, decision_id: int, user_id: str
) -> Dissent | None:
    """One person's dissent on a decision, or None if they weren't named."""
    statement = select(Dissent).where(
        Dissent.team_id == team_id,
        Dissent.decision_id == decision_id,
        Dissent.user_id == user_id,
    )
    return (await session.exec(statement)).first()


async def commit_dissent(
    *,
    session: AsyncSession,
    team_id: str,
    decision_id: int,
    user_id: str,
    concern: str | None,
    expectation: str | None,
    at: datetime,
) -> bool:
    """Record that a dissenter disagrees and commits; False if they already had."""
    result = await session.exec(
        update(Dissent)
        .where(
            col(Dissent.team_id) == team_id,
            col(Dissent.decision_id) == decision_id,
            col(Dissent.user_id) == user_id,
            col(Dissent.state).in_([DissentState.PENDING, DissentState.NOT_YET]),
        )
        .values(
            state=DissentState.COMMITTED,
            concern=concern,
            expectation=expectation,
            committed_at=at,
            answered_at=func.coalesce(col(Dissent.answered_at), at),
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def hold_dissent(
    *,
    session: AsyncSession,
    team_id: str,
    decision_id: int,
    user_id: str,
    reason: str,
    at: datetime,
) -> bool:
    """Record that a dissenter can't commit yet, and why; False unless they were pending."""
    result = await session.exec(
        update(Dissent)
        .where(
            col(Dissent.team_id) == team_id,
            col(Dissent.decision_id) == decision_id,
            col(Dissent.user_id) == user_id,
            col(Dissent.state) == DissentState.PENDING,
        )
        .values(state=DissentState.NOT_YET, reason=reason, answered_at=at)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def set_dissent_dm(
    *,
    session: AsyncSession,
    team_id: str,
    decision_id: int,
    user_id: str,
    channel: str | None,
    ts: str | None,
    error: str | None,
) -> None:
    """Remember the DM that asked a dissenter to commit, or why it could not be sent."""
    await session.exec(
        update(Dissent)
        .where(
            col(Dissent.team_id) == team_id,
            col(Dissent.decision_id) == decision_id,
            col(Dissent.user_id) == user_id,
        )
        .values(dm_channel=channel, dm_ts=ts, dm_error=error)
    )


async def checkins_of(*, session: AsyncSession, team_id: str, decision_id: int) -> list[CheckIn]:
    """Everyone asked how a decision turned out (the owner first), with their answers."""
    statement = (
        select(CheckIn)
        .where(CheckIn.team_id == team_id, CheckIn.decision_id == decision_id)
        .order_by(col(CheckIn.id))
    )
    return list((await session.exec(statement)).all())


async def mark_asked(
    *, session: AsyncSession, team_id: str, decision_id: int, user_id: str, at: datetime
) -> None:
    """Note when a person was asked how the decision turned out."""
    await session.exec(
        update(CheckIn)
        .where(
            col(CheckIn.team_id) == team_id,
            col(CheckIn.decision_id) == decision_id,
            col(CheckIn.user_id) == user_id,
            col(CheckIn.asked_at).is_(None),
        )
        .values(asked_at=at)
    )


async def answer_checkin(
    *,
    session: AsyncSession,
    team_id: str,
    decision_id: int,
    user_id: str,
    answer: str,
    at: datetime,
) -> bool:
    """Store a person's first answer at the check-back; False if they had answered.

    The decision's row is locked first, so answers to one decision take turns until each
    transaction ends: counting the answers afterwards in the same transaction, the last to
    answer sees them all. (Under READ COMMITTED two people answering at once would each
    count before the other's commit, and neither would bring the summary.)
    """
    await _lock_decision(session, team_id, decision_id)
    result = await session.exec(
        update(CheckIn)
        .where(
            col(CheckIn.team_id) == team_id,
            col(CheckIn.decision_id) == decision_id,
            col(CheckIn.user_id) == user_id,
            col(CheckIn.answer).is_(None),
        )
        .values(answer=answer, answered_at=at)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def close_commitment(
    *,
    session: AsyncSession,
    team_id: str,
    decision_id: int,
    verdict: str | None,
    at: datetime,
) -> bool:
    """Close a commit decision with its check-back's verdict; False if it already was."""
    result = await session.exec(
        update(Commitment)
        .where(
            col(Commitment.team_id) == team_id,
            col(Commitment.id) == decision_id,
            col(Commitment.status) != DecisionStatus.CLOSED,
        )
        .values(status=DecisionStatus.CLOSED, verdict=verdict, verdict_at=at, updated_at=at)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def owned_commitments(
    *, session: AsyncSession, team_id: str, user_id: str
) -> list[Commitment]:
    """Commit decisions a person owns, oldest first."""
    statement = (
        select(Commitment)
        .where(
            Commitment.team_id == team_id,
            Commitment.owner_id == user_id,
        )
        .order_by(col(Commitment.created_at), col(Commitment.id))
    )
    return list((await session.exec(statement)).all())


async def dissents_by(
    *, session: AsyncSession, team_id: str, user_id: str
) -> list[tuple[Commitment, Dissent]]:
    """Every decision a person disagreed with, and their dissent, oldest first."""
    statement = (
        select(Commitment, Dissent)
        .join(Dissent, col(Dissent.decision_id) == col(Commitment.id))
        .where(
            Dissent.team_id == team_id, Commitment.team_id == team_id, Dissent.user_id == user_id
        )
        .order_by(col(Commitment.created_at), col(Commitment.id))
    )
    return [(d, s) for d, s in (await session.exec(statement)).all()]


async def commitments_in(
    *, session: AsyncSession, windows: Sequence[Window]
) -> list[list[tuple[Commitment, Dissent]]]:
    """Per window, the dissenters who disagreed and committed in it, on its channel's
    decisions, in the order they committed.

    For the weekly digest: the channel's own decisions only, so a private channel's
    commitments never reach another channel.
    """
    found: list[list[tuple[Commitment, Dissent]]] = [[] for _ in windows]
    if windows:
        w = windows_table(session, windows)
        statement = (
            select(w.c.n, Commitment, Dissent)
            .select_from(w)
            .join(
                Commitment,
                and_(
                    col(Commitment.team_id) == w.c.team_id,
                    col(Commitment.channel_id) == w.c.channel_id,
                ),
            )
            .join(
                Dissent,
                and_(
                    col(Dissent.decision_id) == col(Commitment.id),
                    col(Dissent.team_id) == w.c.team_id,
                    col(Dissent.state) == DissentState.COMMITTED,
                    col(Dissent.committed_at) > w.c.since,
                    col(Dissent.committed_at) <= w.c.until,
                ),
            )
            .order_by(w.c.n, col(Dissent.committed_at), col(Dissent.id))
        )
        for n, decision, dissent in (await session.exec(statement)).all():
            found[n].append((decision, dissent))
    return found


async def checkbacks_in(
    *, session: AsyncSession, windows: Sequence[Window]
) -> list[list[tuple[Commitment, list[CheckIn]]]]:
    """Per window, its channel's commit decisions whose check-back was summarised in it,
    with the answers.

    For the weekly digest. `Commitment.verdict` is the summary (held_up, concerns_right,
    mixed, too_early, or None when nobody answered); the check-ins are each person's answer.
    """
    closed: list[list[Commitment]] = [[] for _ in windows]
    if windows:
        w = windows_table(session, windows)
        statement = (
            select(w.c.n, Commitment)
            .select_from(w)
            .join(
                Commitment,
                and_(
                    col(Commitment.team_id) == w.c.team_id,
                    col(Commitment.channel_id) == w.c.channel_id,
                    col(Commitment.status) == DecisionStatus.CLOSED,
                    col(Commitment.verdict_at) > w.c.since,
                    col(Commitment.verdict_at) <= w.c.until,
                ),
            )
            .order_by(w.c.n, col(Commitment.verdict_at), col(Commitment.id))
        )
        for n, decision in (await session.exec(statement)).all():
            closed[n].append(decision)
    wanted = sorted({(d.team_id, d.id) for found in closed for d in found if d.id is not None})
    answers: dict[tuple[str, int], list[CheckIn]] = {}
    for first in range(0, len(wanted), ANSWERS_PER_STATEMENT):
        some = wanted[first : first + ANSWERS_PER_STATEMENT]
        asked = (
            select(CheckIn)
            .where(
                col(CheckIn.team_id).in_({team for team, _ in some}),
                col(CheckIn.decision_id).in_([n for _, n in some]),
                col(CheckIn.answer).is_not(None),
            )
            .order_by(col(CheckIn.id))
        )
        for answer in (await session.exec(asked)).all():
            answers.setdefault((answer.team_id, answer.decision_id), []).append(answer)
    return [[(d, answers.get((d.team_id, d.id or 0), [])) for d in found] for found in closed]
