"""The platform's own forget step: jobs, things done once, kept requests, profiles, the
decision numbers, the OAuth installs and the uninstall mark (see storage/queries/forget.py).

It runs after every room's: the rooms' decision rows point at `decision`."""

from __future__ import annotations

from sqlalchemy import and_, delete, exists, select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import (
    Commitment,
    Decision,
    DoorDecision,
    Job,
    SeenEvent,
    UnfinishedRequest,
    UserProfile,
    WorkspaceUninstall,
    slack_bots,
    slack_installations,
)
from storage.queries.forget import ForgetStep, Scrub, delete_json_naming


async def _their_jobs_and_requests(
    session: AsyncSession, team_id: str, user_id: str, as_: str
) -> None:
    """What was planned for them or kept of their requests names them: it goes."""
    for table, column in ((Job, "payload"), (UnfinishedRequest, "body")):
        await delete_json_naming(
            session, table=table, column=column, team_id=team_id, user_id=user_id
        )


async def _numbers_left(session: AsyncSession, team_id: str, user_id: str, as_: str) -> None:
    """A decision number whose /door or /commit row a room deleted is deleted too."""
    door = exists(select(col(DoorDecision.id)).where(col(DoorDecision.id) == col(Decision.id)))
    commitment = exists(select(col(Commitment.id)).where(col(Commitment.id) == col(Decision.id)))
    await session.exec(
        delete(Decision).where(  # type: ignore[call-overload]
            and_(col(Decision.team_id) == team_id, ~door, ~commitment)
        )
    )


PLATFORM = ForgetStep(
    tables=(
        Job,
        SeenEvent,
        UnfinishedRequest,
        UserProfile,
        Decision,
        slack_bots,
        slack_installations,
        WorkspaceUninstall,
    ),
    scrubs=(
        Scrub(UserProfile, owner="user_id", delete_when=True),
        # The installer's own user token goes; the workspace's bot stays installed.
        Scrub(
            slack_installations,
            owner="user_id",
            cleared={"user_token": None, "user_refresh_token": None, "user_scopes": None},
            people=("user_id",),
        ),
    ),
    person=(_their_jobs_and_requests, _numbers_left),
)
