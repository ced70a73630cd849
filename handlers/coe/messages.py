"""The Correction of Error room's messages: the review's own message, the DMs, and the
approved document. Every piece of user text goes through `bot.slack.text.safe` (or was
escaped when the answer was rendered, see questions.rich_to_mrkdwn)."""

from __future__ import annotations

from datetime import date
from typing import Any, TypedDict

from bot.slack import text as t
from handlers.coe.ids import Action, Block, Severity
from handlers.coe.questions import WRITTEN, Question
from storage.models import CoeAction, CoeActionState, CoeAnswer, CoeReview, CoeState

STATE_LABELS = {
    CoeState.DRAFTING: ":pencil2: Drafting",
    CoeState.IN_REVIEW: ":mag: In review",
    CoeState.APPROVED: ":white_check_mark: Approved",
    CoeState.ACTIONS_CLOSED: ":checkered_flag: Actions closed",
}
ACTION_LABELS = {
    CoeActionState.OPEN: "open",
    CoeActionState.DONE: "done",
    CoeActionState.NOT_DOING: "not doing",
}
SHOWN_ACTIONS = 10
DOCUMENT_SECTION = 2900  # under Slack's 3,000 characters of a section
DOCUMENT_BLOCKS = 45  # under Slack's 50 blocks of a message


class Message(TypedDict):
    text: str
    blocks: list[dict[str, Any]]


def _severity(review: CoeReview) -> str:
    try:
        return Severity(review.severity).label.split(":")[0]
    except ValueError:
        return t.safe(review.severity, 16)


def missing(answers: list[CoeAnswer], actions: list[CoeAction]) -> list[str]:
    """What approval still needs: the unanswered questions, a corrective action."""
    answered = {a.question for a in answers}
    gaps = [q.spec.title for q in WRITTEN if q.value not in answered]
    if not actions:
        gaps.append("at least one corrective action")
    return gaps


def _action_line(action: CoeAction, today: date | None = None) -> str:
    state = CoeActionState(action.state)
    late = state is CoeActionState.OPEN and today is not None and action.due < today
    line = (
        f"• {t.safe(action.title, 300)} — {t.user(action.owner_id)}, due {action.due.isoformat()}"
        f", {t.escape(action.priority)} priority, *{ACTION_LABELS[state]}*"
        + (" :warning: overdue" if late else "")
    )
    if state is CoeActionState.NOT_DOING and action.reason:
        line += f" (because: {t.safe(action.reason, 300)})"
    return line


ACTIONS_TEXT = 2800  # the card's list of actions, whole lines only, under a section's 3,000


def _within(actions: list[CoeAction], today: date) -> str:
    """As many actions as fit, whole (a cut could split a mention), then how many more."""
    lines: list[str] = []
    for shown, action in enumerate(actions):
        line = _action_line(action, today)
        if shown == SHOWN_ACTIONS or sum(len(x) + 1 for x in lines) + len(line) > ACTIONS_TEXT:
            lines.append(f"…and {len(actions) - shown} more")
            break
        lines.append(line)
    return "\n".join(lines)


def card(
    review: CoeReview, answers: list[CoeAnswer], actions: list[CoeAction], *, today: date
) -> Message:
    """The review's message in its channel, kept up to date as it moves."""
    state = CoeState(review.state)
    answered = {a.question for a in answers}
    facts = [
        f"*{STATE_LABELS[state]}*",
        f"{_severity(review)}",
        f"owner {t.user(review.owner_id)}",
        f"first draft due {review.draft_due.isoformat()}",
    ]
    if review.writers:
        facts.append("with " + ", ".join(t.user(w) for w in review.writers[:5]))
    if review.reviewer_id:
        facts.append(f"bar raiser {t.user(review.reviewer_id)}")
    blocks: list[dict[str, Any]] = [
        t.header(f"Correction of Error: {review.title}"),
        t.context(" · ".join(facts)),
        t.section(
            f"{len(answered & {q.value for q in WRITTEN})} of {len(WRITTEN)} questions answered"
            f" · {len(actions)} corrective action{'s' if len(actions) != 1 else ''}"
            f" ({sum(a.state == CoeActionState.OPEN for a in actions)} open)"
        ),
    ]
    if review.decision_ids:
        blocks.append(
            t.context("Decisions that led here: " + ", ".join(f"#{n}" for n in review.decision_ids))
        )
    if review.sent_back and state is CoeState.DRAFTING:
        blocks.append(
            t.section(f":leftwards_arrow_with_hook: Sent back: {t.safe(review.sent_back, 1000)}")
        )
    if actions:
        blocks.append(t.section("*Corrective actions*\n" + _within(actions, today)))
    if state is CoeState.DRAFTING:
        options = [
            {
                "text": t.plain_text(("✓ " if q.value in answered else "") + q.spec.title, 75),
                "value": q.value,
            }
            for q in WRITTEN
        ]
        elements: list[dict[str, Any]] = [
            {
                "type": "static_select",
                "action_id": Action.QUESTION,
                "placeholder": t.plain_text("Answer a question"),
                "options": options,
            },
            t.button("Add a corrective action", Action.ADD_ACTION, str(review.id)),
            t.button("Who writes it", Action.WRITERS, str(review.id)),
            t.button("Ask for review", Action.ASK_REVIEW, str(review.id), style="primary"),
        ]
        blocks.append(
            {"type": "actions", "block_id": f"{Block.CARD}:{review.id}", "elements": elements}
        )
    elif state is CoeState.APPROVED:
        blocks.append(
            {
                "type": "actions",
                "block_id": f"{Block.CARD}:{review.id}",
                "elements": [
                    t.button("Add a corrective action", Action.ADD_ACTION, str(review.id))
                ],
            }
        )
    blocks.append(t.context("Blameless: mechanisms, not people."))
    return {
        "text": t.fallback(
            f"Correction of Error: {review.title} ({state.value.replace('_', ' ')})"
        ),
        "blocks": blocks,
    }


def review_request(review: CoeReview, gaps: list[str]) -> Message:
    """The bar raiser's DM."""
    blocks = [
        t.section(
            f"{t.user(review.owner_id)} asks you to raise the bar on the Correction of Error "
            f"*{t.safe(review.title, 200)}*. Read it in <#{review.channel_id}>, then approve it "
            "or send it back with a reason."
        ),
    ]
    if gaps:
        blocks.append(t.context("Still missing: " + ", ".join(t.escape(g) for g in gaps)))
    blocks.append(
        {
            "type": "actions",
            "block_id": f"{Block.REVIEW}:{review.id}",
            "elements": [
                t.button("Approve", Action.APPROVE, str(review.id), style="primary"),
                t.button("Send back…", Action.SEND_BACK, str(review.id)),
            ],
        }
    )
    return {"text": t.fallback(f"Review asked: {review.title}"), "blocks": blocks}


def notice(text: str) -> Message:
    """A DM that only says `text` (Doorway's words around already escaped user text)."""
    return {"text": t.fallback(text), "blocks": [t.section(text)]}


def action_due(action: CoeAction, review: CoeReview, *, today: date) -> Message:
    """A corrective action's owner, on its date and every week after until it is closed."""
    late = action.due < today
    lead = (
        f":warning: This corrective action was due on {action.due.isoformat()}"
        if late
        else ":alarm_clock: This corrective action is due today"
    )
    blocks = [
        t.section(
            f"{lead}: *{t.safe(action.title, 500)}* "
            f"(from the Correction of Error *{t.safe(review.title, 200)}*, "
            f"{t.escape(action.priority)} priority)."
        ),
        {
            "type": "actions",
            "block_id": f"{Block.ACTION}:{action.id}",
            "elements": [
                t.button("Done", Action.ACTION_DONE, str(action.id), style="primary"),
                t.button("Not doing…", Action.ACTION_NOT_DOING, str(action.id)),
                t.button("Move the date…", Action.ACTION_MOVE, str(action.id)),
            ],
        },
    ]
    return {"text": t.fallback(f"Corrective action due: {action.title}"), "blocks": blocks}


def action_closed(action: CoeAction) -> Message:
    state = CoeActionState(action.state)
    words = "Done" if state is CoeActionState.DONE else "Not doing"
    return notice(f":white_check_mark: {words}: *{t.safe(action.title, 500)}*.")


def document(
    review: CoeReview, answers: list[CoeAnswer], actions: list[CoeAction]
) -> list[Message]:
    """The approved review, whole, as messages within Block Kit's limits."""
    by_question = {a.question: a for a in answers}
    blocks: list[dict[str, Any]] = [
        t.header(f"Correction of Error: {review.title}"),
        t.context(
            f"{_severity(review)} · owner {t.user(review.owner_id)}"
            + (f" · approved by {t.user(review.reviewer_id)}" if review.reviewer_id else "")
        ),
    ]
    for question in WRITTEN:
        found = by_question.get(question.value)
        body = _answer_text(question, found)
        blocks.append(t.section(f"*{t.escape(question.spec.title)}*"))
        blocks.extend(t.section(chunk) for chunk in _chunks(body, DOCUMENT_SECTION))
    lines = [_action_line(a) for a in actions] or ["—"]
    blocks.append(t.section(f"*{Question.ACTIONS.spec.title}*"))
    blocks.extend(t.section(chunk) for chunk in _chunks("\n".join(lines), DOCUMENT_SECTION))
    pages = [blocks[i : i + DOCUMENT_BLOCKS] for i in range(0, len(blocks), DOCUMENT_BLOCKS)]
    return [
        {
            "text": t.fallback(f"Correction of Error: {review.title} ({n}/{len(pages)})"),
            "blocks": page,
        }
        for n, page in enumerate(pages, 1)
    ]


def _answer_text(question: Question, found: CoeAnswer | None) -> str:
    if found is None:
        return "—"
    parts = []
    details = found.details or {}
    if question is Question.IMPACT:
        parts.append(
            f"Customers affected: {details.get('customers', '—')} · "
            f"for {details.get('minutes', '—')} minutes · "
            f"cost: {t.safe(str(details.get('cost') or '—'), 200)}"
        )
    parts.append(found.text or "—")
    if question is Question.ROOT_CAUSE:
        for number, chain in enumerate(details.get("chains") or [], 1):
            whys = "\n".join(f"{n}. Why? {t.safe(w, 300)}" for n, w in enumerate(chain, 1))
            parts.append(f"_Five whys, chain {number}_\n{whys}")
    return "\n".join(parts)


def _chunks(text: str, size: int) -> list[str]:
    """Pieces of at most `size` characters, cut at line ends where it can."""
    pieces: list[str] = []
    while len(text) > size:
        cut_at = text.rfind("\n", 0, size)
        if cut_at <= 0:
            cut_at = text.rfind(" ", 0, size)
        if cut_at <= 0:
            cut_at = size
        amp = text.rfind("&", 0, cut_at)
        if amp != -1 and ";" not in text[amp:cut_at]:
            cut_at = amp  # never split an escape
        pieces.append(text[:cut_at])
        text = text[cut_at:].lstrip("\n")
    pieces.append(text)
    return [p for p in pieces if p] or ["—"]
