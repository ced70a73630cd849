"""Workflow steps fed what a workflow's builder (or a doctored event) can put in them:
nothing reaches Slack or the database before the inputs are checked."""

from __future__ import annotations

from tests.driver import ALICE, CHANNEL, BotDriver
from tests.handlers.commit.steps import MONDAY, form_state, open_form, submit
from tests.handlers.commit.test_commit_workflow_step import commitments


async def test_a_huge_list_of_dissenters_is_refused_before_anyone_is_looked_up(
    bot: BotDriver,
) -> None:
    bot.services.clock.set(MONDAY)
    crowd = [f"U{n:08d}" for n in range(5000)]

    status, execution = await bot.function_executed(
        "record_commit",
        {"decision": "Ship Friday", "owner": ALICE, "dissenters": crowd, "channel_id": CHANNEL},
    )

    assert status == 200
    assert "Up to 10 people" in bot.slack.step_results[execution]["error"]
    assert len(bot.slack.calls("users.info")) <= 12  # as many as a decision takes, not 5,000
    assert await commitments(bot) == []


async def test_inputs_of_the_wrong_type_end_the_run_in_one_line(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    base = {"decision": "Ship Friday", "owner": ALICE, "dissenters": ["UBOB"]}
    for change in (
        {"decision": {"text": "x"}},
        {"owner": ["UALICE"]},
        {"dissenters": {"a": 1}},
        {"dissenters": [1, 2]},
        {"channel_id": 12},
        {"channel_id": "C1 ; drop table"},
        {"check_back": True},
        {"check_back": 10**30},
    ):
        status, execution = await bot.function_executed("record_commit", {**base, **change})
        assert status == 200, change
        error = bot.slack.step_results[execution]["error"]
        assert error and "\n" not in error and "Traceback" not in error, (change, error)
    assert await commitments(bot) == []


async def test_a_forged_form_naming_thousands_of_dissenters_is_refused_in_the_form(
    bot: BotDriver,
) -> None:
    bot.services.clock.set(MONDAY)
    view = await open_form(bot, "We ship on Friday")
    before = len(bot.slack.calls("users.info"))

    status, answer = await submit(
        bot, view, form_state(dissenters=[f"U{n:08d}" for n in range(5000)])
    )

    assert status == 200
    assert "Up to 10 people" in answer
    assert len(bot.slack.calls("users.info")) - before <= 12
    assert await commitments(bot) == []
