"""The empty chair: the customer who is not in the room, asked on demand."""

from slack_bolt.async_app import AsyncApp

from bot.errors import guarded
from bot.services import Services
from handlers.chair import listeners


def register(app: AsyncApp, services: Services) -> None:
    app.command("/chair")(guarded(listeners.on_chair))
    app.event("reaction_added")(guarded(listeners.on_reaction))
