"""Block Kit for the review room: the reminder DM as it stands, and the thread notes."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot import dates
from bot.decisions.judgment import Door, door_found
from bot.slack import text as t
from handlers.review.ids import Action, Block
from storage.models import DecisionOutcome, DoorDecision, UndoAsSaid

OUTCOME_WORDS: dict[str, str] = {
    DecisionOutcome.WORKED: ":white_check_mark: It worked out",
    DecisionOutcome.DID_NOT_WORK: ":x: It didn't work out",
}
# What the review asks depends on the card's door: only the other door is news.
UNDO_BUTTONS = {
    Door.TWO_WAY: (
        "Was it as easy to undo as the card said?",
        (
            ("Yes, as easy as it said", Action.UNDO_AS_SAID),
            ("No, hard to undo", Action.UNDO_HARDER),
        ),
    ),
    Door.ONE_WAY: (
        "Was it as hard to undo as the card said?",
        (
            ("Yes, as hard as it said", Action.UNDO_AS_SAID),
            ("No, easy to undo", Action.UNDO_EASIER),
        ),
    ),
}
POSTPONE_DAYS = 14


def _summary(decision: DoorDecision) -> list[dict[str, Any]]:
    door = Door(decision.door)
    icon = ":door:" if door is Door.TWO_WAY else ":no_entry:"
    where = (
        f"<{decision.permalink}|where it was made>"
        if decision.permalink
        else f"made in <#{decision.channel_id}>"
    )
    return [
        t.section(f"{icon} *{t.safe(decision.text, 2500)}*"),
        t.context(
            f"{door.label} · decision #{decision.id} · {where}"
            + (f" · review day {dates.day(decision.review_at)}" if decision.review_at else "")
        ),
    ]


def review(decision: DoorDecision, *, today: date) -> list[dict[str, Any]]:
    """The review DM as it stands on `today` (in the owner's zone): each question still
    open with its buttons, each answered one with its answer, in whichever order they came.

    The outcome waits, without buttons, while a later review day is set (after *Too early*).
    """
    postponed = not decision.outcome and bool(decision.review_at and decision.review_at > today)
    outcome_open = not decision.outcome and not postponed
    blocks: list[dict[str, Any]] = []
    if outcome_open:
        blocks.append(t.section(":calendar: *Time to look back.* How did this decision turn out?"))
    blocks.extend(_summary(decision))
    if outcome_open:
        blocks.append(
            {
                "type": "actions",
                "block_id": f"{Block.ACTIONS}:{decision.id}",
                "elements": [
                    t.button("It worked out", Action.WORKED, str(decision.id), style="primary"),
                    t.button("It didn't", Action.DID_NOT_WORK, str(decision.id), style="danger"),
                    t.button(
                        f"Too early — remind me in {POSTPONE_DAYS // 7} weeks",
                        Action.TOO_EARLY,
                        str(decision.id),
                    ),
                ],
            }
        )
    elif decision.outcome:
        blocks.append(t.section(f"*Outcome:* {outcome_line(decision)}"))
    elif decision.review_at:
        blocks.append(
            t.section(
                f":hourglass_flowing_sand: Too early to tell. I'll ask again on "
                f"*{dates.day(decision.review_at)}*."
            )
        )
    return blocks + _undo(decision)


def _undo(decision: DoorDecision) -> list[dict[str, Any]]:
    if decision.undo_as_said:
        return [t.section(f"*Undoing it:* {undo_line(decision)}")]
    door = Door(decision.door)
    question, buttons = UNDO_BUTTONS[door]
    return [
        t.section(f"*{question}* It said: a {door.label.lower()}."),
        {
            "type": "actions",
            "block_id": f"{Block.UNDO}:{decision.id}",
            "elements": [t.button(words, action, str(decision.id)) for words, action in buttons],
        },
    ]


def reminder_text(decision: DoorDecision) -> str:
    return t.fallback(f"Time to review: {decision.text}")


def outcome_line(decision: DoorDecision) -> str:
    words = OUTCOME_WORDS.get(decision.outcome or "", decision.outcome or "")
    who = t.user(decision.outcome_by) if decision.outcome_by else "someone"
    when = f" on {dates.day(decision.outcome_at.date())}" if decision.outcome_at else ""
    return f"{words} — recorded by {who}{when}."


def undo_words(decision: DoorDecision) -> str:
    """How undoing it compared with the card: "harder to undo than the card said: …"."""
    assert decision.undo_as_said is not None
    found = door_found(decision.door, decision.undo_as_said)
    if decision.undo_as_said != UndoAsSaid.AS_SAID:
        how = "harder" if found is Door.ONE_WAY else "easier"
        return f"{how} to undo than the card said: it was a {found.label.lower()}"
    how = "hard" if found is Door.ONE_WAY else "easy"
    return f"as {how} to undo as the card said: a {found.label.lower()}"


def undo_line(decision: DoorDecision) -> str:
    who = t.user(decision.undo_by) if decision.undo_by else "someone"
    when = f" on {dates.day(decision.undo_at.date())}" if decision.undo_at else ""
    return f"{undo_words(decision).capitalize()} — said by {who}{when}."


def thread_note(decision: DoorDecision) -> str:
    """What the original card's thread learns when the outcome is recorded."""
    return f"*Review:* {outcome_line(decision)}"


def too_early_note(decision: DoorDecision, by: str) -> str:
    """What the card's thread learns when the review is put off: by whom, and until when."""
    when = dates.day(decision.review_at) if decision.review_at else "later"
    return f"*Review:* {t.user(by)} says it's too early to tell; Doorway asks again on {when}."


def undo_note(decision: DoorDecision) -> str:
    """What the original card's thread learns when the review says how undoing it went."""
    return f"*Review:* {undo_line(decision)}"
