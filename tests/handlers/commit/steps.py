"""Steps of the /commit flow as Slack performs them, for the commit room's tests."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlmodel import col, select

from bot.schedule.jobs import TickReport, run_due
from console.localslack import Call
from handlers.commit.ids import Callback, Field
from storage.models import CheckIn, Commitment, Decision, Dissent
from storage.queries.jobs import get_job
from tests import signing
from tests.driver import ALICE, CHANNEL, TEAM, BotDriver, blocks_of

# A Monday; the check-back two weeks later is Monday 16 March (after the US moved its clocks).
MONDAY = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
CHECK_BACK = "2026-03-16"


def dm(user: str) -> str:
    """The DM channel LocalSlack opens with `user`."""
    return "D" + user


async def open_form(
    bot: BotDriver, text: str, *, user: str = ALICE, channel: str = CHANNEL
) -> dict[str, Any]:
    """Type `/commit <text>`; the modal Doorway opened."""
    before = len(bot.slack.calls("views.open"))
    status, _, _ = await bot.command("/commit", text, user=user, channel=channel)
    assert status == 200
    opened = await bot.slack.wait_for("views.open", count=before + 1)
    view: dict[str, Any] = opened[-1].args["view"]
    return view


def form_state(
    *,
    decision: str = "We ship on Friday",
    owner: str | None = ALICE,
    dissenters: list[str],
    summary: str | None = None,
    check_back: str | None = CHECK_BACK,
) -> dict[str, Any]:
    """`view.state.values` of the /commit form, exactly as Slack sends it."""
    return {
        Field.DECISION: {Field.DECISION: {"type": "plain_text_input", "value": decision}},
        Field.OWNER: {Field.OWNER: {"type": "users_select", "selected_user": owner}},
        Field.DISSENTERS: {
            Field.DISSENTERS: {"type": "multi_users_select", "selected_users": dissenters}
        },
        Field.SUMMARY: {Field.SUMMARY: {"type": "plain_text_input", "value": summary}},
        Field.CHECK_BACK: {Field.CHECK_BACK: {"type": "datepicker", "selected_date": check_back}},
    }


async def submit(
    bot: BotDriver,
    view: dict[str, Any],
    values: dict[str, Any],
    *,
    user: str = ALICE,
    view_id: str | None = None,
) -> tuple[int, str]:
    """Submit a modal Doorway opened, with its blocks, metadata and the given state."""
    shown: dict[str, Any] = {
        k: view[k] for k in ("type", "title", "blocks", "submit", "close") if k in view
    }
    body, headers = signing.view_submission(
        view["callback_id"],
        values,
        team_id=TEAM,
        user_id=user,
        private_metadata=view.get("private_metadata", ""),
        view_id=view_id or f"V{uuid.uuid4().hex[:10].upper()}",
        view=shown,
    )
    return await bot.post(body, headers)


async def started(bot: BotDriver, decision_id: int = 1) -> None:
    """Wait until the work after the form's ack is done (the summary is scheduled last)."""

    async def scheduled() -> bool:
        async with bot.services.db.session() as session:
            return (
                await get_job(session=session, team_id=TEAM, key=f"commit:{decision_id}:summary")
                is not None
            )

    await wait_until(scheduled)


def errors_of(answer: str) -> dict[str, str]:
    response = json.loads(answer)
    assert response["response_action"] == "errors"
    errors: dict[str, str] = response["errors"]
    return errors


def posts_to(bot: BotDriver, channel: str) -> list[Call]:
    return [c for c in bot.slack.calls("chat.postMessage") if c.args["channel"] == channel]


async def wait_posts(
    bot: BotDriver, channel: str, count: int = 1, timeout: float = 10
) -> list[Call]:
    """Wait until `count` messages were posted to `channel`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while len(found := [c for c in posts_to(bot, channel) if c.answered]) < count:
        if loop.time() > deadline:
            raise AssertionError(f"{len(found)} posts to {channel}, wanted {count}")
        await asyncio.sleep(0.02)
    return found


async def wait_until(check: Any, timeout: float = 10) -> None:
    """Wait until the async `check()` is true (work after an ack runs in the background)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await check():
        if loop.time() > deadline:
            raise AssertionError("timed out waiting")
        await asyncio.sleep(0.02)


async def press(bot: BotDriver, call: Call, action_id: str, *, user: str) -> str:
    """Press a button in a message the bot posted; returns the response_url name."""
    blocks = blocks_of(call)
    channel = call.response["channel"] if call.response else call.args["channel"]
    ts = call.ts if call.response else None
    _, _, name = await bot.click(blocks, action_id, user=user, channel=channel, message_ts=ts)
    return name


async def pledge(
    bot: BotDriver,
    ask: Call,
    *,
    user: str,
    concern: str | None = None,
    expectation: str | None = None,
) -> tuple[int, str]:
    """A dissenter presses "I disagree and commit" and submits the modal."""
    view = await opened_by(bot, ask, "commit_commit", user)
    assert view["callback_id"] == Callback.PLEDGE
    return await submit(
        bot,
        view,
        {
            Field.CONCERN: {Field.CONCERN: {"type": "plain_text_input", "value": concern}},
            Field.EXPECTATION: {
                Field.EXPECTATION: {"type": "plain_text_input", "value": expectation}
            },
        },
        user=user,
    )


async def hold(bot: BotDriver, ask: Call, *, user: str, reason: str | None) -> tuple[int, str]:
    """A dissenter presses "I can't commit yet" and gives a reason."""
    view = await opened_by(bot, ask, "commit_not_yet", user)
    assert view["callback_id"] == Callback.HOLD
    return await submit(
        bot,
        view,
        {
            Field.REASON: {Field.REASON: {"type": "plain_text_input", "value": reason}},
        },
        user=user,
    )


async def opened_by(bot: BotDriver, message: Call, action_id: str, user: str) -> dict[str, Any]:
    before = len(bot.slack.calls("views.open"))
    await press(bot, message, action_id, user=user)
    opened = await bot.slack.wait_for("views.open", count=before + 1)
    view: dict[str, Any] = opened[-1].args["view"]
    return view


async def tick(bot: BotDriver, at: datetime) -> TickReport:
    """What `tick` does in the console: the clock moves to `at`, and what is due runs."""
    bot.services.clock.set(at)
    return await run_due(bot.services, at=at)


async def rows(bot: BotDriver) -> tuple[list[Commitment], list[Dissent], list[CheckIn]]:
    async with bot.services.db.session() as session:
        decisions = list(
            (await session.exec(select(Commitment).order_by(col(Commitment.id)))).all()
        )
        dissent = list((await session.exec(select(Dissent).order_by(col(Dissent.id)))).all())
        checkins = list((await session.exec(select(CheckIn).order_by(col(CheckIn.id)))).all())
    return decisions, dissent, checkins


async def kinds(bot: BotDriver) -> list[str]:
    """The kind of every decision number handed out, in order."""
    async with bot.services.db.session() as session:
        return [d.kind for d in (await session.exec(select(Decision).order_by(col(Decision.id))))]


async def export(bot: BotDriver) -> list[dict[str, Any]]:
    """`doorway export --team T --format json`, run as operators run it."""
    env = {"DATABASE_URL": bot.services.settings.database_url, "PATH": "/usr/bin:/bin"}
    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "bot.cli", "export", "--team", TEAM, "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    entries: list[dict[str, Any]] = json.loads(done.stdout)
    return entries
