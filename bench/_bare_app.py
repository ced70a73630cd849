"""The baseline: a bare Bolt AsyncApp whose /door listener only acks, served like Doorway.

    PORT=8124 SLACK_BOT_TOKEN=xoxb-… SLACK_SIGNING_SECRET=… SLACK_API_URL=http://…/api/ \\
        python bench/_bare_app.py

Same Bolt, same aiohttp adapter and routes as bot/serving/http.py, nothing else: no
database, no model, no middleware. It exits by itself when the process that
started it goes away.
"""

from __future__ import annotations

import os

from _child import exit_with_parent  # type: ignore[import-not-found]
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient


def make_app() -> web.Application:
    token = os.environ["SLACK_BOT_TOKEN"]
    bolt = AsyncApp(
        client=AsyncWebClient(token=token, base_url=os.environ["SLACK_API_URL"]),
        token=token,
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
    )

    @bolt.command("/door")
    async def door(ack: AsyncAck) -> None:
        await ack()

    async def slack_events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_post("/slack/events", slack_events)
    app.router.add_get("/healthz", healthz)
    app.cleanup_ctx.append(exit_with_parent)
    return app


if __name__ == "__main__":
    web.run_app(
        make_app(),
        host="127.0.0.1",
        port=int(os.environ["PORT"]),
        print=None,
        access_log=None,
        # Doorway's backlog (bot/serving/http.py): the kernel's queue is not what is compared.
        backlog=2048,
    )
