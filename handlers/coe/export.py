"""`doorway export --kind coe`: every Correction of Error with its answers and its actions,
as JSON, CSV (a row per review) or Markdown (each review as its document)."""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from bot.export_rooms import Export
from bot.export_text import iso, md
from bot.slack import text as t
from bot.slack.text import drop_control_characters
from handlers.coe.questions import WRITTEN
from storage.engine import Database
from storage.models import CoeAction, CoeAnswer, CoeReview
from storage.queries import coe as q


async def reviews(
    db: Database, team_id: str | None, since: datetime | None
) -> list[dict[str, Any]]:
    """Every review (of one workspace, or all) with its answers and actions, as plain data."""
    async with db.session() as session:
        found = await q.reviews_of_team(session=session, team_id=team_id, since=since)
        answers, actions = await q.answers_and_actions(session=session, reviews=found)
    return [_entry(r, answers, actions) for r in found]


def _entry(review: CoeReview, answers: list[CoeAnswer], actions: list[CoeAction]) -> dict[str, Any]:
    mine = {a.question: a for a in answers if a.review_id == review.id}
    return {
        "id": review.id,
        "team_id": review.team_id,
        "channel_id": review.channel_id,
        "title": review.title,
        "severity": review.severity,
        "state": review.state,
        "owner_id": review.owner_id,
        "author_id": review.author_id,
        "reviewer_id": review.reviewer_id,
        "started_at": iso(review.started_at),
        "detected_at": iso(review.detected_at),
        "duration_minutes": review.duration_minutes,
        "draft_due": iso(review.draft_due),
        "created_at": iso(review.created_at),
        "approved_at": iso(review.approved_at),
        "decisions": list(review.decision_ids or []),
        "answers": {
            question.value: {
                "text": mine[question.value].text,
                "answered_by": mine[question.value].answered_by,
                "answered_at": iso(mine[question.value].answered_at),
                **(mine[question.value].details or {}),
            }
            for question in WRITTEN
            if question.value in mine
        },
        "actions": [
            {
                "id": a.id,
                "title": a.title,
                "owner_id": a.owner_id,
                "due": iso(a.due),
                "priority": a.priority,
                "state": a.state,
                "reason": a.reason,
                "closed_at": iso(a.closed_at),
            }
            for a in actions
            if a.review_id == review.id
        ],
    }


def _paragraphs(shown: str) -> list[str]:
    """An answer (escaped mrkdwn, as Slack shows it) as Markdown lines: line by line, its
    links and mentions as words (`label (url)`, `@name`), every line inert."""
    return [md(html.unescape(t.readable(line))) or "" for line in shown.splitlines()]


SIMPLE = ["id", "team_id", "channel_id", "title", "severity", "state", "owner_id",
          "reviewer_id", "started_at", "detected_at", "duration_minutes", "draft_due",
          "created_at", "approved_at"]  # fmt: skip


COLUMNS = [*SIMPLE, "decisions", *(q.value for q in WRITTEN), "actions"]


def _row(entry: dict[str, Any]) -> dict[str, Any]:
    row = {key: entry.get(key) for key in SIMPLE}
    row["decisions"] = " ".join(f"#{n}" for n in entry["decisions"])
    for question in WRITTEN:
        answer = entry["answers"].get(question.value)
        row[question.value] = answer["text"] if answer else ""
    row["actions"] = "; ".join(
        f"{a['title']} ({a['owner_id']}, due {a['due']}, {a['priority']}, {a['state']}"
        + (f": {a['reason']}" if a["reason"] else "")
        + ")"
        for a in entry["actions"]
    )
    return row


def _markdown(entries: list[dict[str, Any]]) -> str:
    lines = ["# Corrections of Error", ""]
    if not entries:
        lines.append("_No reviews yet._")
    for e in entries:
        lines += [
            f"## COE #{e['id']}: {md(e['title'])}",
            "",
            f"- {md(e['severity'])}, {md(e['state'])}; owner {md(e['owner_id'])}"
            + (f", bar raiser {md(e['reviewer_id'])}" if e["reviewer_id"] else ""),
            f"- Channel {md(e['channel_id'])}, opened {md(e['created_at'])}",
        ]
        if e["decisions"]:
            lines.append("- Decisions that led here: " + ", ".join(f"#{n}" for n in e["decisions"]))
        lines.append("")
        for question in WRITTEN:
            answer = e["answers"].get(question.value)
            lines += [f"### {md(question.spec.title)}", ""]
            lines += _paragraphs(answer["text"]) if answer else ["_Not answered._"]
            for number, chain in enumerate((answer or {}).get("chains") or [], 1):
                lines.append("")
                lines.append(f"Five whys, chain {number}:")
                lines += [f"{n}. {md(why)}" for n, why in enumerate(chain, 1)]
            lines.append("")
        lines += ["### Corrective actions", ""]
        for a in e["actions"]:
            lines.append(
                f"- {md(a['title'])}: {md(a['owner_id'])}, due {md(a['due'])}, "
                f"{md(a['priority'])}, {md(a['state'])}"
                + (f" ({md(a['reason'])})" if a["reason"] else "")
            )
        if not e["actions"]:
            lines.append("_None yet._")
        lines.append("")
    return "\n".join(lines) + "\n"


def document_markdown(review: CoeReview, answers: list[CoeAnswer], actions: list[CoeAction]) -> str:
    """One review as its document, in the Markdown a canvas takes."""
    entry = _entry(review, answers, actions)
    drop_control_characters(entry)
    return _markdown([entry]).split("\n", 2)[2]  # without the export's own heading


EXPORT = Export(collect=reviews, columns=COLUMNS, row=_row, markdown=_markdown)
