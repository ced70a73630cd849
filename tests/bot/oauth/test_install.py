"""The install pages: a good install, and every way a callback can be wrong (a 4xx page
saying what to do, never a 5xx); tokens kept encrypted; rotating tokens refreshed; an
Enterprise Grid org-wide install kept with its enterprise."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import yaml
from sqlalchemy import select

from bot.serving.oauth import SCOPES
from bot.settings import SettingsError, load_settings
from console.localslack import LocalSlack
from storage.models import slack_bots, slack_installations
from tests import signing
from tests.bot.oauth.installing import (
    CLIENT_ID,
    come_back,
    get,
    install,
    oauth_bot,
    oauth_settings,
    start_install,
)
from tests.driver import ALICE, TEAM, BotDriver, blocks_of
from tests.test_manifest import MANIFEST
from tests.ticking import local, tick


async def test_a_workspace_installs_doorway_and_is_served_with_its_token(
    database_url: str, local_slack: LocalSlack
) -> None:
    async with oauth_bot(oauth_settings(database_url, local_slack), local_slack) as bot:
        page = await install(bot, TEAM)
        assert "Doorway is installed" in page.text and "/door help" in page.text
        [access] = local_slack.calls("oauth.v2.access")
        token = (access.response or {})["access_token"]
        _, _, name = await bot.command("/door", "Try a blue checkout button")
        assert "blue checkout" in str((await bot.response(name)).args)
        assert [c.token for c in local_slack.calls("auth.test")][-1] == token


async def test_tokens_are_encrypted_at_rest(database_url: str, local_slack: LocalSlack) -> None:
    async with oauth_bot(oauth_settings(database_url, local_slack), local_slack) as bot:
        await install(bot, TEAM, rotating=True)
        [access] = local_slack.calls("oauth.v2.access")
        token = (access.response or {})["access_token"]
        refresh = (access.response or {})["refresh_token"]
        async with bot.services.db.engine.connect() as conn:
            rows = [
                *(await conn.execute(select(slack_installations))).mappings().all(),
                *(await conn.execute(select(slack_bots))).mappings().all(),
            ]
        assert len(rows) == 2
        raw = repr([dict(row) for row in rows])
        assert token not in raw and refresh not in raw
        assert "xoxb" not in raw and "xoxe" not in raw
        assert all(row["bot_token"].startswith("gAAAAA") for row in rows)
        assert await bot.services.slack_for(TEAM) is not bot.services.slack
        assert (await bot.services.slack_for(TEAM)).token == token


@pytest.mark.parametrize(
    ("key", "said"),
    [(None, "DOORWAY_ENCRYPTION_KEY is not set"), ("abc", "is not a Fernet key")],
)
def test_oauth_without_a_good_encryption_key_stops_with_one_line(
    key: str | None, said: str
) -> None:
    values = {
        "slack_client_id": CLIENT_ID,
        "slack_client_secret": "s",
        "slack_state_secret": "t",
        "doorway_encryption_key": key,
        "_env_file": None,
    }
    with pytest.raises(SettingsError) as error:
        load_settings(**values)
    message = str(error.value)
    assert said in message and "\n" not in message
    assert "Fernet.generate_key()" in message


def test_oauth_needs_all_three_of_its_settings() -> None:
    with pytest.raises(SettingsError) as error:
        load_settings(slack_client_id=CLIENT_ID, _env_file=None)
    assert "SLACK_CLIENT_SECRET" in str(error.value)


async def test_a_forged_state_gets_a_friendly_400(
    database_url: str, local_slack: LocalSlack
) -> None:
    async with oauth_bot(oauth_settings(database_url, local_slack), local_slack) as bot:
        state = await start_install(bot)
        forged = state[:-4] + ("0000" if not state.endswith("0000") else "1111")
        page = await come_back(bot, code=local_slack.grant(TEAM), state=forged)
        assert page.status == 400 and "not one Doorway gave out" in page.text
        # Without the browser's cookie, a stolen state is refused too.
        page = await come_back(bot, code=local_slack.grant(TEAM), state=state, cookie=None)
        assert page.status == 400 and "another browser" in page.text
        assert local_slack.calls("oauth.v2.access") == []


async def test_a_replayed_state_gets_a_friendly_400(
    database_url: str, local_slack: LocalSlack
) -> None:
    async with oauth_bot(oauth_settings(database_url, local_slack), local_slack) as bot:
        state = await start_install(bot)
        assert (await come_back(bot, code=local_slack.grant(TEAM), state=state)).status == 200
        page = await come_back(bot, code=local_slack.grant(TEAM), state=state)
        assert page.status == 400 and "used already" in page.text
        assert len(local_slack.calls("oauth.v2.access")) == 1


async def test_a_code_slack_refuses_or_a_cancelled_install_gets_a_400(
    database_url: str, local_slack: LocalSlack
) -> None:
    async with oauth_bot(oauth_settings(database_url, local_slack), local_slack) as bot:
        page = await come_back(bot, code="not-a-code", state=await start_install(bot))
        assert page.status == 400 and "did not accept the code" in page.text
        page = await get(bot.url + "/slack/oauth_redirect", error="access_denied")
        assert page.status == 400 and "cancelled" in page.text


async def test_without_oauth_there_is_no_install_page(bot: BotDriver) -> None:
    for path in ("/slack/install", "/slack/oauth_redirect"):
        page = await get(bot.url + path)
        assert page.status == 404 and "SLACK_CLIENT_ID" in page.text


async def expiring_soon(bot: BotDriver) -> None:
    """The stored token expires in half an hour (by the wall clock, as slack_sdk reads it):
    within the two hours before expiry in which it is refreshed."""
    expires = (datetime.now(UTC) + timedelta(minutes=30)).replace(tzinfo=None)
    async with bot.services.db.engine.begin() as conn:
        for table in (slack_bots, slack_installations):
            await conn.execute(table.update().values(bot_token_expires_at=expires))


async def test_a_rotating_token_is_refreshed_before_it_expires(
    database_url: str, local_slack: LocalSlack
) -> None:
    async with oauth_bot(oauth_settings(database_url, local_slack), local_slack) as bot:
        await install(bot, TEAM, rotating=True)
        [first] = local_slack.calls("oauth.v2.access")
        old = (first.response or {})["access_token"]
        await expiring_soon(bot)
        _, _, name = await bot.command("/door", "Try a blue checkout button")
        await bot.response(name)
        refreshes = [c for c in local_slack.calls("oauth.v2.access") if c.args.get("grant_type")]
        assert [c.args["grant_type"] for c in refreshes] == ["refresh_token"]
        new = (refreshes[0].response or {})["access_token"]
        assert new != old
        assert (await bot.services.slack_for(TEAM)).token == new
        assert local_slack.calls("auth.test")[-1].token == new


async def test_a_scheduled_send_refreshes_an_expiring_token_too(
    database_url: str, local_slack: LocalSlack
) -> None:
    async with oauth_bot(oauth_settings(database_url, local_slack), local_slack) as bot:
        await install(bot, TEAM, rotating=True)
        bot.services.clock.set(local("America/New_York", 2026, 11, 23, 10))
        _, _, name = await bot.command("/door", "Try a blue checkout button")

        card = blocks_of(await bot.response(name))
        _, _, picked = await bot.click(card, "door_review_date", selected_date="2026-12-10")
        await bot.response(picked)
        await expiring_soon(bot)
        before = len(local_slack.calls("oauth.v2.access"))
        await tick(bot.services, local("America/New_York", 2026, 12, 10, 9, 30))
        [refresh] = local_slack.calls("oauth.v2.access")[before:]
        [reminder] = [
            c for c in local_slack.calls("chat.postMessage") if c.args["channel"] == ALICE
        ]
        assert reminder.token == (refresh.response or {})["access_token"]


async def test_an_org_wide_install_is_kept_with_its_enterprise(
    database_url: str, local_slack: LocalSlack
) -> None:
    async with oauth_bot(oauth_settings(database_url, local_slack), local_slack) as bot:
        await install(bot, None, enterprise_id="E0GRID", org_wide=True)
        async with bot.services.db.engine.connect() as conn:
            [row] = (await conn.execute(select(slack_installations))).mappings().all()
        assert row["enterprise_id"] == "E0GRID" and row["team_id"] is None
        assert row["is_enterprise_install"] is True
        found = await bot.services.installations.async_find_bot(  # type: ignore[union-attr]
            enterprise_id="E0GRID", team_id=None, is_enterprise_install=True
        )
        assert found is not None and found.bot_token and found.bot_token.startswith("xoxb-E0GRID")

        # A workspace of the org uses it; what is planned there is sent with the org's bot.
        name = "cmd-grid"
        body, headers = signing.slash_command(
            "/door",
            "Try a blue checkout button",
            team_id="T0GRIDA",
            user_id=ALICE,
            channel_id="C0GENERAL",
            response_url=local_slack.response_url(name),
            enterprise_id="E0GRID",
            is_enterprise_install=True,
        )
        assert (await bot.post(body, headers))[0] == 200
        assert "blue checkout" in str((await bot.response(name)).args)
        assert (await bot.services.slack_for("T0GRIDA")).token == found.bot_token


def test_the_install_asks_for_the_manifests_scopes() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text("utf-8"))
    assert sorted(SCOPES) == sorted(manifest["oauth_config"]["scopes"]["bot"])
    assert manifest["oauth_config"]["redirect_urls"] == [
        "https://doorway.example.com/slack/oauth_redirect"
    ]
    events = manifest["settings"]["event_subscriptions"]["bot_events"]
    assert "app_uninstalled" in events and "tokens_revoked" in events
