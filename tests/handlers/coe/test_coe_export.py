"""`doorway export --kind coe` gives every review with its answers and actions; a decision
a review names shows the review in the decision log."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import subprocess
import sys

from handlers.coe.ids import Action, Callback
from handlers.coe.questions import Question
from tests.driver import CAROL, TEAM, BotDriver
from tests.handlers.coe.steps import (
    MONDAY,
    answer,
    open_form,
    opened_view,
    opening_state,
    press,
    rich,
    submit,
    the_card,
)
from tests.handlers.coe.test_coe_flow import action_state


async def run_export(bot: BotDriver, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"DATABASE_URL": bot.services.settings.database_url, "PATH": "/usr/bin:/bin"}
    return await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "bot.cli", "export", "--team", TEAM, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def test_the_export_has_every_review_with_its_answers_and_actions(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    status, _, _ = await bot.command("/door", "Remove the config key from the checkout service")
    assert status == 200
    await bot.settled()
    view = await open_form(bot, "Checkout was down")
    assert (await submit(bot, view, opening_state(decisions="#1"))) == (200, "")
    await answer(bot, Question.ROOT_CAUSE, rich("=cmd|' /C calc'!A0 a <key> went missing"))
    ts, card = the_card(bot)
    before = len(bot.slack.calls("views.open"))
    await press(bot, card["blocks"], Action.ADD_ACTION, message_ts=ts)
    action_view = await opened_view(bot, before)
    assert action_view["callback_id"] == Callback.ACTION
    await submit(bot, action_view, action_state("Test the config", CAROL, "2026-03-09"))

    done = await run_export(bot, "--kind", "coe", "--format", "json")
    assert done.returncode == 0, done.stderr
    [review] = json.loads(done.stdout)
    assert review["title"] == "Checkout was down" and review["state"] == "drafting"
    assert review["decisions"] == [1] and review["severity"] == "sev2"
    root = review["answers"]["root_cause"]
    assert "&lt;key&gt;" in root["text"] and root["chains"][0][0].startswith("The deploy")
    [action] = review["actions"]
    assert (action["title"], action["owner_id"], action["due"]) == (
        "Test the config",
        CAROL,
        "2026-03-09",
    )

    done = await run_export(bot, "--kind", "coe", "--format", "csv")
    [row] = list(csv.DictReader(io.StringIO(done.stdout)))
    assert row["root_cause"].startswith("'="), "a formula stays text in a spreadsheet"
    assert "Test the config" in row["actions"]

    done = await run_export(bot, "--kind", "coe", "--format", "md")
    assert "## COE #1: Checkout was down" in done.stdout and "Five whys, chain 1" in done.stdout

    done = await run_export(bot, "--format", "json")
    [decision] = json.loads(done.stdout)
    assert decision["coe_reviews"] == [{"id": 1, "title": "Checkout was down", "state": "drafting"}]

    done = await run_export(bot, "--kind", "coe", "--format", "labels")
    assert done.returncode != 0 and "--kind" in done.stderr and "Traceback" not in done.stderr
    done = await run_export(bot, "--kind", "nonsense")
    assert done.returncode != 0 and "coe" in done.stderr
