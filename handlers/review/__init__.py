"""The review room: on the review day the owner is asked how the decision turned out,
and whether it was as easy to undo as its door card said."""

from slack_bolt.async_app import AsyncApp

from bot.decisions.digest_sections import SectionProvider
from bot.decisions.followups import REVIEW_KIND
from bot.errors import guarded
from bot.schedule.jobs import JobRegistry
from handlers.review import listeners, reminders
from handlers.review.ids import UNDO_OF, Action
from storage.queries.forget import ForgetStep

DIGEST_SECTIONS: tuple[SectionProvider, ...] = ()

FORGET = ForgetStep(tables=())  # its answers are the door room's rows


def register(app: AsyncApp) -> None:
    app.action(Action.WORKED.value)(guarded(listeners.on_outcome))
    app.action(Action.DID_NOT_WORK.value)(guarded(listeners.on_outcome))
    app.action(Action.TOO_EARLY.value)(guarded(listeners.on_too_early))
    for answer in UNDO_OF:
        app.action(answer.value)(guarded(listeners.on_undo_as_said))


def register_jobs(registry: JobRegistry) -> None:
    registry.on(REVIEW_KIND, prefetch=reminders.read_ahead)(reminders.send_reminder)
