"""Queries on what Slack told us about people."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import UserProfile
from storage.queries.common import insert, rows_by_pairs


async def get_profile(*, session: AsyncSession, team_id: str, user_id: str) -> UserProfile | None:
    """The stored profile of one person in this workspace, or None."""
    statement = select(UserProfile).where(
        UserProfile.team_id == team_id, UserProfile.user_id == user_id
    )
    return (await session.exec(statement)).first()


async def profiles_of(
    *, session: AsyncSession, wanted: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], UserProfile]:
    """The stored profiles of several people, in their workspaces, by (team, user): one query."""
    columns = (UserProfile.team_id, UserProfile.user_id)
    found = await rows_by_pairs(session, UserProfile, columns, wanted)
    return {(p.team_id, p.user_id): p for p in found}


async def save_profile(*, session: AsyncSession, profile: UserProfile) -> None:
    """Insert or refresh a person's profile."""
    values = profile.model_dump()
    statement = insert(session, UserProfile).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=["team_id", "user_id"],
        set_={k: v for k, v in values.items() if k not in ("team_id", "user_id")},
    )
    await session.exec(statement)


async def people_named(*, session: AsyncSession, team_id: str, name: str) -> list[str]:
    """Who in this workspace goes by `name` (any case): their whole stored name, or its
    first word (`@alice` for Alice Adams); at most a few ids, for `/decisions @alice`."""
    wanted = name.lower()
    statement = (
        select(UserProfile.user_id)
        .where(
            UserProfile.team_id == team_id,
            col(UserProfile.deleted).is_(False),
            (func.lower(col(UserProfile.name)) == wanted)
            | (func.lower(col(UserProfile.name)).like(_prefix(wanted), escape="\\")),
        )
        .order_by(col(UserProfile.user_id))
        .limit(5)
    )
    return list((await session.exec(statement)).all())


def _prefix(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped} %"
