"""The silent-reading room: /memo starts the six-page memo's silent read; comments are
collected privately while the timer runs and revealed together at the end."""

from slack_bolt.async_app import AsyncApp

from bot.decisions.digest_sections import SectionProvider
from bot.errors import guarded
from bot.schedule.jobs import JobRegistry
from handlers.memo import jobs, listeners
from handlers.memo.ids import Action, Callback, JobKind
from storage.models import MemoComment, MemoReader, MemoSession
from storage.queries.forget import ForgetStep, Scrub

# Nothing in the weekly digest: a reading's comments are for its thread alone.
DIGEST_SECTIONS: tuple[SectionProvider, ...] = ()

FORGET = ForgetStep(
    tables=(MemoComment, MemoReader, MemoSession),
    scrubs=(
        Scrub(
            MemoComment,
            owner="user_id",
            words=("text",),
            cleared={"section": None},
            people=("user_id",),
        ),
        Scrub(MemoReader, owner="user_id", delete_when=True),
        Scrub(
            MemoSession,
            owner="owner_id",
            words=("title",),
            cleared={"url": None},
            people=("owner_id", "ended_by"),
        ),
    ),
)


def register(app: AsyncApp) -> None:
    app.command("/memo")(guarded(listeners.on_memo))
    app.action(Action.READING.value)(guarded(listeners.on_reading))
    app.action(Action.FINISHED.value)(guarded(listeners.on_finished))
    app.action(Action.COMMENT.value)(guarded(listeners.on_comment))
    app.view(Callback.COMMENT.value)(guarded(listeners.on_comment_form))
    app.action(Action.EXTEND_5.value)(guarded(listeners.on_extend))
    app.action(Action.EXTEND_10.value)(guarded(listeners.on_extend))
    app.action(Action.END_NOW.value)(guarded(listeners.on_end_now))


def register_jobs(registry: JobRegistry) -> None:
    registry.on(JobKind.END)(jobs.end)
