"""/chair and the :chair: reaction, through signed requests."""

from __future__ import annotations

from console.localslack import LocalSlack
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
    event = {
        "type": "reaction_added",
        "user": "U0BOB",
        "reaction": "chair",
        "item": {"type": "message", "channel": CHANNEL, "ts": "1700000000.000200"},
        "event_ts": "1700000001.000100",
    }
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
    event = {
        "type": "reaction_added",
        "user": "U0BOB",
        "reaction": "thumbsup",
        "item": {"type": "message", "channel": CHANNEL, "ts": "1700000000.000300"},
    }
    status, _ = await bot.event(event)
    assert status == 200
    _, _, name = await bot.command("/door", "help")
    await bot.response(name)
    assert bot.slack.calls("chat.postMessage") == []


CHAIR = {
    "type": "reaction_added",
    "user": "U0BOB",
    "reaction": "chair",
    "item": {"type": "message", "channel": CHANNEL, "ts": "1700000000.000400"},
    "event_ts": "1700000001.000400",
}


async def test_a_chair_question_slack_refused_is_asked_at_the_next_reaction(
    bot: BotDriver, local_slack: LocalSlack
) -> None:
    local_slack.fail("chat.postMessage", status=500)  # a post is never re-sent by the client
    await bot.event(CHAIR, event_id="Ev10")
    assert [c.status for c in local_slack.calls("chat.postMessage")] == [500]

    await bot.event({**CHAIR, "user": "U0CAROL"}, event_id="Ev11")  # "asked once" was kept
    asked = local_slack.calls("chat.postMessage")[-1]
    assert asked.status == 200 and asked.args["thread_ts"] == "1700000000.000400"
    await bot.event({**CHAIR, "user": "U0ALICE"}, event_id="Ev12")
    assert len(local_slack.calls("chat.postMessage")) == 2  # and now it is used up


async def test_a_chair_question_under_way_is_not_asked_twice(
    bot: BotDriver, local_slack: LocalSlack
) -> None:
    local_slack.fail("chat.postMessage", delay=1)
    await bot.event(CHAIR, event_id="Ev20", settle=False)
    await local_slack.wait_for("chat.postMessage", answered=False)
    await bot.event({**CHAIR, "user": "U0CAROL"}, event_id="Ev21")
    assert len(local_slack.calls("chat.postMessage")) == 1


async def test_chair_help_is_help_not_a_topic(bot: BotDriver) -> None:
    _, _, name = await bot.command("/chair", "help")
    answer = await bot.response(name)
    assert answer.args.get("response_type") != "in_channel", "only the asker sees the help"
    shown = text_of(answer)
    assert "/chair &lt;topic&gt;" in shown and "React :chair:" in shown
    assert "would ask about _help_" not in shown
