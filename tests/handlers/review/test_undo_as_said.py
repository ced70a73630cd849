"""At the review: "was it as easy to undo as the card said?", beside the outcome."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from sqlmodel import select

from console.localslack import Call
from storage.models import DoorDecision
from tests.driver import ALICE, BOB, BotDriver, blocks_of, text_of
from tests.ticking import cli_env, doorway, export, local, tick

NEW_YORK = "America/New_York"
QUESTION = "Was it as easy to undo as the card said?"
UNDO = ("review_undo_as_said", "review_undo_harder")  # a two-way card: only "harder" is news
OUTCOME = ("review_worked", "review_did_not_work", "review_too_early")


def dms(bot: BotDriver, user: str) -> list[Call]:
    return [
        c
        for c in bot.slack.calls("chat.postMessage")
        if c.args.get("channel") == user and (c.response or {}).get("ok")
    ]


def thread_notes(bot: BotDriver) -> list[str]:
    return [
        str(c.args["text"]) for c in bot.slack.calls("chat.postMessage") if c.args.get("thread_ts")
    ]


def buttons(blocks: list[dict[str, Any]]) -> list[str]:
    return [
        e["action_id"]
        for b in blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["type"] == "button"
    ]


async def review_dm(bot: BotDriver, text: str, *, share: bool) -> Call:
    """Size `text` with /door (sharing the card if asked), review it on 10 Dec at 09:00."""
    bot.services.clock.set(local(NEW_YORK, 2026, 11, 23, 10))
    _, _, name = await bot.command("/door", text)
    card = blocks_of(await bot.response(name))
    if share:
        _, _, shared = await bot.click(card, "door_share")
        card = blocks_of(await bot.response(shared))
    _, _, picked = await bot.click(card, "door_review_date", selected_date="2026-12-10")
    await bot.response(picked)
    await tick(bot.services, local(NEW_YORK, 2026, 12, 10, 9))
    [dm] = dms(bot, ALICE)
    return dm


async def press(
    bot: BotDriver, dm: Call, blocks: list[dict[str, Any]], action: str, **kw: Any
) -> str:
    _, _, name = await bot.click(blocks, action, channel="D" + ALICE, message_ts=dm.ts, **kw)
    return name


async def test_harder_to_undo_first_then_the_outcome(
    bot: BotDriver, database_url: str, tmp_path: Path
) -> None:
    dm = await review_dm(bot, "Try a blue checkout button for a week", share=True)
    asked = blocks_of(dm)
    assert QUESTION in text_of(dm) and "It said: a two-way door" in text_of(dm)
    assert buttons(asked) == [*OUTCOME, *UNDO]
    assert "Yes, as easy as it said" in text_of(dm)

    for _ in range(2):  # a double press stores once and tells the thread once
        redrawn = await bot.response(await press(bot, dm, asked, "review_undo_harder"))
        assert redrawn.args["replace_original"] is True
        assert "Harder to undo than the card said: it was a one-way door" in text_of(redrawn)
        assert buttons(blocks_of(redrawn)) == list(OUTCOME)  # the outcome is still open
    [note] = thread_notes(bot)
    assert "harder to undo than the card said: it was a one-way door" in note.lower()
    assert f"<@{ALICE}>" in note

    # Pressed again on the DM as first drawn: the first answer stands.
    changed = await bot.response(await press(bot, dm, asked, "review_undo_as_said"))
    assert "Harder to undo" in text_of(changed) and "As easy" not in text_of(changed)
    env = cli_env(database_url, bot.slack.api_url)
    [entry] = await export(env, tmp_path)
    assert (entry["undo_as_said"], entry["undo_by"]) == ("harder", ALICE)
    assert entry["undo_at"].startswith("2026-12-10")
    # What happened sets the door in every export, and the card's first door is kept.
    assert entry["outcome"] is None and entry["door"] == "one_way"
    assert entry["sized_as"] == "two_way" and entry["sized_by"] == "rules"
    sizing = ("unsure", "sizing_note", "answers", "answered_by", "sized_as", "sized_by")
    assert [entry[k] for k in sizing] == [False, None, None, None, "two_way", "rules"]
    code, out, err = await doorway("export", "--format", "csv", env=env, cwd=tmp_path)
    assert code == 0, err
    [row] = csv.DictReader(io.StringIO(out))
    assert row["undo_as_said"] == "harder" and row["sized_as"] == "two_way"

    done = await bot.response(await press(bot, dm, blocks_of(changed), "review_worked"))
    shown = text_of(done)
    assert "It worked out" in shown and "Harder to undo than the card said" in shown
    assert buttons(blocks_of(done)) == []  # both answered: nothing left to press
    assert len(thread_notes(bot)) == 2  # the outcome's own note


async def test_the_outcome_first_leaves_the_undo_question_open(bot: BotDriver) -> None:
    dm = await review_dm(bot, "Move standup to 9:45", share=False)
    answered = await bot.response(await press(bot, dm, blocks_of(dm), "review_worked"))
    assert "It worked out" in text_of(answered) and QUESTION in text_of(answered)
    assert buttons(blocks_of(answered)) == list(UNDO)

    done = await bot.response(await press(bot, dm, blocks_of(answered), "review_undo_as_said"))
    shown = text_of(done)
    assert "It worked out" in shown
    assert "As easy to undo as the card said: a two-way door" in shown
    assert buttons(blocks_of(done)) == []
    assert thread_notes(bot) == []  # never shared: no thread to tell


async def test_too_early_keeps_the_undo_question_and_the_new_date(bot: BotDriver) -> None:
    dm = await review_dm(bot, "Move standup to 9:45", share=False)
    later = await bot.response(await press(bot, dm, blocks_of(dm), "review_too_early"))
    assert "I'll ask again on" in text_of(later) and buttons(blocks_of(later)) == list(UNDO)

    eased = await bot.response(await press(bot, dm, blocks_of(later), "review_undo_as_said"))
    shown = text_of(eased)
    assert "As easy to undo as the card said: a two-way door" in shown
    assert "I'll ask again on *Thu 24 Dec 2026*" in shown  # still waiting, no outcome buttons
    assert buttons(blocks_of(eased)) == []

    await tick(bot.services, local(NEW_YORK, 2026, 12, 24, 9))
    again = dms(bot, ALICE)[-1]
    assert len(dms(bot, ALICE)) == 2
    assert buttons(blocks_of(again)) == list(OUTCOME)  # only what is still open is asked
    assert "As easy to undo as the card said" in text_of(again)


async def test_only_the_owner_answers_the_review(
    bot: BotDriver, database_url: str, tmp_path: Path
) -> None:
    dm = await review_dm(bot, "Try a blue checkout button for a week", share=True)
    for action in ("review_undo_harder", "review_worked"):
        name = await press(bot, dm, blocks_of(dm), action, user=BOB)
        [refused] = bot.responses(name)  # told why, and the DM is not redrawn
        assert refused.args.get("replace_original") is False
        assert f"Only <@{ALICE}> can answer this review" in text_of(refused)
    [entry] = await export(cli_env(database_url, bot.slack.api_url), tmp_path)
    assert entry["undo_as_said"] is None and entry["outcome"] is None
    assert thread_notes(bot) == []


async def test_a_one_way_card_asks_whether_it_was_as_hard_to_undo(bot: BotDriver) -> None:
    dm = await review_dm(bot, "Delete the old customer backups for good", share=True)
    shown = text_of(dm)
    assert "Was it as hard to undo as the card said?" in shown
    assert buttons(blocks_of(dm)) == [*OUTCOME, "review_undo_as_said", "review_undo_easier"]

    await press(bot, dm, blocks_of(dm), "review_undo_as_said")
    await bot.slack.wait_for("chat.postMessage", count=len(bot.slack.calls("chat.postMessage")))
    [note] = thread_notes(bot)
    assert "As hard to undo as the card said: a one-way door" in note


async def test_the_reviews_answer_redraws_the_card_and_a_later_overrule_is_explained(
    bot: BotDriver,
) -> None:
    dm = await review_dm(bot, "Try a blue checkout button for a week", share=True)
    await bot.response(await press(bot, dm, blocks_of(dm), "review_undo_harder"))
    async with bot.services.db.session() as session:
        decision = (await session.exec(select(DoorDecision))).one()
    assert decision.door == "one_way"  # what happened set the door

    def card() -> Call:
        [last] = [c for c in bot.slack.calls("chat.update") if c.args["ts"] == decision.message_ts][
            -1:
        ]
        return last

    # The channel's card says so from the next tick (the door room draws it).
    assert "Two-way door" in text_of(card())
    await tick(bot.services, local(NEW_YORK, 2026, 12, 10, 9, 1))
    shown = text_of(card())
    assert "One-way door" in shown and "said it was harder to undo" in shown

    # Overruled after the review, back to two-way: the overrule is what the card explains.
    updates = len(bot.slack.calls("chat.update"))
    await bot.click(blocks_of(card()), "door_overrule", user=BOB, message_ts=decision.message_ts)
    await bot.slack.wait_for("chat.update", count=updates + 1)
    shown = text_of(card())
    assert f"<@{BOB}> overruled the sizing" in shown and "Two-way door" in shown
    assert "said it was harder to undo" not in shown
