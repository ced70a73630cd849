"""`doorway export`: the decision log as JSON, CSV or Markdown, or as labels (JSONL): each
door decision with the door it turned out to be, for a team's own evaluation set."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.decisions.judgment import Door, door_found
from bot.export_text import csv_table, iso, md, one_line
from bot.slack.text import drop_control_characters
from storage.engine import Database
from storage.models import AnyDecision, CheckIn, DecisionKind, Dissent, DoorDecision, UndoAsSaid
from storage.queries.coe import reviews_naming
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
        naming = await reviews_naming(session=session, team_id=team_id)
    entries = [_entry(d, dissent, checkins) for d in decisions]
    for entry in entries:  # the Correction of Error reviews that name it as a cause
        entry["coe_reviews"] = [
            {"id": r.id, "title": r.title, "state": r.state}
            for r in naming.get(entry["id"], [])
            if r.team_id == entry["team_id"]
        ]
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
        "created_at": iso(decision.created_at),
        "review_at": iso(follow_up_on(decision)),
        "status": decision.status,
        "permalink": decision.permalink,
        "source_url": decision.source_url,  # the message a shortcut made it from
        "post_error": decision.post_error,
        "overruled_by": door.overruled_by if door else None,
        "sized_as": sized_as,
        "sized_by": sized_by,
        "unsure": door.unsure if door else False,
        "sizing_note": door.sizing_note if door else None,
        "answers": door.answers if door else None,
        "answered_by": door.answered_by if door else None,
        "undo_as_said": door.undo_as_said if door else None,
        "undo_by": door.undo_by if door else None,
        "undo_at": iso(door.undo_at) if door else None,
        "dissent": [
            {
                "user_id": d.user_id,
                "concern": d.concern,
                "expectation": d.expectation,
                "state": d.state,
                "reason": d.reason,
                "committed_at": iso(d.committed_at),
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
                "answered_at": iso(c.answered_at),
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
    return {"result": result, "by": by, "at": iso(at)} if result else None


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
            one_line(json.dumps(label(e), ensure_ascii=False)) + "\n"
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
    "coe_reviews",
]


def _csv(entries: list[dict[str, Any]]) -> str:
    return csv_table(CSV_COLUMNS, (_row(entry) for entry in entries))


def _row(entry: dict[str, Any]) -> dict[str, Any]:
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
    row["coe_reviews"] = "; ".join(
        f"#{r['id']} {r['title']} ({r['state']})" for r in entry.get("coe_reviews") or []
    )
    return row


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
        for r in e.get("coe_reviews") or []:
            lines.append(f"- Correction of Error #{r['id']}: {md(r['title'])} ({md(r['state'])})")
        for c in e["checkins"]:
            lines.append(f"- Check-back: {md(c['user_id'])} ({md(c['role'])}): {md(c['answer'])}")
        lines.append("")
    return "\n".join(lines) + "\n"
