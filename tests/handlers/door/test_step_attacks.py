"""*Size a decision*, the Workflow step, fed inputs of the wrong type or size: the run
ends with one readable line, nothing recorded or posted."""

from __future__ import annotations

from typing import Any

from tests.driver import CHANNEL, BotDriver
from tests.handlers.door.test_door_workflow_step import decisions


async def test_inputs_of_the_wrong_type_or_size_end_the_run_in_one_line(bot: BotDriver) -> None:
    base: dict[str, Any] = {"decision_text": "Ship Friday", "channel_id": CHANNEL}
    for change in (
        {"decision_text": {"text": "x"}},
        {"decision_text": ["Ship", "Friday"]},
        {"decision_text": "x" * 1_000_000},
        {"channel_id": [CHANNEL]},
        {"channel_id": "#general"},
        {"channel_id": None, "user_id": 42},
        {"channel_id": None, "user_id": "<!channel>"},
    ):
        status, execution = await bot.function_executed("size_decision", {**base, **change})
        assert status == 200, change
        error = bot.slack.step_results[execution]["error"]
        assert error and "\n" not in error and len(error) <= 500, (change, error)
    assert bot.slack.calls("chat.postMessage") == [] and await decisions(bot) == []
