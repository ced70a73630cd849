"""The install pages fed what anyone on the internet can send: a 4xx page saying what to
do, never a 5xx, never a token or a secret in a page or a log line."""

from __future__ import annotations

import logging

import aiohttp
import pytest

from console.localslack import LocalSlack
from tests.bot.oauth.installing import (
    CLIENT_SECRET,
    COOKIE,
    KEY,
    STATE_SECRET,
    come_back,
    get,
    oauth_bot,
    oauth_settings,
    start_install,
)
from tests.driver import TEAM
from tests.signing import SIGNING_SECRET

OTHER = "T0SECOND"


def leaked(text: str, bot_tokens: list[str]) -> list[str]:
    secrets = [CLIENT_SECRET, STATE_SECRET, KEY, SIGNING_SECRET, *bot_tokens]
    return [s for s in secrets if s and s in text]


async def raw_get(url: str, query: str, cookie: str | None = None) -> tuple[int, str]:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as http:
        headers = {"Cookie": f"{COOKIE}={cookie}"} if cookie else {}
        async with http.get(
            aiohttp.client.URL(url + "?" + query, encoded=True),
            headers=headers,
            allow_redirects=False,
        ) as r:
            return r.status, await r.text()


async def test_weird_callbacks_get_a_4xx_page_and_leak_nothing(
    database_url: str, local_slack: LocalSlack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with oauth_bot(oauth_settings(database_url, local_slack), local_slack) as bot:
        redirect = bot.url + "/slack/oauth_redirect"
        state = await start_install(bot)
        code = local_slack.grant(TEAM)
        cases = [
            ("", None),
            ("state=&code=", None),
            ("code=" + code, None),  # no state at all
            ("state=" + state, state),  # no code
            ("state=%C3%A9.%C3%A9&code=x", "é.é"),  # not ASCII
            ("state=a.%00&code=x", None),
            ("state=" + "a" * 20_000 + "&code=x", None),
            ("code=a&code=b&state=x&state=y", None),
            ("error=%3Cscript%3Ealert(1)%3C%2Fscript%3E", None),
            ("error=access_denied%0D%0ASet-Cookie:%20evil=1", None),
            ("error=" + "x" * 5000, None),
            ("%zz=%%&&==&state", None),
        ]
        for query, cookie in cases:
            status, text = await raw_get(redirect, query, cookie=cookie)
            assert 400 <= status < 500, (query[:60], status, text[:200])
            assert "Traceback" not in text and "<script>" not in text, query[:60]
        status, _ = await raw_get(bot.url + "/slack/install", "state=x&" + "a=b&" * 2000)
        assert status < 500
        tokens = list(local_slack.installs._tokens)  # every token LocalSlack issued
        logged = "\n".join(r.getMessage() for r in caplog.records)
        assert leaked(logged, tokens) == [] and code not in logged
        assert "\nSet-Cookie" not in logged


async def test_a_state_minted_for_one_browser_installs_only_once_whoever_sends_it(
    database_url: str, local_slack: LocalSlack
) -> None:
    local_slack.add_workspace(OTHER, team_domain="second")
    async with oauth_bot(oauth_settings(database_url, local_slack), local_slack) as bot:
        state = await start_install(bot)
        # A code for workspace B with the state minted while installing A: the state is
        # single-use and bound to the browser, not to a workspace, so the first use wins
        # and any second is refused.
        first = await come_back(bot, code=local_slack.grant(OTHER), state=state)
        assert first.status == 200
        again = await come_back(bot, code=local_slack.grant(TEAM), state=state)
        assert again.status == 400 and "used already" in again.text
        page = await get(bot.url + "/slack/oauth_redirect", code="x", state=state)
        assert page.status == 400
