"""`doorway forget`: a workspace's data deleted now, or one person's data and words taken out
of every record; and every table of a workspace is forgotten by some step."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select
from sqlmodel import SQLModel

import storage.models  # noqa: F401
from bot.app import forget_steps
from storage.models import Dissent, DoorDecision, UserProfile
from storage.queries.forget import REMOVED, table_of
from tests.driver import ALICE, BOB, CHANNEL, OTHER_TEAM, TEAM, BotDriver, blocks_of
from tests.handlers.commit.steps import MONDAY, dm, form_state, hold, open_form, submit, wait_posts
from tests.ticking import cli_env, doorway


def test_every_table_of_a_workspace_is_forgotten_by_some_step() -> None:
    covered = {table_of(t).name for step in forget_steps() for t in step.tables}
    with_team = {t.name for t in SQLModel.metadata.sorted_tables if "team_id" in t.c}
    assert with_team - covered == set(), "add these tables to a room's FORGET step"
    assert covered - with_team == set()


async def _door(bot: BotDriver, text: str, *, user: str, team: str = TEAM, share: bool) -> None:
    _, _, name = await bot.command("/door", text, user=user, team=team)
    card = blocks_of(await bot.response(name))
    if share:
        _, _, shared = await bot.click(card, "door_share", user=user, team=team)
        await bot.response(shared)


async def _rows(bot: BotDriver, team: str) -> int:
    count = 0
    async with bot.services.db.session() as session:
        for table in SQLModel.metadata.sorted_tables:
            if "team_id" in table.c:
                found = await session.exec(  # type: ignore[call-overload]
                    select(func.count()).select_from(table).where(table.c.team_id == team)
                )
                count += int(found.scalar_one())
    return count


async def _export(env: dict[str, str], tmp_path: Path, *args: str) -> str:
    code, out, err = await doorway("export", "--format", "json", *args, env=env, cwd=tmp_path)
    assert code == 0, err
    return out


async def test_forget_team_deletes_that_workspace_now(
    bot: BotDriver, database_url: str, tmp_path: Path
) -> None:
    await _door(bot, "Try a blue checkout button", user=ALICE, share=True)
    await _door(bot, "Keep the red one", user=ALICE, team=OTHER_TEAM, share=True)
    env = cli_env(database_url, bot.slack.api_url)
    assert "blue checkout" in await _export(env, tmp_path, "--team", TEAM)

    code, out, err = await doorway("forget", "--team", TEAM, env=env, cwd=tmp_path)
    assert code == 0, err
    assert f"workspace {TEAM} forgotten" in out
    assert json.loads(await _export(env, tmp_path, "--team", TEAM)) == []
    assert await _rows(bot, TEAM) == 0
    assert "Keep the red one" in await _export(env, tmp_path, "--team", OTHER_TEAM)


async def test_forget_refuses_what_is_not_a_slack_id(
    bot: BotDriver, database_url: str, tmp_path: Path
) -> None:
    env = cli_env(database_url, bot.slack.api_url)
    code, _, err = await doorway("forget", "--team", "*", env=env, cwd=tmp_path)
    assert code == 2 and "--team must be a Slack id" in err and "\n" == err[-1:]


async def test_forget_user_takes_their_words_out_of_every_record(
    bot: BotDriver, database_url: str, tmp_path: Path
) -> None:
    bot.services.clock.set(MONDAY)  # the form's check-back date is ahead of it
    await _door(bot, "Alice keeps this to herself", user=ALICE, share=False)
    await _door(bot, "Alice shares the blue button", user=ALICE, share=True)
    await _door(bot, "Bob shares the red button", user=BOB, share=True)
    # Bob records a disagree-and-commit; Alice can't commit yet, and says why.
    view = await open_form(bot, "We ship on Friday", user=BOB)
    await submit(bot, view, form_state(owner=BOB, dissenters=[ALICE]), user=BOB)
    [ask] = await wait_posts(bot, dm(ALICE))
    await hold(bot, ask, user=ALICE, reason="Alice worries about the costs")
    async with bot.services.db.session() as session:
        assert await session.get(UserProfile, (TEAM, ALICE)) is not None  # users.info's
    env = cli_env(database_url, bot.slack.api_url)

    code, out, err = await doorway("forget", "--team", TEAM, "--user", ALICE, env=env, cwd=tmp_path)
    assert code == 0, err
    assert f"{ALICE} forgotten" in out

    everything = await _export(env, tmp_path, "--team", TEAM, "--include-private-reasons")
    assert ALICE not in everything
    assert "Alice" not in everything  # neither her decisions' text nor her reason
    entries = json.loads(everything)
    texts = sorted(entry["text"] for entry in entries)
    assert texts == sorted([REMOVED, "Bob shares the red button", "We ship on Friday"])
    async with bot.services.db.session() as session:
        doors = (await session.exec(select(DoorDecision))).scalars().all()  # type: ignore[call-overload]
        [dissent] = (await session.exec(select(Dissent))).scalars().all()  # type: ignore[call-overload]
        profiles = (await session.exec(select(UserProfile))).scalars().all()  # type: ignore[call-overload]
    assert len(doors) == 2  # the one only she saw is gone; the shared ones stay
    [hers] = [d for d in doors if d.text == REMOVED]
    assert hers.author_id.startswith("UFORGOTTEN") and hers.channel_id == CHANNEL
    assert dissent.reason == REMOVED and dissent.user_id == hers.author_id
    assert [p.user_id for p in profiles if p.user_id == ALICE] == []
