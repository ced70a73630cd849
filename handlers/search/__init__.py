"""The search room: /decisions finds the decisions a person may see, newest first."""

from slack_bolt.async_app import AsyncApp

from bot.decisions.digest_sections import SectionProvider
from bot.errors import guarded
from bot.schedule.jobs import JobRegistry
from handlers.search import listeners
from handlers.search.ids import Action
from storage.queries.forget import ForgetStep

DIGEST_SECTIONS: tuple[SectionProvider, ...] = ()
FORGET = ForgetStep(tables=())  # searching reads other rooms' rows and keeps nothing


def register(app: AsyncApp) -> None:
    app.command("/decisions")(guarded(listeners.on_decisions))
    app.action(Action.NEXT.value)(guarded(listeners.on_page))
    app.action(Action.PREVIOUS.value)(guarded(listeners.on_page))


def register_jobs(registry: JobRegistry) -> None:
    """Searching has no scheduled work."""
