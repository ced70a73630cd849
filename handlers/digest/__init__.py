"""The digest room: `/digest`, and each subscribed channel's weekly digest."""

from slack_bolt.async_app import AsyncApp

from bot.decisions.digest_sections import SectionProvider
from bot.errors import guarded
from bot.schedule.jobs import JobRegistry
from handlers.digest import listeners, runs
from storage.models import DigestRun, DigestSubscription
from storage.queries.forget import ForgetStep, Scrub

# The digest's own sections are its body; other rooms' come after them.
DIGEST_SECTIONS: tuple[SectionProvider, ...] = ()

FORGET = ForgetStep(
    tables=(DigestRun, DigestSubscription),
    scrubs=(Scrub(DigestSubscription, people=("subscribed_by",)),),
)


def register(app: AsyncApp) -> None:
    app.command("/digest")(guarded(listeners.on_digest))


def register_jobs(registry: JobRegistry) -> None:
    registry.on(runs.DIGEST_KIND, prefetch=runs.prefetch)(runs.send_digest)
