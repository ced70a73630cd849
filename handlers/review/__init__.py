"""The review room: on the review day the owner is asked how the decision turned out,
and whether it was as easy to undo as its door card said."""

from slack_bolt.async_app import AsyncApp

from bot.errors import guarded
from bot.followups import REVIEW_KIND
from bot.services import Services
from handlers.review import listeners, reminders
from handlers.review.ids import UNDO_OF, Action


def register(app: AsyncApp, services: Services) -> None:
    if services.jobs is not None:
        services.jobs.on(REVIEW_KIND)(reminders.send_reminder)
    app.action(Action.WORKED.value)(guarded(listeners.on_outcome))
    app.action(Action.DID_NOT_WORK.value)(guarded(listeners.on_outcome))
    app.action(Action.TOO_EARLY.value)(guarded(listeners.on_too_early))
    for answer in UNDO_OF:
        app.action(answer.value)(guarded(listeners.on_undo_as_said))
