"""Queries behind the weekly digest: subscriptions, one run per channel-week, the week's facts."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import CTE, ColumnElement, and_, update
from sqlalchemy import select as sa_select
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import (
    Commitment,
    DecisionStatus,
    DigestRun,
    DigestSubscription,
    DoorDecision,
    Job,
)
from storage.queries.common import (
    Window,
    insert,
    insert_ignoring_conflict,
    rows_by_pairs,
    windows_table,
)

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


async def subscriptions_of(
    *, session: AsyncSession, channels: Iterable[tuple[str, str]]
) -> Sequence[DigestSubscription]:
    """The subscriptions (active or not) of these (team, channel) pairs, in one statement."""
    columns = (DigestSubscription.team_id, DigestSubscription.channel_id)
    return await rows_by_pairs(session, DigestSubscription, columns, channels)


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


@dataclass(slots=True)  # not frozen: a frozen dataclass costs twice as much to build
class Shown:
    """What a digest line shows of a decision of either kind: read as a plain row, not
    loaded as an ORM object, and only the columns its fact's lines use (the rest keep
    these defaults)."""

    id: int
    text: str
    permalink: str | None
    owner_id: str = ""
    door: str = ""
    door_source: str = ""
    shared_at: datetime | None = None
    overruled_by: str | None = None
    outcome: str | None = None
    outcome_by: str | None = None
    review_at: date | None = None


MADE = ("id", "text", "permalink", "owner_id", "door", "door_source", "shared_at")
# Each fact reads only what its lines show (every column read is converted, row by row).
OVERRULED = ("id", "text", "permalink", "door", "overruled_by")
OUTCOMES = ("id", "text", "permalink", "outcome", "outcome_by")
REVIEWS = ("id", "text", "permalink", "owner_id", "review_at")


async def _in_windows(
    session: AsyncSession,
    windows: Sequence[Window],
    table: type[DoorDecision] | type[Commitment],
    where: Callable[[CTE], list[ColumnElement[bool]]],
    order: Sequence[Any],
    names: Sequence[str],
) -> list[list[Shown]]:
    """Per window, the decisions of `table` in its team and channel that meet `where`, in
    `order`: one statement for all the windows, joined against them (see windows_table)."""
    found: list[list[Shown]] = [[] for _ in windows]
    if not windows:
        return found
    w = windows_table(session, windows)
    columns = table.__table__.c  # type: ignore[union-attr]
    statement = (
        sa_select(w.c.n, *(columns[name] for name in names))
        .select_from(w)
        .join(
            table,
            and_(
                col(table.team_id) == w.c.team_id,
                col(table.channel_id) == w.c.channel_id,
                *where(w),
            ),
        )
        .order_by(w.c.n, *order)
    )
    connection = await session.connection()  # plain rows: no ORM loading to pay for
    for n, *values in (await connection.execute(statement)).all():
        found[n].append(Shown(**dict(zip(names, values, strict=True))))
    return found


def _within(happened: Any) -> Callable[[CTE], list[ColumnElement[bool]]]:
    """`happened` falls in the window: after its start, up to and including its end."""
    return lambda w: [col(happened) > w.c.since, col(happened) <= w.c.until]


async def shared_in(*, session: AsyncSession, windows: Sequence[Window]) -> list[list[Shown]]:
    """Per window, the decisions of both kinds shared in its channel in it, oldest first."""
    found: list[list[Shown]] = [[] for _ in windows]
    for table in (DoorDecision, Commitment):
        rows = await _in_windows(
            session,
            windows,
            table,
            _within(table.shared_at),
            (col(table.shared_at), col(table.id)),
            MADE,
        )
        for mine, more in zip(found, rows, strict=True):
            mine += more
    for mine in found:
        mine.sort(key=lambda d: (d.shared_at, d.id or 0))
    return found


async def overruled_in(*, session: AsyncSession, windows: Sequence[Window]) -> list[list[Shown]]:
    """Per window, its channel's shared /door decisions whose door a person overruled in it."""
    return await _shared_door_event_in(session, windows, DoorDecision.overruled_at, OVERRULED)


async def outcomes_in(*, session: AsyncSession, windows: Sequence[Window]) -> list[list[Shown]]:
    """Per window, its channel's shared /door decisions whose outcome was recorded in it.

    A /commit decision's verdict comes from its check-back, which the commit room's own
    digest section reports.
    """
    return await _shared_door_event_in(session, windows, DoorDecision.outcome_at, OUTCOMES)


async def _shared_door_event_in(
    session: AsyncSession, windows: Sequence[Window], happened: Any, shown: tuple[str, ...]
) -> list[list[Shown]]:
    """Per window, its channel's shared /door decisions whose `happened` falls in it, in
    that order."""
    return await _in_windows(
        session,
        windows,
        DoorDecision,
        lambda w: [col(DoorDecision.shared_at).is_not(None), *_within(happened)(w)],
        (col(happened), col(DoorDecision.id)),
        shown,
    )


async def reviews_in(*, session: AsyncSession, windows: Sequence[Window]) -> list[list[Shown]]:
    """Per window, its channel's shared /door decisions still awaiting an outcome with a
    review day at most a week after the window's day: overdue ones and those coming up,
    by review day (a /commit's check-back is the commit room's, in its own section)."""
    return await _in_windows(
        session,
        windows,
        DoorDecision,
        lambda w: [
            col(DoorDecision.shared_at).is_not(None),
            col(DoorDecision.outcome).is_(None),
            col(DoorDecision.review_at) <= w.c.last,
            col(DoorDecision.status) != DecisionStatus.CLOSED,
        ],
        (col(DoorDecision.review_at), col(DoorDecision.id)),
        REVIEWS,
    )
