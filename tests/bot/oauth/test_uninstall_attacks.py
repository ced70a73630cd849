"""Uninstall events that are not what they claim: an unsigned or stale one, or one whose
event body names another workspace than the signed envelope, never uninstalls anyone
but the workspace Slack signed it for."""

from __future__ import annotations

from sqlmodel import col, select

from console.localslack import LocalSlack
from storage.models import WorkspaceUninstall
from tests.bot.oauth.installing import install, oauth_bot, oauth_settings
from tests.driver import TEAM, BotDriver

OTHER = "T0SECOND"


async def installed(bot: BotDriver, team: str) -> bool:
    assert bot.services.installations is not None
    async with bot.services.db.session() as session:
        marked = (
            await session.exec(
                select(WorkspaceUninstall).where(col(WorkspaceUninstall.team_id) == team)
            )
        ).first()
    kept = await bot.services.installations.bot_of_team(team) is not None
    assert kept == (marked is None), (team, kept, marked)
    return kept


async def test_only_the_signed_workspace_is_uninstalled(
    database_url: str, local_slack: LocalSlack
) -> None:
    local_slack.add_workspace(OTHER, team_domain="second")
    settings = oauth_settings(database_url, local_slack, doorway_retention_days=30)
    async with oauth_bot(settings, local_slack) as bot:
        await install(bot, TEAM)
        await install(bot, OTHER)

        for forged in ({"bad_signature": True}, {"stale": True}, {"secret": "guessed"}):
            for event in (
                {"type": "app_uninstalled"},
                {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["U0DOORWAY"]}},
            ):
                status, _ = await bot.event(event, team=TEAM, **forged)  # type: ignore[arg-type]
                assert status in (401, 403), (forged, event)
        assert await installed(bot, TEAM) and await installed(bot, OTHER)

        # Signed for OTHER, its body naming TEAM: OTHER goes, TEAM stays.
        claim = {"team_id": TEAM, "team": TEAM, "enterprise_id": None}
        status, _ = await bot.event({"type": "app_uninstalled", **claim}, team=OTHER)
        assert status == 200
        assert await installed(bot, TEAM) and not await installed(bot, OTHER)
        revoked = {"type": "tokens_revoked", "tokens": {"bot": ["U0DOORWAY"]}, **claim}
        await bot.event(revoked, team=OTHER)
        assert await installed(bot, TEAM)
        # TEAM still answers.
        status, _, name = await bot.command("/door", "Rename the team channel", team=TEAM)
        assert "Rename the team channel" in str((await bot.response(name)).args)


async def test_a_malformed_tokens_revoked_is_answered_and_uninstalls_nobody_else(
    database_url: str, local_slack: LocalSlack
) -> None:
    local_slack.add_workspace(OTHER, team_domain="second")
    settings = oauth_settings(database_url, local_slack, doorway_retention_days=30)
    async with oauth_bot(settings, local_slack) as bot:
        await install(bot, TEAM)
        await install(bot, OTHER)
        malformed: list[object] = ["garbage", None, [1, 2], {"oauth": 5}, {"oauth": [None, {}]}]
        for tokens in malformed:
            status, _ = await bot.event({"type": "tokens_revoked", "tokens": tokens}, team=OTHER)
            assert status == 200, tokens
        assert await installed(bot, TEAM) and await installed(bot, OTHER)
