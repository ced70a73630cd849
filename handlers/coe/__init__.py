"""The Correction of Error room: /coe runs a blameless review of a mistake, a bar raiser
approves it, and every corrective action is chased until it is closed."""

from slack_bolt.async_app import AsyncApp

from bot.decisions.digest_sections import SectionProvider
from bot.decisions.links import OPEN_REVIEW
from bot.errors import guarded
from bot.schedule.jobs import JobRegistry
from handlers.coe import chasing, jobs, listeners, reviewing, writers
from handlers.coe.digest import sections
from handlers.coe.ids import Action, Callback, JobKind
from storage.models import CoeAction, CoeAnswer, CoeReview
from storage.queries.forget import ForgetStep, Scrub, replace_in_lists

DIGEST_SECTIONS: tuple[SectionProvider, ...] = (sections,)

FORGET = ForgetStep(
    tables=(CoeAnswer, CoeAction, CoeReview),
    scrubs=(
        Scrub(
            CoeAnswer,
            owner="answered_by",
            words=("text",),
            cleared={"rich": [], "details": {}},
            people=("answered_by",),
        ),
        Scrub(CoeAction, owner="closed_by", words=("reason",), people=("owner_id", "closed_by")),
        Scrub(CoeReview, owner="reviewer_id", words=("sent_back",)),
        Scrub(
            CoeReview,
            owner="author_id",
            words=("title",),
            people=("author_id", "owner_id", "reviewer_id"),
        ),
    ),
    person=(replace_in_lists(CoeReview, "writers"),),
)


def register(app: AsyncApp) -> None:
    app.command("/coe")(guarded(listeners.on_coe))
    app.view(Callback.OPEN.value)(guarded(listeners.on_open))
    app.action(OPEN_REVIEW)(guarded(listeners.on_from_decision))
    app.action(Action.QUESTION.value)(guarded(listeners.on_question))
    app.view(Callback.ANSWER.value)(guarded(listeners.on_answer))
    app.action(Action.ADD_ACTION.value)(guarded(listeners.on_add_action))
    app.view(Callback.ACTION.value)(guarded(listeners.on_action_form))
    app.action(Action.WRITERS.value)(guarded(writers.on_writers))
    app.view(Callback.WRITERS.value)(guarded(writers.on_writers_form))
    app.action(Action.ASK_REVIEW.value)(guarded(reviewing.on_ask_review))
    app.view(Callback.REVIEWER.value)(guarded(reviewing.on_reviewer))
    app.action(Action.APPROVE.value)(guarded(reviewing.on_approve))
    app.action(Action.SEND_BACK.value)(guarded(reviewing.on_send_back))
    app.view(Callback.SEND_BACK.value)(guarded(reviewing.on_send_back_form))
    app.action(Action.ACTION_DONE.value)(guarded(chasing.on_done))
    app.action(Action.ACTION_NOT_DOING.value)(guarded(chasing.on_not_doing))
    app.view(Callback.NOT_DOING.value)(guarded(chasing.on_not_doing_form))
    app.action(Action.ACTION_MOVE.value)(guarded(chasing.on_move))
    app.view(Callback.MOVE.value)(guarded(chasing.on_move_form))


def register_jobs(registry: JobRegistry) -> None:
    registry.on(JobKind.ACTION_DUE)(jobs.action_due)
    registry.on(JobKind.DRAFT_DUE)(jobs.draft_due)
