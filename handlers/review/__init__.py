"""The review room: on the review day the owner is asked how the decision turned out."""

from slack_bolt.async_app import AsyncApp

from bot.errors import guarded
from bot.followups import REVIEW_KIND
from bot.services import Services
from handlers.review import listeners, reminders
from handlers.review.ids import Action


def register(app: AsyncApp, services: Services) -> None:
    if services.jobs is not None:
        services.jobs.on(REVIEW_KIND)(reminders.send_reminder)
    app.action(Action.WORKED.value)(guarded(listeners.on_outcome))
    app.action(Action.DID_NOT_WORK.value)(guarded(listeners.on_outcome))
    app.action(Action.TOO_EARLY.value)(guarded(listeners.on_too_early))
