"""A workspace that uninstalls Doorway (app_uninstalled), or revokes its bot's token
(tokens_revoked), stops all work at once: its installs are deleted (Bolt's own token
revocation listeners), everything planned for it is cancelled and the job runner takes
nothing of it again (storage/queries/jobs.py), and its data is deleted after
DOORWAY_RETENTION_DAYS (the daily prune, bot/schedule/retention.py; 0: at once). Installing
again before then keeps the data (storage/installations.py clears the mark).

`forget_workspace` and `forget_person` are also what `doorway forget` runs.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.listener.async_builtins import AsyncTokenRevocationListeners

from bot.errors import guarded
from bot.listeners.context import services_of
from bot.services import Services
from storage.queries import forget as fq
from storage.queries import workspaces as wq

log = logging.getLogger(__name__)


async def uninstalled(
    services: Services, *, team_id: str, enterprise_id: str | None, reason: str
) -> None:
    """Stop everything for `team_id` now; forget it now or when its retention ends."""
    now = services.clock.now()
    days = services.settings.doorway_retention_days
    async with services.db.session() as session:
        cancelled = await wq.mark_uninstalled(
            session=session,
            team_id=team_id,
            enterprise_id=enterprise_id,
            at=now,
            forget_at=now + timedelta(days=days),
            reason=reason,
        )
    log.info(
        "workspace %s: %s; %d planned job(s) cancelled, its data kept %d day(s)",
        team_id,
        reason,
        cancelled,
        days,
    )
    if days == 0:
        await forget_workspace(services, team_id)


async def forget_workspace(services: Services, team_id: str) -> int:
    """Delete every row workspace `team_id` left, in one transaction; how many."""
    async with services.db.session() as session:
        deleted = await fq.forget_team(session, steps=services.forget_steps, team_id=team_id)
    log.info("workspace %s forgotten: %d row(s) deleted", team_id, deleted)
    return deleted


async def forget_person(services: Services, team_id: str, user_id: str) -> str:
    """Remove one person's data and words from workspace `team_id`; their placeholder."""
    async with services.db.session() as session:
        return await fq.forget_person(
            session, steps=services.forget_steps, team_id=team_id, user_id=user_id
        )


def register(app: AsyncApp) -> None:
    """The uninstall listeners, for an app that keeps OAuth installs."""
    store = app.installation_store
    assert store is not None, "uninstall listeners need the app's installation store"
    bolt = AsyncTokenRevocationListeners(store)

    async def on_app_uninstalled(context: AsyncBoltContext) -> None:
        await bolt.handle_app_uninstalled_events(context)
        if context.team_id or context.enterprise_id:
            await uninstalled(
                services_of(context),
                team_id=str(context.team_id or context.enterprise_id),
                enterprise_id=context.enterprise_id,
                reason="app_uninstalled",
            )

    async def on_tokens_revoked(event: dict[str, Any], context: AsyncBoltContext) -> None:
        await bolt.handle_tokens_revoked_events(event, context)
        tokens = event.get("tokens") if isinstance(event.get("tokens"), dict) else {}
        # A revoked user token is one person's; a revoked bot token ends Doorway's work there.
        if (tokens or {}).get("bot") and (context.team_id or context.enterprise_id):
            await uninstalled(
                services_of(context),
                team_id=str(context.team_id or context.enterprise_id),
                enterprise_id=context.enterprise_id,
                reason="tokens_revoked",
            )

    app.event("app_uninstalled")(guarded(on_app_uninstalled))
    app.event("tokens_revoked")(guarded(on_tokens_revoked))
