"""*Size a decision*, the Workflow Builder step: a signed `function_executed` event in, the
decision recorded and its card posted, the run ended with the door as outputs."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from storage.models import DecisionStatus, DoorDecision
from tests.driver import ALICE, CHANNEL, STEP_TOKEN, BotDriver, text_of


async def decisions(bot: BotDriver) -> list[DoorDecision]:
    async with bot.services.db.session() as session:
        return list((await session.exec(select(DoorDecision).order_by(col(DoorDecision.id)))).all())


async def test_the_step_records_posts_and_completes_with_the_door(bot: BotDriver) -> None:
    status, execution = await bot.function_executed(
        "size_decision",
        {
            "decision_text": "Sign a 3-year exclusive contract with Acme",
            "channel_id": CHANNEL,
            "user_id": ALICE,
        },
    )

    assert status == 200
    [decision] = await decisions(bot)
    assert decision.door == "one_way" and decision.author_id == ALICE
    assert decision.status == DecisionStatus.SHARED and decision.channel_id == CHANNEL
    [posted] = bot.slack.calls("chat.postMessage")
    assert posted.args["channel"] == CHANNEL and "One-way door" in text_of(posted)
    assert posted.token == STEP_TOKEN  # calls made for the run carry the run's own token
    [done] = bot.slack.calls("functions.completeSuccess")
    assert done.token == STEP_TOKEN  # the run's own token, as Slack requires
    outputs = bot.slack.step_results[execution]["outputs"]
    assert outputs["door"] == "one_way"
    assert 0 < float(outputs["confidence"]) <= 1
    assert outputs["decision_link"] == decision.permalink
    assert outputs["decision_link"].startswith("https://example.slack.com/archives/C0GENERAL/")
    assert decision.review_at is not None  # reviewed like a shared /door decision


async def test_a_retried_event_records_once_and_without_a_channel_the_card_goes_by_dm(
    bot: BotDriver,
) -> None:
    inputs = {"decision_text": "Try a blue checkout button for a week", "user_id": ALICE}
    _, execution = await bot.function_executed("size_decision", inputs)
    await bot.function_executed(
        "size_decision", inputs, execution_id=execution, retry_num=1, retry_reason="timeout"
    )

    [decision] = await decisions(bot)
    assert decision.channel_id == f"D{ALICE}" and decision.door == "two_way"
    assert [c.args["channel"] for c in bot.slack.calls("chat.postMessage")] == [f"D{ALICE}"]
    assert bot.slack.step_results[execution]["outputs"]["door"] == "two_way"


async def test_bad_input_ends_the_run_with_a_readable_error(bot: BotDriver) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        ({"channel_id": CHANNEL}, "`decision_text` input is empty"),
        ({"decision_text": "   ", "channel_id": CHANNEL}, "`decision_text` input is empty"),
        ({"decision_text": "Ship it", "channel_id": "not a channel"}, "is not a channel"),
        ({"decision_text": "Ship it"}, "nowhere to post"),
        ({"decision_text": ["Ship", "it"], "channel_id": CHANNEL}, "is not text"),
        ({"decision_text": "x" * 20_000, "channel_id": CHANNEL}, "Shorten it"),
    ]
    for inputs, says in cases:
        status, execution = await bot.function_executed("size_decision", inputs)
        assert status == 200
        error = bot.slack.step_results[execution]["error"]
        assert says in error, (inputs, error)
        assert "\n" not in error and not error.startswith(":")
    assert await decisions(bot) == []
    assert bot.slack.calls("functions.completeSuccess") == []


async def test_a_card_slack_refuses_fails_the_run_saying_what_to_do(bot: BotDriver) -> None:
    bot.slack.fail("chat.postMessage", error="not_in_channel")

    _, execution = await bot.function_executed(
        "size_decision", {"decision_text": "Rename the channel", "channel_id": "C0ELSEWHERE"}
    )

    error = bot.slack.step_results[execution]["error"]
    assert "not_in_channel" in error and "/invite @Doorway" in error


async def test_a_run_whose_inputs_are_not_an_object_is_refused(bot: BotDriver) -> None:
    status, execution = await bot.function_executed(
        "size_decision",
        ["Ship it"],  # type: ignore[arg-type]
    )
    assert status == 400
    assert await decisions(bot) == [] and execution not in bot.slack.step_results
