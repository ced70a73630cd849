"""respond() posts every reply of the process through one HTTP session, whose connections
stay open between replies, and which is closed when the process stops."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from bot.slack.client import ResponseSession, SlackRespond
from bot.slack.failures import SlackFailure


class Hooks:
    """A response_url server that counts the connections its posts came over."""

    def __init__(self) -> None:
        self.connections: set[int] = set()
        self.posts: list[dict[str, object]] = []
        self.url = ""

    async def post(self, request: web.Request) -> web.Response:
        self.connections.add(id(request.transport))
        self.posts.append(await request.json())
        if request.match_info["name"] == "gone":
            return web.Response(status=404, text="expired_url")
        return web.Response(text="ok")


@pytest.fixture
async def hooks() -> AsyncIterator[Hooks]:
    server = Hooks()
    application = web.Application()
    application.router.add_post("/hooks/{name}", server.post)
    runner = web.AppRunner(application)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    server.url = f"http://127.0.0.1:{port}/hooks/"
    yield server
    await runner.cleanup()


async def test_replies_share_one_session_and_its_connection(hooks: Hooks) -> None:
    session = ResponseSession()
    for name in ("a", "b", "c"):
        respond = SlackRespond(response_url=hooks.url + name, session=session)
        await respond(text=f"card {name}", replace_original=False)
    assert [post["text"] for post in hooks.posts] == ["card a", "card b", "card c"]
    assert [post["replace_original"] for post in hooks.posts] == [False] * 3
    assert len(hooks.connections) == 1  # one connection for all three
    await session.aclose()


async def test_the_session_is_closed_on_stop_and_a_refused_reply_still_raises(
    hooks: Hooks,
) -> None:
    session = ResponseSession()
    respond = SlackRespond(response_url=hooks.url + "gone", session=session)
    with pytest.raises(SlackFailure, match="HTTP 404"):
        await respond({"text": "too late", "response_type": "ephemeral"})
    assert hooks.posts == [{"text": "too late", "response_type": "ephemeral"}]
    shared = session.get()
    await session.aclose()
    assert shared.closed
