"""Forgetting: a workspace's rows, or one person's words and ids, for `doorway forget` and
for a workspace whose retention ran out after it uninstalled Doorway.

Each room declares what it keeps as a `ForgetStep` (handlers/<room>/__init__.py: FORGET),
and the platform has its own (storage/queries/forget_platform.py); every table with a
team_id is in some step's `tables` (a test holds that). A step's tables are listed children
first, and the platform's step runs last, so foreign keys never stand in the way.

For one person: rows that are only theirs are deleted; in rows that stay for others their
free text becomes REMOVED and their id a placeholder, the same one across every table of
one request (so a card still counts them once) and not derived from their id.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, and_, case, delete, literal, select, update
from sqlalchemy.sql import ColumnCollection, ColumnElement
from sqlmodel.ext.asyncio.session import AsyncSession

REMOVED = "[removed at the person's request]"

Condition = Callable[[ColumnCollection[str, Any]], ColumnElement[bool]]
# A step's own work for one person, beyond its Scrubs: (session, team, user, placeholder).
PersonStep = Callable[[AsyncSession, str, str, str], Awaitable[None]]


def placeholder() -> str:
    """The id a forgotten person is replaced by in rows that stay: random, not theirs."""
    return "UFORGOTTEN" + secrets.token_hex(5).upper()


def table_of(model: Any) -> Table:
    """The Table of a SQLModel class (or the Table itself)."""
    table = model if isinstance(model, Table) else model.__table__
    assert isinstance(table, Table)
    return table


@dataclass(frozen=True)
class Scrub:
    """One person in one table: rows whose `owner` column is theirs are deleted when
    `delete_when` holds too (or is `True`); in the rest, each of `words` (their free text)
    that has any becomes REMOVED and each of `cleared` is set to its value; then each of
    `people` that names them is set to the placeholder."""

    table: Any
    owner: str | None = None
    words: tuple[str, ...] = ()
    cleared: Mapping[str, Any] = field(default_factory=dict)
    delete_when: Condition | bool = False
    people: tuple[str, ...] = ()

    async def apply(self, session: AsyncSession, *, team_id: str, user_id: str, as_: str) -> None:
        t = table_of(self.table)
        c = t.c
        if self.owner is not None:
            mine = and_(c.team_id == team_id, c[self.owner] == user_id)
            if self.delete_when is True:
                await session.exec(delete(t).where(mine))  # type: ignore[call-overload]
            elif self.delete_when:
                gone = and_(mine, self.delete_when(c))
                await session.exec(delete(t).where(gone))  # type: ignore[call-overload]
            values: dict[str, Any] = {
                name: case((c[name].is_(None), None), else_=literal(REMOVED)) for name in self.words
            }
            values.update(self.cleared)
            if values:
                await session.exec(update(t).where(mine).values(values))  # type: ignore[call-overload]
        for name in self.people:
            await session.exec(  # type: ignore[call-overload]
                update(t).where(c.team_id == team_id, c[name] == user_id).values({name: as_})
            )


@dataclass(frozen=True)
class ForgetStep:
    """What one room (or the platform) keeps, and how it forgets a workspace or a person."""

    tables: tuple[Any, ...]  # children first
    scrubs: tuple[Scrub, ...] = ()
    person: tuple[PersonStep, ...] = ()

    async def forget_team(self, session: AsyncSession, *, team_id: str) -> int:
        """Delete every row of workspace `team_id` in this step's tables; how many."""
        deleted = 0
        for model in self.tables:
            t = table_of(model)
            result = await session.exec(delete(t).where(t.c.team_id == team_id))  # type: ignore[call-overload]
            deleted += int(result.rowcount or 0)
        return deleted

    async def forget_person(
        self, session: AsyncSession, *, team_id: str, user_id: str, as_: str
    ) -> None:
        """Remove `user_id`'s rows and words from this step's tables in workspace `team_id`."""
        for scrub in self.scrubs:
            await scrub.apply(session, team_id=team_id, user_id=user_id, as_=as_)
        for step in self.person:
            await step(session, team_id, user_id, as_)


async def forget_team(session: AsyncSession, *, steps: tuple[ForgetStep, ...], team_id: str) -> int:
    """Delete everything workspace `team_id` left, step by step; how many rows."""
    return sum([await step.forget_team(session, team_id=team_id) for step in steps])


async def forget_person(
    session: AsyncSession, *, steps: tuple[ForgetStep, ...], team_id: str, user_id: str
) -> str:
    """Remove one person's data and words from every step; the placeholder they became."""
    as_ = placeholder()
    for step in steps:
        await step.forget_person(session, team_id=team_id, user_id=user_id, as_=as_)
    return as_


async def json_rows_naming(
    session: AsyncSession, *, table: Any, column: str, team_id: str, user_id: str
) -> list[Any]:
    """Primary keys of the team's rows whose JSON `column` mentions `user_id` anywhere."""
    t = table_of(table)
    key = next(iter(t.primary_key.columns))
    rows = (await session.exec(select(key, t.c[column]).where(t.c.team_id == team_id))).all()  # type: ignore[call-overload]
    return [row[0] for row in rows if user_id in _strings(row[1])]


def _strings(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value, *value.replace("<@", " ").replace(">", " ").replace("|", " ").split()}
    if isinstance(value, Mapping):
        return set().union(*(_strings(v) for v in value.values()), set(map(str, value)))
    if isinstance(value, list | tuple):
        return set().union(*(_strings(v) for v in value)) if value else set()
    return set()


async def delete_json_naming(
    session: AsyncSession, *, table: Any, column: str, team_id: str, user_id: str
) -> int:
    """Delete the team's rows whose JSON `column` mentions `user_id`."""
    t = table_of(table)
    keys = await json_rows_naming(session, table=t, column=column, team_id=team_id, user_id=user_id)
    if not keys:
        return 0
    key = next(iter(t.primary_key.columns))
    result = await session.exec(delete(t).where(key.in_(keys)))  # type: ignore[call-overload]
    return int(result.rowcount or 0)


def replace_in_lists(table: Any, column: str) -> PersonStep:
    """A person step: the person's id, wherever it is an item of the JSON list `column`,
    becomes the placeholder (who wrote a review with its owner, say)."""

    async def step(session: AsyncSession, team_id: str, user_id: str, as_: str) -> None:
        t = table_of(table)
        key = next(iter(t.primary_key.columns))
        rows = (await session.exec(select(key, t.c[column]).where(t.c.team_id == team_id))).all()  # type: ignore[call-overload]
        for row_key, items in rows:
            if isinstance(items, list) and user_id in items:
                changed = [as_ if item == user_id else item for item in items]
                await session.exec(  # type: ignore[call-overload]
                    update(t).where(key == row_key).values({column: changed})
                )

    return step
