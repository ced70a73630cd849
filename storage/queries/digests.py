"""Queries behind the weekly digest: subscriptions, one run per channel-week, the week's facts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from storage.models import (
    AnyDecision,
    Commitment,
    DecisionStatus,
    DigestRun,
    DigestSubscription,
    DoorDecision,
    Job,
)
from storage.queries.common import insert, insert_ignoring_conflict

SENDING = "sending"  # a DigestRun claimed for its week, not yet settled
WEEK_CLAIMED = "week_claimed"  # set in the payload of the job that claimed its week


async def get_subscription(
    *, session: AsyncSession, team_id: str, channel_id: str
) -> DigestSubscription | None:
    """The channel's subscription (active or not), or None."""
    statement = select(DigestSubscription).where(
        DigestSubscription.team_id == team_id, DigestSubscription.channel_id == channel_id
    )
    return (await session.exec(statement)).first()


async def subscribe(
    *,
    session: AsyncSession,
    team_id: str,
    channel_id: str,
    weekday: int,
    at_minute: int,
    tz: str,
    by: str,
    at: datetime,
) -> DigestSubscription:
    """Turn the channel's digest on (or change its day and time); the subscription."""
    values = {
        "team_id": team_id,
        "channel_id": channel_id,
        "weekday": weekday,
        "at_minute": at_minute,
        "tz": tz,
        "subscribed_by": by,
        "active": True,
        "created_at": at,
    }
    statement = insert(session, DigestSubscription).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=["team_id", "channel_id"],
        set_={
            k: statement.excluded[k]
            for k in ("weekday", "at_minute", "tz", "subscribed_by", "active")
        },
    )
    await session.exec(statement)
    found = await get_subscription(session=session, team_id=team_id, channel_id=channel_id)
    assert found is not None
    return found


async def unsubscribe(*, session: AsyncSession, team_id: str, channel_id: str) -> bool:
    """Turn the channel's digest off; False if it was not on."""
    result = await session.exec(
        update(DigestSubscription)
        .where(
            col(DigestSubscription.team_id) == team_id,
            col(DigestSubscription.channel_id) == channel_id,
            col(DigestSubscription.active).is_(True),
        )
        .values(active=False)
    )
    return bool(result.rowcount)


async def get_run(
    *, session: AsyncSession, team_id: str, channel_id: str, week: str
) -> DigestRun | None:
    """The channel's digest run for `week`, or None."""
    statement = select(DigestRun).where(
        DigestRun.team_id == team_id, DigestRun.channel_id == channel_id, DigestRun.week == week
    )
    return (await session.exec(statement)).first()


async def claim_week(
    *,
    session: AsyncSession,
    team_id: str,
    channel_id: str,
    week: str,
    at: datetime,
    job: Job,
) -> DigestRun | None:
    """Take the channel's `week` for `job`; the run, or None if the week is not the job's.

    The unique (team, channel, week) key is what makes it one digest per channel per week,
    whatever processes, jobs and subscriptions come and go. The winning job marks its
    payload in the same transaction, so its own retry may resume an unfinished send.
    """
    new_id = await insert_ignoring_conflict(
        session=session,
        model=DigestRun,
        values={
            "team_id": team_id,
            "channel_id": channel_id,
            "week": week,
            "state": SENDING,
            "created_at": at,
        },
        conflict=["team_id", "channel_id", "week"],
    )
    if new_id is not None:
        await session.exec(
            update(Job)
            .where(col(Job.id) == job.id, col(Job.team_id) == team_id)
            .values(payload={**job.payload, WEEK_CLAIMED: True})
        )
    run = await get_run(session=session, team_id=team_id, channel_id=channel_id, week=week)
    assert run is not None
    if new_id is not None or (run.state == SENDING and job.payload.get(WEEK_CLAIMED)):
        return run
    return None


async def settle_week(
    *, session: AsyncSession, team_id: str, channel_id: str, week: str, state: str
) -> None:
    """Record how the week's digest ended: sent, empty, skipped or removed."""
    await session.exec(
        update(DigestRun)
        .where(
            col(DigestRun.team_id) == team_id,
            col(DigestRun.channel_id) == channel_id,
            col(DigestRun.week) == week,
        )
        .values(state=state)
    )


def _in_channel(
    table: type[DoorDecision] | type[Commitment], team_id: str, channel_id: str
) -> SelectOfScalar[Any]:
    """Decisions of this channel that its members have seen (shared, not just sized)."""
    return select(table).where(
        col(table.team_id) == team_id,
        col(table.channel_id) == channel_id,
        col(table.shared_at).is_not(None),
    )


async def shared_between(
    *, session: AsyncSession, team_id: str, channel_id: str, start: datetime, end: datetime
) -> list[AnyDecision]:
    """Decisions of both kinds shared in the channel in `start` < t <= `end`, oldest first."""
    found: list[AnyDecision] = []
    for table in (DoorDecision, Commitment):
        statement = _in_channel(table, team_id, channel_id).where(
            col(table.shared_at) > start, col(table.shared_at) <= end
        )
        found += cast(Sequence[AnyDecision], (await session.exec(statement)).all())
    return sorted(found, key=lambda d: (d.shared_at or end, d.id or 0))


async def overruled_between(
    *, session: AsyncSession, team_id: str, channel_id: str, start: datetime, end: datetime
) -> Sequence[DoorDecision]:
    """The channel's /door decisions whose door a person overruled in the window."""
    statement = (
        _in_channel(DoorDecision, team_id, channel_id)
        .where(col(DoorDecision.overruled_at) > start, col(DoorDecision.overruled_at) <= end)
        .order_by(col(DoorDecision.overruled_at), col(DoorDecision.id))
    )
    return (await session.exec(statement)).all()


async def outcomes_between(
    *, session: AsyncSession, team_id: str, channel_id: str, start: datetime, end: datetime
) -> Sequence[DoorDecision]:
    """The channel's /door decisions whose outcome was recorded in the window.

    A /commit decision's verdict comes from its check-back, which the commit room's own
    digest section reports.
    """
    statement = (
        _in_channel(DoorDecision, team_id, channel_id)
        .where(col(DoorDecision.outcome_at) > start, col(DoorDecision.outcome_at) <= end)
        .order_by(col(DoorDecision.outcome_at), col(DoorDecision.id))
    )
    return (await session.exec(statement)).all()


async def reviews_between(
    *, session: AsyncSession, team_id: str, channel_id: str, first: date | None, last: date
) -> Sequence[DoorDecision]:
    """The channel's /door decisions still awaiting an outcome with a review day in
    [first, last] (a /commit's check-back is the commit room's, in its own section)."""
    statement = _in_channel(DoorDecision, team_id, channel_id).where(
        col(DoorDecision.outcome).is_(None),
        col(DoorDecision.review_at) <= last,
        col(DoorDecision.status) != DecisionStatus.CLOSED,
    )
    if first is not None:
        statement = statement.where(col(DoorDecision.review_at) >= first)
    statement = statement.order_by(col(DoorDecision.review_at), col(DoorDecision.id))
    return (await session.exec(statement)).all()
