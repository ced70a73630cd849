"""Block Kit for the review room: the reminder DM, its answered form, the thread note."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot import text as t
from bot.judgment import Door
from handlers.review.ids import Action, Block
from storage.models import Decision, DecisionOutcome

OUTCOME_WORDS: dict[str, str] = {
    DecisionOutcome.WORKED: ":white_check_mark: It worked out",
    DecisionOutcome.DID_NOT_WORK: ":x: It didn't work out",
}
POSTPONE_DAYS = 14


def day(value: date) -> str:
    return value.strftime("%a %d %b %Y")


def _summary(decision: Decision) -> list[dict[str, Any]]:
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
            + (f" · review day {day(decision.review_at)}" if decision.review_at else "")
        ),
    ]


def reminder(decision: Decision) -> list[dict[str, Any]]:
    """The DM on the review day: the decision, its door, where it was made, three answers."""
    return [
        t.section(":calendar: *Time to look back.* How did this decision turn out?"),
        *_summary(decision),
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
        },
    ]


def reminder_text(decision: Decision) -> str:
    return t.fallback(f"Time to review: {decision.text}")


def outcome_line(decision: Decision) -> str:
    words = OUTCOME_WORDS.get(decision.outcome or "", decision.outcome or "")
    who = t.user(decision.outcome_by) if decision.outcome_by else "someone"
    when = f" on {day(decision.outcome_at.date())}" if decision.outcome_at else ""
    return f"{words} — recorded by {who}{when}."


def answered(decision: Decision) -> list[dict[str, Any]]:
    """The DM once an outcome is recorded: no buttons left to press."""
    return [*_summary(decision), t.section(f"*Outcome:* {outcome_line(decision)}")]


def postponed(decision: Decision) -> list[dict[str, Any]]:
    """The DM after *Too early*: the new review day."""
    assert decision.review_at is not None
    return [
        *_summary(decision),
        t.section(
            f":hourglass_flowing_sand: Too early to tell. I'll ask again on "
            f"*{day(decision.review_at)}*."
        ),
    ]


def thread_note(decision: Decision) -> str:
    """What the original card's thread learns when the outcome is recorded."""
    return f"*Review:* {outcome_line(decision)}"
