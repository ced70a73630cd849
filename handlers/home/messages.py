"""The App Home tab: a person's open decisions, commitments and follow-ups."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from bot import dates
from bot.slack import text as t
from storage.models import AnyDecision, CoeAction, CoeReview, Commitment, Dissent
from storage.queries.log import follow_up_on

MAX_ROWS = 15  # a home view allows 100 blocks; keep it readable
LABEL = {"one_way": "One-way", "two_way": "Two-way"}
STATE = {
    "pending": "waiting for your answer",
    "committed": "you committed",
    "not_yet": "you can't commit yet",
}


def home_view(
    *,
    due: Sequence[AnyDecision],
    decisions: Sequence[AnyDecision],
    dissent: Sequence[tuple[Dissent, Commitment]],
    today: date,
    actions: Sequence[tuple[CoeAction, CoeReview]] = (),
) -> dict[str, Any]:
    due_ids = {d.id for d in due}  # one number space: a door and a commitment never share one
    blocks: list[dict[str, Any]] = [
        t.header("Your decisions"),
        t.context(
            "Size one with `/door &lt;decision&gt;` · record a disagreement with `/commit` · "
            "`/door help` explains the doors"
        ),
        t.divider(),
        t.section("*Follow-ups due*"),
    ]
    blocks += [_row(d, today) for d in due[:MAX_ROWS]] or [t.context("Nothing due. :tada:")]
    blocks += [t.divider(), t.section("*Open decisions*")]
    open_rows = [d for d in decisions if d.id not in due_ids]
    blocks += [_row(d, today) for d in open_rows[:MAX_ROWS]] or [
        t.context("No open decisions. Try `/door` in any channel.")
    ]
    blocks += [t.divider(), t.section("*Disagree and commit*")]
    blocks += [
        t.section(f"• {t.safe(decision.text, 300)} — _{STATE.get(d.state, d.state)}_")
        for d, decision in dissent[:MAX_ROWS]
    ] or [t.context("No disagreements recorded for you.")]
    if actions:  # a Correction of Error's corrective actions this person owns
        blocks += [t.divider(), t.section("*Your corrective actions*")]
        blocks += [
            t.section(
                f"• {t.safe(action.title, 300)} — due {action.due.isoformat()}"
                + (" :warning: _overdue_" if action.due < today else "")
                + f" · from “{t.safe(review.title, 150)}”"
            )
            for action, review in actions[:MAX_ROWS]
        ]
    return {"type": "home", "blocks": blocks}


def _row(decision: AnyDecision, today: date) -> dict[str, Any]:
    door = LABEL.get(decision.door, decision.door)
    when = ""
    if day := follow_up_on(decision):
        late = (today - day).days
        if late > 1:
            when = f" · review was due {late} days ago"
        elif late == 1:
            when = " · review was due yesterday"
        elif late == 0:
            when = " · review due today"
        else:
            when = f" · review on {dates.day(day)}"
    link = f" · <{decision.permalink}|open>" if decision.permalink else ""
    if t.is_link(decision.source_url):  # made from a Slack message: a shortcut
        link += f" · <{decision.source_url}|the message>"
    return t.section(f"• *{door}* — {t.safe(decision.text, 300)}{when}{link}")
