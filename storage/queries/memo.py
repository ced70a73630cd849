"""Queries on silent readings (`memosession`), their readers and their private comments.

A reading moves reading → closing → revealed by conditional UPDATEs, so a button, the
timer and a second process never move it twice: each learns from the returned bool
whether its move counted. A comment is stored only while the session's row, locked for
the purpose, says the reading is on: a comment that loses the race with the end of the
reading is refused, never stored after the reveal has read the comments.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, tuple_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import MemoComment, MemoReader, MemoSession, MemoState, SeenEvent
from storage.queries.common import insert_ignoring_conflict, insert_once, rows_by_pairs
from storage.queries.events import KEY_MAX


async def record_session(
    *, session: AsyncSession, values: dict[str, Any]
) -> tuple[MemoSession, bool]:
    """Store a reading once per (team, request_key); the row, and whether it is new."""
    return await insert_once(session=session, model=MemoSession, values=values)


async def get_session(
    *, session: AsyncSession, team_id: str, session_id: int
) -> MemoSession | None:
    """One reading of this workspace, or None."""
    statement = select(MemoSession).where(
        MemoSession.team_id == team_id, MemoSession.id == session_id
    )
    return (await session.exec(statement)).first()


def _this(team_id: str, session_id: int) -> list[Any]:
    return [col(MemoSession.team_id) == team_id, col(MemoSession.id) == session_id]


async def set_message(
    *,
    session: AsyncSession,
    team_id: str,
    session_id: int,
    channel: str | None,
    ts: str | None,
    error: str | None,
) -> None:
    """Where the reading's message is, or why Slack refused it."""
    await session.exec(
        update(MemoSession)
        .where(*_this(team_id, session_id))
        .values(message_channel=channel, message_ts=ts, message_error=error)
    )


async def cancel(*, session: AsyncSession, team_id: str, session_id: int) -> bool:
    """A reading whose message never reached the channel: it never started."""
    result = await session.exec(
        update(MemoSession)
        .where(*_this(team_id, session_id), col(MemoSession.state) == MemoState.READING)
        .values(state=MemoState.CANCELLED)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def extend(
    *, session: AsyncSession, team_id: str, session_id: int, ends_at: datetime
) -> bool:
    """Move a running reading's end to `ends_at`; False if it is over (or closing)."""
    result = await session.exec(
        update(MemoSession)
        .where(*_this(team_id, session_id), col(MemoSession.state) == MemoState.READING)
        .values(ends_at=ends_at)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def start_reading(
    *, session: AsyncSession, team_id: str, session_id: int, user_id: str, at: datetime
) -> bool:
    """`user_id` is reading; False if they already were."""
    inserted = await insert_ignoring_conflict(
        session=session,
        model=MemoReader,
        values={"team_id": team_id, "session_id": session_id, "user_id": user_id, "started_at": at},
        conflict=["session_id", "user_id"],
    )
    return inserted is not None


async def finish_reading(
    *, session: AsyncSession, team_id: str, session_id: int, user_id: str, at: datetime
) -> bool:
    """`user_id` read to the end (started now if they never said); False if they had."""
    inserted = await insert_ignoring_conflict(
        session=session,
        model=MemoReader,
        values={
            "team_id": team_id,
            "session_id": session_id,
            "user_id": user_id,
            "started_at": at,
            "finished_at": at,
        },
        conflict=["session_id", "user_id"],
    )
    if inserted is not None:
        return True
    result = await session.exec(
        update(MemoReader)
        .where(
            col(MemoReader.team_id) == team_id,
            col(MemoReader.session_id) == session_id,
            col(MemoReader.user_id) == user_id,
            col(MemoReader.finished_at).is_(None),
        )
        .values(finished_at=at)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def readers_of(
    *, session: AsyncSession, team_id: str, session_id: int
) -> Sequence[MemoReader]:
    """Who said they were reading, in the order they did."""
    statement = (
        select(MemoReader)
        .where(MemoReader.team_id == team_id, MemoReader.session_id == session_id)
        .order_by(col(MemoReader.started_at), col(MemoReader.id))
    )
    return (await session.exec(statement)).all()


async def add_comment(
    *, session: AsyncSession, team_id: str, session_id: int, values: dict[str, Any], at: datetime
) -> tuple[MemoComment | None, bool]:
    """Store a comment once per (team, request_key) while the reading is on; the comment
    (None if the reading is over) and whether it is new. The commenter is a reader too.

    The session's row is locked first (PostgreSQL; SQLite has one writer anyway), so the
    end of the reading, an UPDATE of that row, waits for this comment or refuses it.
    """
    statement = select(MemoSession).where(*_this(team_id, session_id)).with_for_update()
    found = (await session.exec(statement)).first()
    if found is None or found.state != MemoState.READING:
        return None, False
    comment, new = await insert_once(
        session=session,
        model=MemoComment,
        values={**values, "team_id": team_id, "session_id": session_id, "created_at": at},
    )
    await start_reading(
        session=session, team_id=team_id, session_id=session_id, user_id=comment.user_id, at=at
    )
    return comment, new


async def form_opened(*, session: AsyncSession, team_id: str, key: str) -> bool:
    """Whether Doorway opened the comment form `key` names (remembered as a seen event)."""
    statement = select(SeenEvent.event_id).where(
        SeenEvent.team_id == team_id, SeenEvent.event_id == key[:KEY_MAX]
    )
    return (await session.exec(statement)).first() is not None


async def comments_of(
    *, session: AsyncSession, team_id: str, session_id: int
) -> Sequence[MemoComment]:
    """The reading's comments, oldest first."""
    statement = (
        select(MemoComment)
        .where(MemoComment.team_id == team_id, MemoComment.session_id == session_id)
        .order_by(col(MemoComment.created_at), col(MemoComment.id))
    )
    return (await session.exec(statement)).all()


async def close(
    *,
    session: AsyncSession,
    team_id: str,
    session_id: int,
    reason: str,
    by: str | None,
    at: datetime,
    due_by: datetime | None = None,
) -> bool:
    """End a running reading (for `reason`); with `due_by`, only if its end has come by
    then (an extension meanwhile keeps it running). Whether this move counted."""
    where = [*_this(team_id, session_id), col(MemoSession.state) == MemoState.READING]
    if due_by is not None:
        where.append(col(MemoSession.ends_at) <= due_by)
    result = await session.exec(
        update(MemoSession)
        .where(*where)
        .values(state=MemoState.CLOSING, ended_reason=reason, ended_by=by, ended_at=at)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def page_posted(
    *, session: AsyncSession, team_id: str, session_id: int, pages: int, first_ts: str | None
) -> None:
    """Slack took the reveal's posts up to `pages`; the first one is `first_ts`."""
    await session.exec(
        update(MemoSession)
        .where(*_this(team_id, session_id))
        .values(
            reveal_pages=pages,
            reveal_ts=func.coalesce(col(MemoSession.reveal_ts), first_ts),
        )
    )


async def set_reveal_error(
    *, session: AsyncSession, team_id: str, session_id: int, error: str
) -> None:
    """Why the reveal's last try failed (it is tried again)."""
    await session.exec(
        update(MemoSession)
        .where(*_this(team_id, session_id), col(MemoSession.state) != MemoState.REVEALED)
        .values(reveal_error=error[:200])
    )


async def mark_revealed(
    *, session: AsyncSession, team_id: str, session_id: int, at: datetime
) -> bool:
    """The comments are all in the thread: the reading is revealed, once."""
    result = await session.exec(
        update(MemoSession)
        .where(*_this(team_id, session_id), col(MemoSession.state) == MemoState.CLOSING)
        .values(state=MemoState.REVEALED, revealed_at=at, reveal_error=None)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def sessions_of_team(
    *, session: AsyncSession, team_id: str | None, since: datetime | None
) -> Sequence[MemoSession]:
    """Every reading of one workspace (or all, for the export), oldest first."""
    statement = select(MemoSession)
    if team_id is not None:
        statement = statement.where(MemoSession.team_id == team_id)
    if since is not None:
        statement = statement.where(col(MemoSession.created_at) >= since)
    statement = statement.order_by(col(MemoSession.team_id), col(MemoSession.id))
    return (await session.exec(statement)).all()


async def readers_and_comments(
    *, session: AsyncSession, sessions: Sequence[MemoSession]
) -> tuple[Sequence[MemoReader], list[MemoComment]]:
    """The readers of `sessions`, and the comments of only those of them that were revealed."""
    pairs = [(s.team_id, s.id) for s in sessions if s.id is not None]
    revealed = [
        (s.team_id, s.id) for s in sessions if s.id is not None and s.state == MemoState.REVEALED
    ]
    columns = (MemoReader.team_id, MemoReader.session_id)
    readers = await rows_by_pairs(session, MemoReader, columns, pairs)
    comments = await rows_by_pairs(
        session, MemoComment, (MemoComment.team_id, MemoComment.session_id), revealed
    )
    return readers, sorted(comments, key=lambda c: (c.created_at, c.id or 0))


async def comment_counts(
    *, session: AsyncSession, sessions: Sequence[MemoSession]
) -> dict[tuple[str, int], int]:
    """How many comments each of `sessions` holds (a count says nothing of what they say)."""
    pairs = sorted({(s.team_id, s.id) for s in sessions if s.id is not None})
    if not pairs:
        return {}
    rows = await session.exec(
        select(MemoComment.team_id, MemoComment.session_id, func.count())
        .where(tuple_(col(MemoComment.team_id), col(MemoComment.session_id)).in_(pairs))
        .group_by(col(MemoComment.team_id), col(MemoComment.session_id))
    )
    return {(str(team), int(number)): int(count) for team, number, count in rows.all()}
