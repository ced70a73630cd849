"""`doorway export --format labels`: each door decision with the door it turned out to be."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.driver import ALICE, BOB, OTHER_TEAM, PRIVATE, TEAM, BotDriver, blocks_of
from tests.handlers.commit.steps import (
    MONDAY,
    dm,
    form_state,
    hold,
    open_form,
    started,
    submit,
    wait_posts,
)
from tests.ticking import cli_env, doorway, local, tick

NEW_YORK = "America/New_York"
REASON = "Legal hasn't signed off on the data flow"
# As Slack sends it (it escapes &, < and >), and as the person typed it.
SENT = 'Sign a 3-year exclusive contract with "Acme &amp; Co" &lt;legal&gt; — café\nsecond line'
TYPED = 'Sign a 3-year exclusive contract with "Acme & Co" <legal> — café\nsecond line'


async def sized(bot: BotDriver, text: str, **where: Any) -> list[dict[str, Any]]:
    _, _, name = await bot.command("/door", text, **where)
    return blocks_of(await bot.response(name))


async def overrule(bot: BotDriver, card: list[dict[str, Any]]) -> list[dict[str, Any]]:
    _, _, name = await bot.click(card, "door_overrule")
    return blocks_of(await bot.response(name))


async def labels(bot: BotDriver, database_url: str, tmp_path: Path, *args: str) -> list[str]:
    env = cli_env(database_url, bot.slack.api_url)
    code, out, err = await doorway("export", "--format", "labels", *args, env=env, cwd=tmp_path)
    assert code == 0, err
    return out.splitlines()


async def test_labels_say_which_door_each_decision_turned_out_to_be(
    bot: BotDriver, database_url: str, tmp_path: Path
) -> None:
    bot.services.clock.set(local(NEW_YORK, 2026, 11, 2, 10))
    await sized(bot, "Try a new pricing page")  # before --since
    bot.services.clock.set(local(NEW_YORK, 2026, 11, 23, 10))
    await overrule(bot, await sized(bot, SENT))  # one-way, overruled: two-way
    await overrule(bot, await overrule(bot, await sized(bot, "Move standup to 9:45")))
    lease = await overrule(bot, await sized(bot, "Sign a 5-year lease for the new office"))
    _, _, picked = await bot.click(lease, "door_review_date", selected_date="2026-12-10")
    await bot.response(picked)
    await sized(bot, "Try a new onboarding email", channel=PRIVATE)
    await sized(bot, "Delete the old customer database", team=OTHER_TEAM)

    await tick(bot.services, local(NEW_YORK, 2026, 12, 10, 9))
    [dm] = [c for c in bot.slack.calls("chat.postMessage") if c.args.get("channel") == ALICE]
    _, _, pressed = await bot.click(
        blocks_of(dm), "review_undo_harder", channel="D" + ALICE, message_ts=dm.ts
    )
    await bot.response(pressed)

    lines = await labels(bot, database_url, tmp_path, "--team", TEAM, "--since", "2026-11-20")
    assert len(lines) == 4  # one line each: a newline in the text stays escaped
    contract, standup, reviewed, unconfirmed = (json.loads(line) for line in lines)
    assert all(e["team_id"] == TEAM for e in (contract, standup, reviewed, unconfirmed))

    assert contract["text"] == TYPED
    assert json.dumps(TYPED, ensure_ascii=False)[1:-1] in lines[0]  # JSON escaping only
    assert {k: contract[k] for k in ("door", "sized_as", "sized_by", "label_from")} == {
        "door": "two_way",
        "sized_as": "one_way",
        "sized_by": "rules",
        "label_from": "overrule",
    }
    assert contract["confirmed"] is True and contract["answers"] is None
    assert contract["confidence"] > 0.5 and contract["created_at"].startswith("2026-11-23")
    assert set(contract) == {
        "id",
        "team_id",
        "text",
        "context",
        "door",
        "sized_as",
        "sized_by",
        "confidence",
        "label_from",
        "confirmed",
        "answers",
        "created_at",
    }

    # Overruled and overruled back: the card's own door, which a person confirmed.
    assert (standup["door"], standup["sized_as"], standup["label_from"]) == (
        "two_way",
        "two_way",
        "overrule",
    )
    # Overruled to a two-way door, then harder to undo than that: what happened wins.
    assert (reviewed["door"], reviewed["sized_as"], reviewed["label_from"]) == (
        "one_way",
        "one_way",
        "review",
    )
    assert reviewed["confirmed"] is True
    # A private channel's decision is the workspace's own; nothing confirmed the card.
    assert unconfirmed["text"] == "Try a new onboarding email"
    assert (unconfirmed["door"], unconfirmed["label_from"], unconfirmed["confirmed"]) == (
        "two_way",
        "card",
        False,
    )

    everyone = [json.loads(line) for line in await labels(bot, database_url, tmp_path)]
    assert {e["team_id"] for e in everyone} == {TEAM, OTHER_TEAM} and len(everyone) == 6


async def test_labels_leave_out_commit_decisions_and_never_carry_private_reasons(
    bot: BotDriver, database_url: str, tmp_path: Path
) -> None:
    bot.services.clock.set(MONDAY)
    view = await open_form(bot, "", channel=PRIVATE)
    await submit(bot, view, form_state(decision="We ship on Friday", dissenters=[BOB]))
    await started(bot)
    [ask_bob] = await wait_posts(bot, dm(BOB))
    await hold(bot, ask_bob, user=BOB, reason=REASON)
    await wait_posts(bot, dm(ALICE))  # the owner hears the reason, and only the owner
    await sized(bot, "Try a new onboarding email", channel=PRIVATE)

    [line] = await labels(bot, database_url, tmp_path)  # a /commit decision has no door card
    assert json.loads(line)["text"] == "Try a new onboarding email"
    env = cli_env(database_url, bot.slack.api_url)
    code, out, err = await doorway(
        "export", "--format", "labels", "--include-private-reasons", env=env, cwd=tmp_path
    )
    assert code == 2 and out == ""
    assert "never includes the private reasons" in err and "Traceback" not in err


async def test_a_label_line_stays_one_line_whatever_the_text(
    bot: BotDriver, database_url: str, tmp_path: Path
) -> None:
    await sized(bot, "Try a new\u2028layout\u2029for the\x85docs page")
    lines = await labels(bot, database_url, tmp_path)
    assert len(lines) == 1
    assert json.loads(lines[0])["text"] == "Try a new\u2028layout\u2029for the\x85docs page"
