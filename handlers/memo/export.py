"""`doorway export --kind memo`: every silent reading, as JSON, CSV (a row per reading) or
Markdown. A reading's comments are written only once they were revealed in its thread:
before that the export, like everything else, gives how many there are and no more."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.export_rooms import Export
from bot.export_text import iso, md, when
from bot.slack import text as t
from storage.engine import Database
from storage.models import MemoComment, MemoReader, MemoSession, MemoState
from storage.queries import memo as q

GENERAL = "General"


async def sessions(
    db: Database, team_id: str | None, since: datetime | None
) -> list[dict[str, Any]]:
    """Every reading (of one workspace, or all), with its revealed comments, as plain data."""
    async with db.session() as session:
        found = await q.sessions_of_team(session=session, team_id=team_id, since=since)
        readers, comments = await q.readers_and_comments(session=session, sessions=found)
        counted = await q.comment_counts(session=session, sessions=found)
    return [_entry(s, readers, comments, counted) for s in found]


def _entry(
    memo: MemoSession,
    readers: Sequence[MemoReader],
    comments: Sequence[MemoComment],
    counted: dict[tuple[str, int], int],
) -> dict[str, Any]:
    mine = [r for r in readers if r.session_id == memo.id and r.team_id == memo.team_id]
    revealed = memo.state == MemoState.REVEALED
    return {
        "id": memo.id,
        "team_id": memo.team_id,
        "channel_id": memo.channel_id,
        "owner_id": memo.owner_id,
        "title": memo.title,
        "url": memo.url,
        "minutes": memo.minutes,
        "started_at": iso(memo.started_at),
        "ends_at": iso(memo.ends_at),
        "state": memo.state,
        "ended_reason": memo.ended_reason,
        "ended_by": memo.ended_by,
        "ended_at": iso(memo.ended_at),
        "revealed_at": iso(memo.revealed_at),
        "message_error": memo.message_error,
        "reveal_error": memo.reveal_error,
        "started": len(mine),
        "finished": sum(r.finished_at is not None for r in mine),
        "comment_count": counted.get((memo.team_id, memo.id or 0), 0),
        # Not a word of a comment before the reveal: null, not an empty list.
        "comments": [
            {
                "user_id": c.user_id,
                "section": c.section,
                "kind": c.kind,
                "text": c.text,
                "created_at": iso(c.created_at),
            }
            for c in comments
            if c.session_id == memo.id and c.team_id == memo.team_id
        ]
        if revealed
        else None,
    }


SIMPLE = ["id", "team_id", "channel_id", "owner_id", "title", "url", "minutes", "started_at",
          "ends_at", "state", "ended_reason", "revealed_at", "started", "finished",
          "comment_count"]  # fmt: skip


def _row(entry: dict[str, Any]) -> dict[str, Any]:
    row = {key: entry.get(key) for key in SIMPLE}
    row["comments"] = "; ".join(
        f"[{c['section'] or GENERAL}] {c['kind']} by {c['user_id']}: {c['text']}"
        for c in entry["comments"] or []
    )
    return row


def _markdown(entries: list[dict[str, Any]]) -> str:
    lines = ["# Silent readings", ""]
    if not entries:
        lines.append("_No readings yet._")
    for e in entries:
        title = t.readable(e["title"] or e["url"] or "the memo")
        ended = (
            f"ended {when(e['ended_at'])} ({md(e['ended_reason'] or 'over')})"
            if e["ended_at"]
            else f"ends {when(e['ends_at'])}"
        )
        lines += [
            f"## Reading #{e['id']}: {md(title)}",
            "",
            f"- {md(e['state'])}; owner {md(e['owner_id'])}, channel {md(e['channel_id'])}",
            f"- {md(e['minutes'])} minutes planned; started {when(e['started_at'])}, {ended}",
            f"- {e['finished']} of {e['started']} read to the end; {e['comment_count']} comments",
        ]
        if e["url"]:
            lines.append(f"- Link: {md(e['url'])}")
        lines.append("")
        if e["comments"] is None:
            lines += ["_Comments are kept private until the reading's reveal._", ""]
            continue
        # By the section they name, spelling and case aside, as the reveal groups them.
        sections: dict[str, tuple[str, list[dict[str, Any]]]] = {}
        for c in e["comments"]:
            named = " ".join((c["section"] or "").split()) or GENERAL
            sections.setdefault(named.casefold(), (named, []))[1].append(c)
        for name, items in sections.values():
            lines += [f"### {md(name)}", ""]
            lines += [f"- {md(c['kind'])} by {md(c['user_id'])}: {md(c['text'])}" for c in items]
            lines.append("")
    return "\n".join(lines) + "\n"


EXPORT = Export(collect=sessions, columns=[*SIMPLE, "comments"], row=_row, markdown=_markdown)
