"""/chair and the :chair: reaction, through signed requests."""

from __future__ import annotations

from tests.driver import CHANNEL, BotDriver, text_of


async def test_chair_posts_customer_questions_in_the_channel(bot: BotDriver) -> None:
    _, _, name = await bot.command("/chair", "raising prices for the pro plan")
    answer = await bot.response(name)
    assert answer.args["response_type"] == "in_channel"
    shown = text_of(answer)
    assert "empty chair" in shown.lower()
    assert "raising prices for the pro plan" in shown
    assert shown.count("•") == 3


async def test_chair_escapes_the_topic(bot: BotDriver) -> None:
    _, _, name = await bot.command("/chair", "<!here> pricing")
    shown = text_of(await bot.response(name))
    assert "<!here>" not in shown and "@here pricing" in shown


async def test_a_chair_reaction_asks_in_the_thread_once(bot: BotDriver) -> None:
    event = {"type": "reaction_added", "user": "U0BOB", "reaction": "chair",
             "item": {"type": "message", "channel": CHANNEL, "ts": "1700000000.000200"},
             "event_ts": "1700000001.000100"}
    status, _ = await bot.event(event, event_id="Ev1")
    assert status == 200
    [asked] = await bot.slack.wait_for("chat.postMessage")
    assert asked.args["thread_ts"] == "1700000000.000200"
    assert "empty chair asks" in text_of(asked)

    await bot.event(event, event_id="Ev1", retry_num=1)  # Slack's retry
    await bot.event({**event, "user": "U0CAROL"}, event_id="Ev2")  # a second reaction
    await bot.command("/door", "help")  # something else, to know the events were handled
    assert len(bot.slack.calls("chat.postMessage")) == 1


async def test_other_reactions_are_ignored(bot: BotDriver) -> None:
    event = {"type": "reaction_added", "user": "U0BOB", "reaction": "thumbsup",
             "item": {"type": "message", "channel": CHANNEL, "ts": "1700000000.000300"}}
    status, _ = await bot.event(event)
    assert status == 200
    _, _, name = await bot.command("/door", "help")
    await bot.response(name)
    assert bot.slack.calls("chat.postMessage") == []
