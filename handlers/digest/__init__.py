"""The digest room: `/digest`, and each subscribed channel's weekly digest."""

from slack_bolt.async_app import AsyncApp

from bot.errors import guarded
from bot.services import Services
from handlers.digest import listeners, runs


def register(app: AsyncApp, services: Services) -> None:
    if services.jobs is not None:
        services.jobs.on(runs.DIGEST_KIND)(runs.send_digest)
    app.command("/digest")(guarded(listeners.on_digest))
