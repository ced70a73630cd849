"""The digest room: `/digest`, and each subscribed channel's weekly digest."""

from slack_bolt.async_app import AsyncApp

from bot.services import Services
from handlers.digest import listeners, runs
from handlers.digest.ids import Command


def register(app: AsyncApp, services: Services) -> None:
    if services.jobs is not None:
        services.jobs.on(runs.DIGEST_KIND)(runs.send_digest)
    app.command(Command.DIGEST.value)(listeners.on_digest)
