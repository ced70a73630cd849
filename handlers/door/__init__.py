"""The door room: /door sizes a decision as a one-way or two-way door."""

from slack_bolt.async_app import AsyncApp

from bot.services import Services
from handlers.door import listeners
from handlers.door.ids import Action, Callback
from handlers.door.sizing import make_sizer


def register(app: AsyncApp, services: Services) -> None:
    services.sizer = make_sizer(services)
    app.command("/door")(listeners.on_door)
    app.view(Callback.MODAL.value)(listeners.on_modal)
    app.action(Action.SHARE.value)(listeners.on_share)
    app.action(Action.OVERRULE.value)(listeners.on_overrule)
    app.action(Action.REVIEW_DATE.value)(listeners.on_review_date)
