"""Queries on PR/FAQs (`prfaq`), their sections and history, their readers and their posts.

A section is revised with a conditional UPDATE on the version the writer saw, so of two
people saving at once one wins and the other is told; every version is kept as a revision.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Prfaq, PrfaqPost, PrfaqReader, PrfaqRevision, PrfaqSection
from storage.queries.common import insert, insert_once
from storage.types import utcnow

HISTORY_SHOWN = 40


async def record_prfaq(*, session: AsyncSession, values: dict[str, Any]) -> tuple[Prfaq, bool]:
    """Store a PR/FAQ once per (team, request_key); the row, and whether it is new."""
    return await insert_once(session=session, model=Prfaq, values=values)


async def get_prfaq(*, session: AsyncSession, team_id: str, prfaq_id: int) -> Prfaq | None:
    statement = select(Prfaq).where(Prfaq.team_id == team_id, Prfaq.id == prfaq_id)
    return (await session.exec(statement)).first()


async def prfaqs_of(
    *, session: AsyncSession, team_id: str | None, since: datetime | None
) -> list[Prfaq]:
    """PR/FAQs oldest first, of one workspace or all, made since `since` if given."""
    statement = select(Prfaq).order_by(col(Prfaq.team_id), col(Prfaq.id))
    if team_id is not None:
        statement = statement.where(Prfaq.team_id == team_id)
    if since is not None:
        statement = statement.where(col(Prfaq.created_at) >= since)
    return list((await session.exec(statement)).all())


async def sections_of(*, session: AsyncSession, team_id: str, prfaq_id: int) -> list[PrfaqSection]:
    statement = select(PrfaqSection).where(
        PrfaqSection.team_id == team_id, PrfaqSection.prfaq_id == prfaq_id
    )
    return list((await session.exec(statement)).all())


async def write_draft(
    *,
    session: AsyncSession,
    team_id: str,
    prfaq_id: int,
    texts: Mapping[str, str],
    by: str,
    at: datetime,
) -> None:
    """The first draft, as version 1 of each section; nothing if it was written already."""
    for section, text in texts.items():
        values = {"team_id": team_id, "prfaq_id": prfaq_id, "section": section, "text": text}
        await session.exec(
            insert(session, PrfaqSection)
            .values(**values, version=1, updated_by=by, updated_at=at)
            .on_conflict_do_nothing(index_elements=["prfaq_id", "section"])
        )
        await session.exec(
            insert(session, PrfaqRevision)
            .values(**values, version=1, changed_by=by, note="first draft", changed_at=at)
            .on_conflict_do_nothing(index_elements=["prfaq_id", "section", "version"])
        )


async def revise(
    *,
    session: AsyncSession,
    team_id: str,
    prfaq_id: int,
    section: str,
    text: str,
    seen_version: int,
    by: str,
    note: str = "",
    at: datetime | None = None,
) -> bool:
    """Write a section's next version if it is still at `seen_version`; whether it was."""
    at = at or utcnow()
    result = await session.exec(
        update(PrfaqSection)
        .where(
            col(PrfaqSection.team_id) == team_id,
            col(PrfaqSection.prfaq_id) == prfaq_id,
            col(PrfaqSection.section) == section,
            col(PrfaqSection.version) == seen_version,
        )
        .values(text=text, version=seen_version + 1, updated_by=by, updated_at=at)
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        return False
    session.add(
        PrfaqRevision(
            team_id=team_id,
            prfaq_id=prfaq_id,
            section=section,
            version=seen_version + 1,
            text=text,
            changed_by=by,
            note=note,
            changed_at=at,
        )
    )
    await session.exec(
        update(Prfaq)
        .where(col(Prfaq.team_id) == team_id, col(Prfaq.id) == prfaq_id)
        .values(updated_at=at)
    )
    return True


async def history(
    *, session: AsyncSession, team_id: str, prfaq_id: int, limit: int | None = HISTORY_SHOWN
) -> list[PrfaqRevision]:
    """The document's revisions, newest first."""
    statement = (
        select(PrfaqRevision)
        .where(PrfaqRevision.team_id == team_id, PrfaqRevision.prfaq_id == prfaq_id)
        .order_by(col(PrfaqRevision.changed_at).desc(), col(PrfaqRevision.id).desc())
    )
    if limit is not None:
        statement = statement.limit(limit)
    return list((await session.exec(statement)).all())


async def posts_of(*, session: AsyncSession, team_id: str, prfaq_id: int) -> list[PrfaqPost]:
    statement = select(PrfaqPost).where(
        PrfaqPost.team_id == team_id, PrfaqPost.prfaq_id == prfaq_id
    )
    return list((await session.exec(statement)).all())


async def save_post(*, session: AsyncSession, post: PrfaqPost) -> None:
    """Note where a piece was posted (once per place and piece)."""
    await session.exec(
        insert(session, PrfaqPost)
        .values(**post.model_dump(exclude={"id"}))
        .on_conflict_do_nothing(index_elements=["prfaq_id", "place", "piece"])
    )


async def set_post_error(
    *, session: AsyncSession, team_id: str, prfaq_id: int, error: str | None
) -> None:
    """Why Slack refused the last post, or None once everything is posted."""
    await session.exec(
        update(Prfaq)
        .where(col(Prfaq.team_id) == team_id, col(Prfaq.id) == prfaq_id)
        .values(post_error=error)
    )


async def set_writer(
    *, session: AsyncSession, team_id: str, prfaq_id: int, written_by: str, note: str | None
) -> None:
    """Who wrote the first draft, and why the template did if it did."""
    await session.exec(
        update(Prfaq)
        .where(col(Prfaq.team_id) == team_id, col(Prfaq.id) == prfaq_id)
        .values(written_by=written_by, draft_note=note)
    )


async def widen(
    *,
    session: AsyncSession,
    team_id: str,
    prfaq_id: int,
    from_circle: int,
    to_circle: int,
    **values: Any,
) -> bool:
    """Move to `to_circle` if it is still at `from_circle`; whether this move counted."""
    result = await session.exec(
        update(Prfaq)
        .where(
            col(Prfaq.team_id) == team_id,
            col(Prfaq.id) == prfaq_id,
            col(Prfaq.circle) == from_circle,
        )
        .values(circle=to_circle, updated_at=utcnow(), **values)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def link_decision(
    *, session: AsyncSession, team_id: str, prfaq_id: int, decision_id: int
) -> bool:
    """Note the /door decision made from it (the first one); whether this was it."""
    result = await session.exec(
        update(Prfaq)
        .where(
            col(Prfaq.team_id) == team_id,
            col(Prfaq.id) == prfaq_id,
            col(Prfaq.decision_id).is_(None),
        )
        .values(decision_id=decision_id, updated_at=utcnow())
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def set_canvas(*, session: AsyncSession, team_id: str, prfaq_id: int, canvas_id: str) -> None:
    await session.exec(
        update(Prfaq)
        .where(col(Prfaq.team_id) == team_id, col(Prfaq.id) == prfaq_id)
        .values(canvas_id=canvas_id)
    )


async def readers_of(*, session: AsyncSession, team_id: str, prfaq_id: int) -> list[PrfaqReader]:
    """Who was asked to read it (or read it in the channel), in the order they came."""
    statement = (
        select(PrfaqReader)
        .where(PrfaqReader.team_id == team_id, PrfaqReader.prfaq_id == prfaq_id)
        .order_by(col(PrfaqReader.id))
    )
    return list((await session.exec(statement)).all())


async def add_reader(
    *, session: AsyncSession, team_id: str, prfaq_id: int, user_id: str, circle: int, at: datetime
) -> bool:
    """Someone to read it, once; whether they are new."""
    result = await session.exec(
        insert(session, PrfaqReader)
        .values(
            team_id=team_id,
            prfaq_id=prfaq_id,
            user_id=user_id,
            circle=circle,
            asked_at=at,
            questions=0,
        )
        .on_conflict_do_nothing(index_elements=["prfaq_id", "user_id"])
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def set_reader(
    *, session: AsyncSession, team_id: str, prfaq_id: int, user_id: str, **values: Any
) -> bool:
    """Change what is known of one reader (read_at, dm_error, questions); whether they exist."""
    result = await session.exec(
        update(PrfaqReader)
        .where(
            col(PrfaqReader.team_id) == team_id,
            col(PrfaqReader.prfaq_id) == prfaq_id,
            col(PrfaqReader.user_id) == user_id,
        )
        .values(**values)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def count_question(
    *, session: AsyncSession, team_id: str, prfaq_id: int, user_id: str
) -> None:
    await session.exec(
        update(PrfaqReader)
        .where(
            col(PrfaqReader.team_id) == team_id,
            col(PrfaqReader.prfaq_id) == prfaq_id,
            col(PrfaqReader.user_id) == user_id,
        )
        .values(questions=col(PrfaqReader.questions) + 1)
    )
