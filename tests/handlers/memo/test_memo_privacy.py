"""A comment is shown to nobody before the reveal: not in the channel, not to the other
readers, not in App Home, the digest or any export. Only its writer sees it echoed back.
User text is escaped wherever it is shown, and another workspace can't touch a reading."""

from __future__ import annotations

import json
from datetime import timedelta

from handlers.memo.ids import Action
from tests.driver import ALICE, BOB, CAROL, OTHER_TEAM, BotDriver, text_of
from tests.handlers.memo.steps import (
    MONDAY,
    answer,
    calls_showing,
    comment,
    comment_state,
    press,
    revealed_text,
    run_export,
    shown,
    start,
    the_card,
    thread,
)
from tests.ticking import tick

SECRET = "The churn numbers in section 3 are wrong"


async def open_home(bot: BotDriver, user: str) -> None:
    before = len(bot.slack.calls("views.publish"))
    await bot.event(
        {
            "type": "app_home_opened",
            "user": user,
            "tab": "home",
            "channel": "D0HOME",
            "event_ts": "1700000000.1",
        }
    )
    await bot.slack.wait_for("views.publish", count=before + 1)


async def test_a_comment_is_seen_by_nobody_but_its_writer_until_the_reveal(
    bot: BotDriver,
) -> None:
    bot.services.clock.set(MONDAY)
    await start(bot, "<https://docs.example.com/churn> Churn memo")
    await press(bot, Action.READING, user=BOB)
    await press(bot, Action.READING, user=CAROL)
    assert await comment(bot, SECRET, user=BOB, section="Retention section") == (200, "")
    await press(bot, Action.FINISHED, user=CAROL)
    for person in (ALICE, BOB, CAROL):
        await open_home(bot, person)
    _, _, digest = await bot.command("/digest", "now", user=CAROL)
    await bot.response(digest)

    # Every call that showed anything to anyone, of every method: only Bob's confirmation.
    [echo] = calls_showing(bot, SECRET)
    assert echo.method == "chat.postEphemeral" and echo.args["user"] == BOB
    assert calls_showing(bot, "Retention section") == [echo]
    assert SECRET not in shown(the_card(bot)[1]) and thread(bot) == []
    for kind in ("memo", "decisions"):
        for fmt in ("json", "csv", "md"):
            out = await run_export(bot, "--kind", kind, "--format", fmt)
            assert SECRET not in out and "Retention section" not in out, (kind, fmt)
    [before] = json.loads(await run_export(bot, "--kind", "memo", "--format", "json"))
    assert before["comments"] is None and before["comment_count"] == 1
    assert (before["started"], before["finished"]) == (2, 1)

    await tick(bot.services, MONDAY + timedelta(minutes=20))
    assert SECRET in revealed_text(bot)
    [after] = json.loads(await run_export(bot, "--kind", "memo", "--format", "json"))
    assert [c["text"] for c in after["comments"]] == [SECRET]
    assert after["comments"][0]["section"] == "Retention section"
    for fmt in ("csv", "md"):
        assert "churn numbers" in await run_export(bot, "--kind", "memo", "--format", fmt)


async def test_the_title_and_the_comments_are_escaped(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    # As Slack sends them with escaping on: a broadcast, a mention, and typed & < >.
    await start(bot, "Plan <!channel> for <@U0BOB|bob> &amp; &lt;b&gt;x&lt;/b&gt; 15")
    card = shown(the_card(bot)[1])
    assert "*Plan @channel for @bob &amp; &lt;b&gt;x&lt;/b&gt;*" in card
    assert "<!channel>" not in card and "<@U0BOB" not in card and "<b>" not in card
    # A form's text arrives raw, as typed.
    typed = "Ask <!here> and <@U0ALICE> about <https://evil.example|the docs> & <b>"
    assert await comment(bot, typed, user=CAROL, section="<!channel> & <i>") == (200, "")
    echo = text_of(bot.slack.calls("chat.postEphemeral")[-1])
    assert "<!here>" not in echo and "<@U0ALICE>" not in echo and "<https://evil" not in echo
    await tick(bot.services, MONDAY + timedelta(minutes=15))
    said = revealed_text(bot)
    assert "Ask @here and @U0ALICE about the docs (https://evil.example) &amp; &lt;b&gt;" in said
    assert "*@channel &amp; &lt;i&gt;*" in said
    assert "<!here>" not in said and "<!channel>" not in said and "<@U0ALICE>" not in said
    assert "<https://evil" not in said


async def test_another_workspace_can_neither_press_nor_see_a_reading(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    await start(bot, "Churn memo")
    await comment(bot, SECRET, user=BOB)
    for action in (Action.READING, Action.FINISHED, Action.END_NOW, Action.COMMENT):
        said = await answer(bot, await press(bot, action, user="U0MALLORY", team=OTHER_TEAM))
        assert "That reading is gone" in said, action
    # A comment forged for this workspace's reading, from the other one, is not stored.
    status, body = await bot.submit(
        "memo_comment",
        comment_state("Forged from elsewhere"),
        team=OTHER_TEAM,
        user="U0MALLORY",
        private_metadata='{"session": 1}',
    )
    assert status == 200 and "That reading is gone" in body
    assert "1 reading · 0 finished" in shown(the_card(bot)[1]) and thread(bot) == []
    [mine] = json.loads(await run_export(bot, "--kind", "memo", "--format", "json"))
    assert mine["team_id"] == "T0DOORWAY" and mine["comment_count"] == 1
    assert json.loads(await run_export(bot, "--kind", "memo", team=OTHER_TEAM)) == []
    await tick(bot.services, MONDAY + timedelta(minutes=20))
    assert SECRET in revealed_text(bot)
    assert "Forged from elsewhere" not in revealed_text(bot)


async def test_the_markdown_export_groups_as_the_reveal_did_and_says_when_it_ended(
    bot: BotDriver,
) -> None:
    bot.services.clock.set(MONDAY)
    await start(bot, "Pricing memo with <@U0BOB|bob> 30")
    assert await comment(bot, "Too high", user=BOB, section="Pricing") == (200, "")
    assert await comment(bot, "Too low", user=CAROL, section="  pricing ") == (200, "")
    await press(bot, Action.END_NOW)
    await bot.settled()
    out = await run_export(bot, "--kind", "memo", "--format", "md")
    assert out.count("### Pricing") == 1 and "### pricing" not in out
    assert "Too high" in out and "Too low" in out
    assert "## Reading #1: Pricing memo with @bob" in out, "a mention reads as a name"
    assert "- 30 minutes planned; started 2026-03-02 " in out and ", ended 2026-03-02 " in out
