"""`doorway export`: the decision log as JSON, CSV or Markdown, or as labels (JSONL): each
door decision with the door it turned out to be, for a team's own evaluation set."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from bot.decisions.judgment import Door, door_found
from bot.slack.text import drop_control_characters
from storage.engine import Database
from storage.models import AnyDecision, CheckIn, DecisionKind, Dissent, DoorDecision, UndoAsSaid
from storage.queries.log import dissent_and_checkins, follow_up_on, list_decisions

FORMATS = ("json", "csv", "md", "labels")


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
    decision: AnyDecision, dissent: Sequence[Dissent], checkins: Sequence[CheckIn]
) -> dict[str, Any]:
    """Both kinds give the same keys. A /commit decision's check-back is its `review_at`, its
    verdict its `outcome`; it has no card to answer, overrule or review. (Dissent and
    check-ins are a commitment's: ids are one sequence, so none match a /door decision.)"""
    door = decision if isinstance(decision, DoorDecision) else None
    sized_as, sized_by = _sized(door) if door else (decision.door, decision.door_source)
    return {
        "id": decision.id,
        "team_id": decision.team_id,
        "enterprise_id": decision.enterprise_id,
        "channel_id": decision.channel_id,
        "kind": DecisionKind.DOOR if door else DecisionKind.COMMIT,
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
        "review_at": _iso(follow_up_on(decision)),
        "status": decision.status,
        "permalink": decision.permalink,
        "overruled_by": door.overruled_by if door else None,
        "sized_as": sized_as,
        "sized_by": sized_by,
        "unsure": door.unsure if door else False,
        "sizing_note": door.sizing_note if door else None,
        "answers": door.answers if door else None,
        "answered_by": door.answered_by if door else None,
        "undo_as_said": door.undo_as_said if door else None,
        "undo_by": door.undo_by if door else None,
        "undo_at": _iso(door.undo_at) if door else None,
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
        "outcome": _outcome(decision),
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


def _outcome(decision: AnyDecision) -> dict[str, Any] | None:
    if isinstance(decision, DoorDecision):
        result, by, at = decision.outcome, decision.outcome_by, decision.outcome_at
    else:  # nobody records a verdict: the check-back's answers add up to it
        result, by, at = decision.verdict, None, decision.verdict_at
    return {"result": result, "by": by, "at": _iso(at)} if result else None


def _sized(decision: DoorDecision) -> tuple[str, str | None]:
    """The door the card first gave and who gave it (rules, model, or a person's answers).

    The first overrule keeps them; for a decision overruled before that was kept, the card
    offered only the other door, so it had said the flipped one, by a source no longer known.
    """
    if decision.sized_door:
        return decision.sized_door, decision.sized_source
    if decision.overruled_by:
        return Door(decision.door).flipped().value, None
    return decision.door, decision.door_source


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def render(entries: list[dict[str, Any]], fmt: str) -> str:
    """`entries` in `fmt`. Control characters in them are dropped first, in place: rows
    stored before Doorway dropped them on receipt must not reach the reader's terminal."""
    drop_control_characters(entries)
    if fmt == "json":
        return json.dumps(entries, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return _csv(entries)
    if fmt == "md":
        return _markdown(entries)
    if fmt == "labels":
        return "".join(
            _one_line(json.dumps(label(e), ensure_ascii=False)) + "\n"
            for e in entries
            if e["kind"] == DecisionKind.DOOR
        )
    raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


def label(entry: dict[str, Any]) -> dict[str, Any]:
    """One door decision as a labelled example: the door it turned out to be, and why we
    think so. What happened (the review) outranks what people said (an overrule, the card's
    questions answered), which outranks the card's own guess."""
    door = entry["door"]
    if entry["undo_as_said"]:
        door, label_from = door_found(door, entry["undo_as_said"]).value, "review"
    elif entry["overruled_by"]:
        label_from = "overrule"
    elif entry["door_source"] == "person" and entry["answers"]:
        label_from = "answers"
    else:
        label_from = "card"
    return {
        "id": entry["id"],
        "team_id": entry["team_id"],
        "text": entry["text"],
        "context": entry["context"],
        "door": door,
        "sized_as": entry["sized_as"],
        "sized_by": entry["sized_by"],
        "confidence": entry["confidence"],
        "label_from": label_from,
        "confirmed": label_from != "card",
        "answers": entry["answers"],
        "created_at": entry["created_at"],
    }


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
    "sized_as",
    "sized_by",
    "unsure",
    "sizing_note",
    "answers",
    "answered_by",
    "undo_as_said",
]


def _csv(entries: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for entry in entries:
        row = dict(entry)
        row["outcome"] = entry["outcome"]["result"] if entry["outcome"] else ""
        answers = entry.get("answers")
        row["answers"] = json.dumps(answers) if answers is not None else ""
        row["dissent"] = "; ".join(
            f"{d['user_id']}: {d['state']}"
            + (f" ({d['concern']})" if d["concern"] else "")
            + (f" [reason: {d['reason']}]" if d.get("reason") else "")
            for d in entry["dissent"]
        )
        writer.writerow({key: _inert(value) for key, value in row.items()})
    return out.getvalue()


# What makes a spreadsheet read a cell as a formula, in ASCII and in fullwidth forms (which
# some spreadsheets fold to ASCII), after any leading spaces.
_FORMULA = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def _inert(value: Any) -> Any:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading quote."""
    if isinstance(value, str) and value.lstrip(" \u00a0\u3000")[:1] in _FORMULA:
        return "'" + value
    return value


UNDO_WORDS = {
    UndoAsSaid.AS_SAID: "as easy as the card said",
    UndoAsSaid.HARDER: "harder than the card said (a one-way door)",
    UndoAsSaid.EASIER: "easier than the card said (a two-way door)",
}


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
        if e.get("undo_as_said"):
            undo = UNDO_WORDS.get(e["undo_as_said"], e["undo_as_said"])
            lines.append(f"- Undoing it, at the review: {md(undo)}")
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


# Characters some readers take for line ends, though JSON leaves them raw.
_LINE_BREAKS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"}


def _one_line(line: str) -> str:
    """A JSON Lines record that `str.splitlines()` keeps on one line."""
    for raw, escaped in _LINE_BREAKS.items():
        line = line.replace(raw, escaped)
    return line
