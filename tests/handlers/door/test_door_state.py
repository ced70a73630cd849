"""Share records what really happened in Slack: shared once the card is posted, never before."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from console.localslack import LocalSlack
from storage.models import DoorDecision
from tests.driver import ALICE, CHANNEL, BotDriver, blocks_of, text_of


async def only_decision(bot: BotDriver) -> DoorDecision:
    async with bot.services.db.session() as session:
        [decision] = (await session.exec(select(DoorDecision))).all()
    return decision


async def sized(bot: BotDriver, text: str = "Try a blue checkout button for a week") -> list:
    _, _, name = await bot.command("/door", text)
    return blocks_of(await bot.response(name))


async def digest_now(bot: BotDriver) -> str:
    _, _, name = await bot.command("/digest", "now")
    return text_of(await bot.response(name))


async def test_a_share_that_times_out_is_undone_and_can_be_pressed_again(
    bot: BotDriver, local_slack: LocalSlack
) -> None:
    card = await sized(bot)
    bot.services.slack.timeout = 1  # the client gives up long before Slack answers
    local_slack.fail("chat.postMessage", delay=3, times=3)  # the first try and its retries
    _, _, click = await bot.click(card, "door_share")
    assert "didn't answer" in text_of(await bot.response(click))
    decision = await only_decision(bot)
    assert (decision.status, decision.shared_at, decision.message_ts) == ("open", None, None)
    assert "blue checkout" not in await digest_now(bot)  # nobody saw it: the digest says nothing

    bot.services.slack.timeout = 15
    _, _, again = await bot.click(card, "door_share")
    assert "Shared in the channel" in text_of(await bot.response(again))
    decision = await only_decision(bot)
    assert decision.status == "shared" and decision.shared_at and decision.message_ts
    assert "blue checkout" in await digest_now(bot)


async def test_a_refused_share_is_undone_and_can_be_pressed_again(
    bot: BotDriver, local_slack: LocalSlack
) -> None:
    card = await sized(bot)
    local_slack.fail("chat.postMessage", error="not_in_channel")
    _, _, click = await bot.click(card, "door_share")
    assert "/invite @Doorway" in text_of(await bot.response(click))
    assert (await only_decision(bot)).shared_at is None
    _, _, again = await bot.click(card, "door_share")
    assert "Shared in the channel" in text_of(await bot.response(again))


async def test_a_double_press_while_the_post_is_under_way_posts_once(
    bot: BotDriver, local_slack: LocalSlack
) -> None:
    card = await sized(bot)
    local_slack.fail("chat.postMessage", delay=1)
    await bot.click(card, "door_share", settle=False)
    await local_slack.wait_for("chat.postMessage", answered=False)
    assert (await only_decision(bot)).shared_at is None  # not shared until Slack has it
    await bot.click(card, "door_share")
    assert len(local_slack.calls("chat.postMessage")) == 1
    decision = await only_decision(bot)
    assert decision.status == "shared" and decision.message_ts


async def test_a_date_picked_while_share_finishes_is_not_overwritten(
    bot: BotDriver, local_slack: LocalSlack
) -> None:
    card = await sized(bot)
    local_slack.fail("chat.postMessage", delay=1)
    await bot.click(card, "door_share", settle=False)
    await local_slack.wait_for("chat.postMessage", answered=False)  # Share read the row
    await bot.click(card, "door_review_date", selected_date="2031-03-14")  # waits for both
    assert (await only_decision(bot)).review_at == date(2031, 3, 14)
    shown = text_of(local_slack.calls("chat.update")[-1])
    assert "2031" in shown


async def test_share_proposes_a_review_date_when_none_was_picked(bot: BotDriver) -> None:
    card = await sized(bot)
    await bot.click(card, "door_share")
    assert (await only_decision(bot)).review_at is not None


async def test_a_card_the_response_url_fails_once_is_sent_again_there(
    bot: BotDriver, local_slack: LocalSlack
) -> None:
    local_slack.fail("response_url", status=503)
    _, _, name = await bot.command("/door", "Try a blue checkout button for a week")
    assert [c.status for c in bot.responses(name)] == [503, 200]
    assert "Two-way door" in text_of(bot.responses(name)[-1])
    assert local_slack.calls("chat.postEphemeral") == []


async def test_a_card_the_response_url_keeps_failing_is_posted_ephemerally(
    bot: BotDriver, local_slack: LocalSlack
) -> None:
    local_slack.fail("response_url", status=500, times=3)
    _, _, name = await bot.command("/door", "Try a blue checkout button for a week")
    assert [c.status for c in bot.responses(name)] == [500, 500, 500]
    [card] = local_slack.calls("chat.postEphemeral")
    assert (card.args["channel"], card.args["user"]) == (CHANNEL, ALICE)
    assert "Two-way door" in text_of(card) and card.status == 200


async def test_a_card_whose_response_url_keeps_dropping_is_posted_ephemerally(
    bot: BotDriver, local_slack: LocalSlack
) -> None:
    local_slack.fail("response_url", status=0, times=100)  # every connection drops
    _, _, name = await bot.command("/door", "Try a blue checkout button for a week")
    assert {c.status for c in bot.responses(name)} == {0}
    assert len(bot.responses(name)) > 1  # tried again before giving up on it
    [card] = local_slack.calls("chat.postEphemeral")
    assert "Two-way door" in text_of(card) and card.status == 200
