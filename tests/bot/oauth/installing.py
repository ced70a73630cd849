"""Installing Doorway the way a browser does: GET /slack/install, follow Slack's authorize
URL's state by hand, come back to /slack/oauth_redirect with a code LocalSlack granted."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlparse

import aiohttp
from cryptography.fernet import Fernet

from bot.app import create_services
from bot.clock import Clock
from bot.services import Services
from bot.settings import Settings
from console.localslack import LocalSlack
from tests.driver import BotDriver, serve_bot
from tests.signing import SIGNING_SECRET

CLIENT_ID = "1234567890.0987654321"
CLIENT_SECRET = "local-client-secret"
STATE_SECRET = "a-long-random-state-secret"
KEY = Fernet.generate_key().decode()
COOKIE = "slack-app-oauth-state"


def oauth_settings(database_url: str, slack: LocalSlack, **more: Any) -> Settings:
    slack.installs.client_id, slack.installs.client_secret = CLIENT_ID, CLIENT_SECRET
    values: dict[str, Any] = {
        "slack_bot_token": None,
        "slack_signing_secret": SIGNING_SECRET,
        "slack_app_token": None,
        "slack_api_url": slack.api_url,
        "database_url": database_url,
        "openai_api_key": None,
        "openai_base_url": None,
        "slack_client_id": CLIENT_ID,
        "slack_client_secret": CLIENT_SECRET,
        "slack_state_secret": STATE_SECRET,
        "doorway_encryption_key": KEY,
    }
    values.update(more)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@asynccontextmanager
async def oauth_bot(settings: Settings, slack: LocalSlack) -> AsyncIterator[BotDriver]:
    services: Services = create_services(settings, clock=Clock())
    try:
        async with serve_bot(services) as url:
            yield BotDriver(url=url, slack=slack, services=services)
    finally:
        await services.aclose()


@dataclass
class Page:
    status: int
    text: str
    headers: dict[str, str]


async def get(url: str, *, cookie: str | None = None, **params: str) -> Page:
    # A jar that keeps nothing: the test carries the state cookie itself, as given.
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as http:
        headers = {"Cookie": f"{COOKIE}={cookie}"} if cookie else {}
        async with http.get(url, params=params, headers=headers, allow_redirects=False) as r:
            return Page(r.status, await r.text(), dict(r.headers))


async def start_install(bot: BotDriver) -> str:
    """GET /slack/install: the state on Slack's authorize URL (and in the cookie set)."""
    page = await get(bot.url + "/slack/install")
    assert page.status == 302, page.text
    location = urlparse(page.headers["Location"])
    assert location.netloc == "slack.com" and location.path == "/oauth/v2/authorize"
    query = parse_qs(location.query)
    assert query["client_id"] == [CLIENT_ID]
    [state] = query["state"]
    assert f"{COOKIE}={state}" in page.headers["Set-Cookie"]
    return state


async def come_back(bot: BotDriver, *, code: str, state: str, cookie: str | None = "") -> Page:
    """Slack sends the browser back with the code and the state."""
    return await get(
        bot.url + "/slack/oauth_redirect",
        cookie=state if cookie == "" else cookie,
        code=code,
        state=state,
    )


async def install(bot: BotDriver, team_id: str | None, **grant: Any) -> Page:
    """The whole install of Doorway into `team_id`, as its admin clicks through it."""
    state = await start_install(bot)
    code = bot.slack.grant(team_id, **grant)
    page = await come_back(bot, code=code, state=state)
    assert page.status == 200, page.text
    return page
