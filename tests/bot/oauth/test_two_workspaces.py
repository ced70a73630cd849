"""Doorway installed by two workspaces through OAuth: each is served with its own token,
one uninstalls, nothing more reaches it, and its rows go after the retention while the
other's stay."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update
from sqlmodel import SQLModel, col

from bot.schedule import retention
from console.localslack import LocalSlack
from storage.models import Job, JobState, WorkspaceUninstall
from tests.bot.oauth.installing import install, oauth_bot, oauth_settings
from tests.driver import ALICE, TEAM, BotDriver, blocks_of
from tests.ticking import jobs, local, tick

OTHER = "T0SECOND"
DAVE = "U0DAVE"
NEW_YORK = "America/New_York"


def sent_to(slack: LocalSlack, team: str) -> list:
    """Messages that reached workspace `team` (by the token they were sent with)."""
    return [
        c
        for c in slack.calls("chat.postMessage")
        if c.team_id == team and (c.response or {}).get("ok")
    ]


async def _decide(bot: BotDriver, team: str, user: str, text: str, review: str) -> None:
    _, _, name = await bot.command("/door", text, team=team, user=user)
    card = blocks_of(await bot.response(name))
    _, _, picked = await bot.click(
        card, "door_review_date", selected_date=review, team=team, user=user
    )
    await bot.response(picked)


async def rows_of(bot: BotDriver, team: str) -> int:
    count = 0
    async with bot.services.db.session() as session:
        for table in SQLModel.metadata.sorted_tables:
            if "team_id" in table.c:
                found = await session.exec(  # type: ignore[call-overload]
                    select(func.count()).select_from(table).where(table.c.team_id == team)
                )
                count += int(found.scalar_one())
    return count


async def test_two_workspaces_install_work_and_one_uninstalls(
    database_url: str, local_slack: LocalSlack
) -> None:
    settings = oauth_settings(database_url, local_slack, doorway_retention_days=30)
    second = local_slack.add_workspace(OTHER, team_domain="second")
    second.add_user(DAVE, name="dave", tz=NEW_YORK)
    second.add_channel("C0GENERAL", name="general")
    async with oauth_bot(settings, local_slack) as bot:
        await install(bot, TEAM)
        await install(bot, OTHER)
        tokens = {
            c.team_id: (c.response or {})["access_token"]
            for c in local_slack.calls("oauth.v2.access")
        }
        assert set(tokens) == {TEAM, OTHER} and tokens[TEAM] != tokens[OTHER]

        bot.services.clock.set(local(NEW_YORK, 2026, 11, 23, 10))
        await _decide(bot, TEAM, ALICE, "Try a blue checkout button", "2026-12-10")
        await _decide(bot, OTHER, DAVE, "Move the standup to Tuesdays", "2026-12-10")
        assert [j.state for j in await jobs(bot.services, TEAM, "review:")] == [JobState.PENDING]
        assert [j.state for j in await jobs(bot.services, OTHER, "review:")] == [JobState.PENDING]

        # The first workspace uninstalls Doorway: Slack revokes its tokens and says so.
        local_slack.installs.revoke_team(TEAM)
        status, _ = await bot.event({"type": "app_uninstalled"}, team=TEAM)
        assert status == 200
        uninstalled = bot.services.clock.now()
        assert [j.state for j in await jobs(bot.services, TEAM, "review:")] == [JobState.CANCELLED]

        # A job planned for it anyway (a request racing the uninstall) is not run either.
        async with bot.services.db.session() as session:
            await session.exec(  # type: ignore[call-overload]
                update(Job).where(col(Job.team_id) == TEAM).values(state=JobState.PENDING)
            )

        # The review day: only the second workspace hears of its decision.
        await tick(bot.services, local(NEW_YORK, 2026, 12, 10, 9, 30))
        assert [j.state for j in await jobs(bot.services, TEAM, "review:")] == [JobState.PENDING]
        [reminder] = sent_to(local_slack, OTHER)
        assert reminder.token == tokens[OTHER] and reminder.args["channel"] == DAVE
        assert "Move the standup" in str(reminder.args)
        assert sent_to(local_slack, TEAM) == []
        # The second workspace still works as before.
        _, _, name = await bot.command("/door", "Rename the team channel", team=OTHER, user=DAVE)
        assert "Rename the team channel" in str((await bot.response(name)).args)

        # Within the retention the first workspace's data is kept …
        await retention.plan(bot.services, after=uninstalled)
        await tick(bot.services, uninstalled + timedelta(days=29))
        assert await rows_of(bot, TEAM) > 0
        # … and after it, gone; the second's remain.
        await tick(bot.services, uninstalled + timedelta(days=31))
        assert await rows_of(bot, TEAM) == 0
        assert await rows_of(bot, OTHER) > 0
        assert sent_to(local_slack, TEAM) == []


async def test_reinstalling_within_the_retention_keeps_the_data(
    database_url: str, local_slack: LocalSlack
) -> None:
    settings = oauth_settings(database_url, local_slack, doorway_retention_days=30)
    async with oauth_bot(settings, local_slack) as bot:
        await install(bot, TEAM)
        bot.services.clock.set(local(NEW_YORK, 2026, 11, 23, 10))
        await _decide(bot, TEAM, ALICE, "Try a blue checkout button", "2026-12-10")
        await bot.event({"type": "app_uninstalled"}, team=TEAM)
        async with bot.services.db.session() as session:
            assert (await session.get(WorkspaceUninstall, TEAM)) is not None

        await install(bot, TEAM)  # back before the 30 days are up
        async with bot.services.db.session() as session:
            assert (await session.get(WorkspaceUninstall, TEAM)) is None
        await retention.plan(bot.services, after=bot.services.clock.now())
        await tick(bot.services, bot.services.clock.now() + timedelta(days=40))
        async with bot.services.db.session() as session:
            from storage.models import DoorDecision

            [kept] = (await session.exec(select(DoorDecision))).all()  # type: ignore[call-overload]
        assert "blue checkout" in kept[0].text


async def test_retention_zero_forgets_at_once(database_url: str, local_slack: LocalSlack) -> None:
    settings = oauth_settings(database_url, local_slack, doorway_retention_days=0)
    async with oauth_bot(settings, local_slack) as bot:
        await install(bot, TEAM)
        await install(bot, OTHER)
        bot.services.clock.set(local(NEW_YORK, 2026, 11, 23, 10))
        await _decide(bot, TEAM, ALICE, "Try a blue checkout button", "2026-12-10")
        await _decide(bot, OTHER, ALICE, "Keep the red one", "2026-12-10")
        await bot.event({"type": "app_uninstalled"}, team=TEAM)
        assert await rows_of(bot, TEAM) == 0
        assert await rows_of(bot, OTHER) > 0


async def test_a_revoked_bot_token_stops_the_workspace_a_revoked_user_token_does_not(
    database_url: str, local_slack: LocalSlack
) -> None:
    settings = oauth_settings(database_url, local_slack, doorway_retention_days=30)
    async with oauth_bot(settings, local_slack) as bot:
        await install(bot, TEAM)
        bot.services.clock.set(local(NEW_YORK, 2026, 11, 23, 10))
        await _decide(bot, TEAM, ALICE, "Try a blue checkout button", "2026-12-10")
        revoked = {"type": "tokens_revoked", "tokens": {"oauth": [ALICE], "bot": []}}
        await bot.event(revoked, team=TEAM)
        assert [j.state for j in await jobs(bot.services, TEAM, "review:")] == [JobState.PENDING]
        revoked["tokens"] = {"oauth": [], "bot": ["U0DOORWAY"]}
        await bot.event(revoked, team=TEAM)
        assert [j.state for j in await jobs(bot.services, TEAM, "review:")] == [JobState.CANCELLED]
        await tick(bot.services, local(NEW_YORK, 2026, 12, 10, 9, 30))
        assert sent_to(local_slack, TEAM) == []
        assert bot.services.installations is not None
        assert await bot.services.installations.bot_of_team(TEAM) is None
