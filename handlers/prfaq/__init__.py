"""The PR/FAQ room: /prfaq works backwards from the customer. Five questions, then a
drafted press release and FAQ, revised section by section and shared in widening circles."""

from slack_bolt.async_app import AsyncApp

from bot.decisions.digest_sections import SectionProvider
from bot.decisions.links import PRFAQ_DECIDED
from bot.errors import guarded
from bot.schedule.jobs import JobRegistry
from handlers.prfaq import jobs, listeners, reading, sharing
from handlers.prfaq.ids import Action, Callback
from storage.models import Prfaq, PrfaqPost, PrfaqReader, PrfaqRevision, PrfaqSection
from storage.queries.forget import ForgetStep, Scrub

DIGEST_SECTIONS: tuple[SectionProvider, ...] = ()

FORGET = ForgetStep(
    tables=(PrfaqPost, PrfaqReader, PrfaqRevision, PrfaqSection, Prfaq),
    scrubs=(
        Scrub(PrfaqReader, owner="user_id", delete_when=True),
        Scrub(PrfaqRevision, owner="changed_by", words=("text",), people=("changed_by",)),
        Scrub(PrfaqSection, owner="updated_by", words=("text",), people=("updated_by",)),
        Scrub(
            Prfaq,
            owner="author_id",
            words=("idea",),
            cleared={"answers": {}},
            people=("author_id",),
        ),
    ),
)


def register(app: AsyncApp) -> None:
    app.command("/prfaq")(guarded(listeners.on_prfaq))
    app.view(Callback.OPEN.value)(guarded(listeners.on_open))
    app.action(Action.REVISE.value)(guarded(listeners.on_revise))
    app.view(Callback.REVISE.value)(guarded(listeners.on_revise_form))
    app.action(Action.SHARE.value)(guarded(sharing.on_share))
    app.view(Callback.SHARE.value)(guarded(sharing.on_share_form))
    app.action(Action.READ.value)(guarded(reading.on_read))
    app.action(Action.DONE_READING.value)(guarded(reading.on_done_reading))
    app.action(Action.ASK.value)(guarded(reading.on_ask))
    app.view(Callback.ASK.value)(guarded(reading.on_ask_form))
    app.action(Action.HISTORY.value)(guarded(reading.on_history))


def register_jobs(registry: JobRegistry) -> None:
    registry.on(PRFAQ_DECIDED)(jobs.decided)
