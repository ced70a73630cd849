"""The commit room: /commit records a disagree-and-commit and checks back on who was right."""

from slack_bolt.async_app import AsyncApp

from bot.decisions.digest_sections import SectionProvider
from bot.errors import guarded
from bot.listeners.steps import step
from bot.schedule.jobs import JobRegistry
from handlers.commit import jobs, listeners, shortcut, workflow
from handlers.commit.digest import sections
from handlers.commit.ids import Action, Answer, Callback, JobKind, Shortcut, outcome_action
from storage.models import CheckIn, Commitment, Dissent
from storage.queries.forget import ForgetStep, Scrub

DIGEST_SECTIONS: tuple[SectionProvider, ...] = (sections,)

FORGET = ForgetStep(
    tables=(CheckIn, Dissent, Commitment),
    scrubs=(
        Scrub(
            Dissent,
            owner="user_id",
            words=("concern", "expectation", "reason"),
            people=("user_id",),
        ),
        Scrub(CheckIn, people=("user_id",)),
        Scrub(
            Commitment,
            owner="author_id",
            words=("text", "context"),
            people=("author_id", "owner_id"),
        ),
    ),
)


def register(app: AsyncApp) -> None:
    app.command("/commit")(guarded(listeners.on_commit))
    app.view(Callback.RECORD.value)(guarded(listeners.on_record))
    app.view(Callback.PLEDGE.value)(guarded(listeners.on_pledge))
    app.view(Callback.HOLD.value)(guarded(listeners.on_hold))
    app.action(Action.COMMIT.value)(guarded(listeners.on_commit_button))
    app.action(Action.NOT_YET.value)(guarded(listeners.on_not_yet_button))
    for answer in Answer:
        app.action(outcome_action(answer))(guarded(listeners.on_outcome))
    app.function("record_commit")(step(workflow.on_record_commit))
    app.shortcut(Shortcut.ON_MESSAGE.value)(guarded(shortcut.on_commit_message))


def register_jobs(registry: JobRegistry) -> None:
    registry.on(JobKind.REMIND, prefetch=jobs.read_ahead)(jobs.remind)
    registry.on(JobKind.CHECK_BACK, prefetch=jobs.read_ahead)(jobs.check_back)
    registry.on(JobKind.SUMMARY)(jobs.summary)
