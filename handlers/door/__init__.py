"""The door room: /door sizes a decision as a one-way or two-way door."""

from slack_bolt.async_app import AsyncApp

from bot.decisions.digest_sections import SectionProvider
from bot.decisions.followups import CARD_KIND
from bot.decisions.links import DECIDE_BUILD
from bot.errors import guarded
from bot.listeners.steps import step
from bot.schedule.jobs import JobRegistry
from handlers.door import from_prfaq, jobs, listeners, shortcuts, workflow
from handlers.door.ids import Action, Callback, Shortcut
from storage.models import DecisionStatus, DoorDecision
from storage.queries.forget import ForgetStep, Scrub

DIGEST_SECTIONS: tuple[SectionProvider, ...] = ()

# A decision they sized and never shared was only theirs; a shared one stays for the channel.
FORGET = ForgetStep(
    tables=(DoorDecision,),
    scrubs=(
        Scrub(
            DoorDecision,
            owner="author_id",
            words=("text", "context", "sizing_note"),
            delete_when=lambda c: (c.status == DecisionStatus.OPEN) & (c.owner_id == c.author_id),
            people=(
                "author_id",
                "owner_id",
                "overruled_by",
                "outcome_by",
                "answered_by",
                "undo_by",
            ),
        ),
    ),
)


def register(app: AsyncApp) -> None:
    app.command("/door")(guarded(listeners.on_door))
    app.view(Callback.MODAL.value)(guarded(listeners.on_modal))
    app.action(Action.SHARE.value)(guarded(listeners.on_share))
    app.action(Action.OVERRULE.value)(guarded(listeners.on_overrule))
    app.action(Action.REVIEW_DATE.value)(guarded(listeners.on_review_date))
    app.action(Action.ANSWER_YES.value)(guarded(listeners.on_answer))
    app.action(Action.ANSWER_NO.value)(guarded(listeners.on_answer))
    app.action(DECIDE_BUILD)(guarded(from_prfaq.on_from_prfaq))
    app.function("size_decision")(step(workflow.on_size_decision))
    app.shortcut(Shortcut.SIZE_MESSAGE.value)(guarded(shortcuts.on_size_message))
    app.shortcut(Shortcut.LOG.value)(guarded(shortcuts.on_log_decision))


def register_jobs(registry: JobRegistry) -> None:
    """A shared card drawn again when another room changed it. (The door's review
    reminders are the review room's jobs: bot.decisions.followups.)"""
    registry.on(CARD_KIND)(jobs.redraw_card)
