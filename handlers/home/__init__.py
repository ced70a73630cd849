"""App Home: each person's own open decisions, commitments and due follow-ups."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.decisions.digest_sections import SectionProvider
from bot.errors import guarded
from bot.listeners import fields
from bot.listeners.context import services_of, team_of
from bot.listeners.people import timezone_of
from bot.schedule.jobs import JobRegistry
from handlers.home.messages import home_view
from storage.queries.coe import open_actions_of
from storage.queries.forget import ForgetStep
from storage.queries.log import dissent_of, due_reviews_of, open_decisions_of

DIGEST_SECTIONS: tuple[SectionProvider, ...] = ()

FORGET = ForgetStep(tables=())  # the Home tab is drawn from other rooms' rows


async def on_home_opened(
    event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    if event.get("tab") not in (None, "home"):
        return
    services = services_of(context)
    team_id, user_id = team_of(context, body), fields.text(event, "user")
    zone = await timezone_of(services, team_id=team_id, user_id=user_id)
    today = services.clock.now().astimezone(zone).date()
    async with services.db.session() as session:
        due = await due_reviews_of(session=session, team_id=team_id, user_id=user_id, today=today)
        decisions = await open_decisions_of(session=session, team_id=team_id, user_id=user_id)
        dissent = await dissent_of(session=session, team_id=team_id, user_id=user_id)
        actions = await open_actions_of(session=session, team_id=team_id, user_id=user_id)
    view = home_view(due=due, decisions=decisions, dissent=dissent, actions=actions, today=today)
    await client.views_publish(user_id=user_id, view=view)


def register(app: AsyncApp) -> None:
    app.event("app_home_opened")(guarded(on_home_opened))


def register_jobs(registry: JobRegistry) -> None:
    """App Home is drawn when opened; it has no scheduled work."""
