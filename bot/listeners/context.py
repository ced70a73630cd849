"""Where listeners find Doorway's services and who/where a request came from."""

from __future__ import annotations

from typing import Any

from slack_bolt.context.async_context import AsyncBoltContext

from bot.listeners.fields import Incomplete
from bot.services import Services

SERVICES = "doorway_services"


def services_of(context: AsyncBoltContext) -> Services:
    services: Services = context[SERVICES]
    return services


def team_of(context: AsyncBoltContext, body: dict[str, Any]) -> str:
    """The workspace a request belongs to (Enterprise Grid: the user's own team)."""
    team = context.team_id or (body.get("team") or {}).get("id") or body.get("team_id")
    if not team:
        user = body.get("user") or {}
        team = user.get("team_id")
    if not team:
        raise Incomplete("team id", "is missing")
    return str(team)
