"""`doorway export`: the decision log as JSON, CSV or Markdown."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from storage.engine import Database
from storage.models import CheckIn, Decision, Dissent
from storage.queries.decisions import dissent_and_checkins, list_decisions

FORMATS = ("json", "csv", "md")


async def decision_log(
    db: Database,
    *,
    team_id: str | None,
    since: datetime | None,
    include_private_reasons: bool = False,
) -> list[dict[str, Any]]:
    """Every decision with its dissent and outcome, as plain data.

    A dissenter's reason for not committing yet is left out unless asked for: the form
    promises it goes to the decision's owner by DM and nowhere else.
    """
    async with db.session() as session:
        decisions = await list_decisions(session=session, team_id=team_id, since=since)
        dissent, checkins = await dissent_and_checkins(session=session, decisions=decisions)
    entries = [_entry(d, dissent, checkins) for d in decisions]
    if not include_private_reasons:
        for entry in entries:
            for d in entry["dissent"]:
                del d["reason"]
    return entries


def _entry(
    decision: Decision, dissent: Sequence[Dissent], checkins: Sequence[CheckIn]
) -> dict[str, Any]:
    return {
        "id": decision.id,
        "team_id": decision.team_id,
        "enterprise_id": decision.enterprise_id,
        "channel_id": decision.channel_id,
        "kind": decision.kind,
        "text": decision.text,
        "context": decision.context,
        "door": decision.door,
        "door_source": decision.door_source,
        "confidence": decision.confidence,
        "reasons": decision.reasons,
        "chair_question": decision.chair_question,
        "author_id": decision.author_id,
        "owner_id": decision.owner_id,
        "created_at": _iso(decision.created_at),
        "review_at": _iso(decision.review_at),
        "status": decision.status,
        "permalink": decision.permalink,
        "overruled_by": decision.overruled_by,
        "dissent": [
            {
                "user_id": d.user_id,
                "concern": d.concern,
                "expectation": d.expectation,
                "state": d.state,
                "reason": d.reason,
                "committed_at": _iso(d.committed_at),
            }
            for d in dissent
            if d.decision_id == decision.id
        ],
        "outcome": (
            {"result": decision.outcome, "by": decision.outcome_by, "at": _iso(decision.outcome_at)}
            if decision.outcome
            else None
        ),
        "checkins": [
            {
                "user_id": c.user_id,
                "role": c.role,
                "answer": c.answer,
                "answered_at": _iso(c.answered_at),
            }
            for c in checkins
            if c.decision_id == decision.id and c.answer
        ],
    }


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def render(entries: list[dict[str, Any]], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(entries, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return _csv(entries)
    if fmt == "md":
        return _markdown(entries)
    raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


CSV_COLUMNS = [
    "id",
    "team_id",
    "channel_id",
    "kind",
    "text",
    "door",
    "door_source",
    "author_id",
    "owner_id",
    "created_at",
    "review_at",
    "status",
    "outcome",
    "dissent",
]


def _csv(entries: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for entry in entries:
        row = dict(entry)
        row["outcome"] = entry["outcome"]["result"] if entry["outcome"] else ""
        row["dissent"] = "; ".join(
            f"{d['user_id']}: {d['state']}"
            + (f" ({d['concern']})" if d["concern"] else "")
            + (f" [reason: {d['reason']}]" if d.get("reason") else "")
            for d in entry["dissent"]
        )
        writer.writerow({key: _inert(value) for key, value in row.items()})
    return out.getvalue()


def _inert(value: Any) -> Any:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _markdown(entries: list[dict[str, Any]]) -> str:
    lines = ["# Decision log", ""]
    if not entries:
        lines.append("_No decisions yet._")
    for e in entries:
        door = "One-way door" if e["door"] == "one_way" else "Two-way door"
        lines.append(f"## #{e['id']}: {md(e['text'])}")
        lines.append("")
        lines.append(f"- **{door}** (by {md(e['door_source'])}), status {md(e['status'])}")
        lines.append(
            f"- Channel {md(e['channel_id'])}, author {md(e['author_id'])}, "
            f"owner {md(e['owner_id'])}, {md(e['created_at'])}"
        )
        if e["review_at"]:
            lines.append(f"- Review on {md(e['review_at'])}")
        for d in e["dissent"]:
            lines.append(
                f"- Dissent: {md(d['user_id'])} ({md(d['state'])})"
                + (f": {md(d['concern'])}" if d["concern"] else "")
                + (f" (reason: {md(d['reason'])})" if d.get("reason") else "")
            )
        if e["outcome"]:
            by = f" (recorded by {md(e['outcome']['by'])})" if e["outcome"]["by"] else ""
            lines.append(f"- Outcome: {md(e['outcome']['result'])}{by}")
        for c in e["checkins"]:
            lines.append(f"- Check-back: {md(c['user_id'])} ({md(c['role'])}): {md(c['answer'])}")
        lines.append("")
    return "\n".join(lines) + "\n"


# What Markdown (and the HTML it may be rendered to) would read as structure inside a line:
# emphasis, code, links and images, headings, tables, strikethrough, raw HTML and entities.
_MD_PUNCTUATION = re.compile(r"([\\`*_\[\]#|~!])")


def md(value: object) -> str:
    """Stored text as one inert line of Markdown: `# hi`, `<script>` or `[x](y)` in a
    decision is shown as typed, and a newline in it can't start a heading or a list item."""
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_PUNCTUATION.sub(r"\\\1", text)
