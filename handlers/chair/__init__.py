"""The empty chair: the customer who is not in the room, asked on demand."""

from slack_bolt.async_app import AsyncApp

from bot.decisions.digest_sections import SectionProvider
from bot.errors import guarded
from bot.schedule.jobs import JobRegistry
from handlers.chair import listeners
from storage.queries.forget import ForgetStep

DIGEST_SECTIONS: tuple[SectionProvider, ...] = ()

FORGET = ForgetStep(tables=())  # the chair keeps nothing


def register(app: AsyncApp) -> None:
    app.command("/chair")(guarded(listeners.on_chair))
    app.event("reaction_added")(guarded(listeners.on_reaction))


def register_jobs(registry: JobRegistry) -> None:
    """The chair has no scheduled work."""
