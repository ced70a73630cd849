"""The one way into the app, for HTTP, Socket Mode and replays alike.

Every request is dispatched here, so one place decides whether the bot still takes
requests (not while it is stopping), drops the control characters text may carry before
anything reads it (bot.slack.text.printable), and opens the request's `Work`
(bot/inflight.py), so what was acknowledged can be waited for, and kept if it cannot
finish.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_internals import build_async_context
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from bot.inflight import InFlight, Work
from bot.slack.text import drop_control_characters

log = logging.getLogger(__name__)

STOPPING = "Doorway is restarting; Slack will retry shortly"


class DoorwayApp(AsyncApp):
    """An AsyncApp whose dispatches are counted and refused while the process stops."""

    def __init__(self, *, inflight: InFlight, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._inflight = inflight

    async def async_dispatch(self, req: AsyncBoltRequest) -> BoltResponse:
        if not self._inflight.accepting:
            # 503 over HTTP, and no ack over Socket Mode: either way Slack tries again,
            # by then at an instance that is not stopping.
            return BoltResponse(status=503, body=STOPPING)
        if drop_control_characters(req.body):
            # Bolt read the ids in its context from the body as it was.
            req.context = build_async_context(AsyncBoltContext({}), req.body)
        with self._inflight.request(req.body), self._inflight.acking():
            return await super().async_dispatch(req)

    async def replay(self, body: dict[str, Any], *, resumed_from: int) -> Work:
        """Dispatch a kept request again; returns its Work, to wait for its end.

        It goes in as a Socket Mode request: Bolt checks signatures on HTTP requests only,
        and this one comes from our own database, not from the network. Nothing answers
        its ack: Slack was answered when it first arrived.
        """
        request = AsyncBoltRequest(body=body, mode="socket_mode")
        with self._inflight.request(request.body, resumed_from=resumed_from) as work:
            response = await super().async_dispatch(request)
        if response.status != 200:
            log.warning("replayed request %s was answered %s", resumed_from, response.status)
        return work
