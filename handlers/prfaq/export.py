"""`doorway export --kind prfaq`: every PR/FAQ with its answers, its sections as they read
now, its readers and its history, as JSON, CSV (a row per PR/FAQ) or Markdown (each as its
document). The document's Markdown is also what its canvas holds."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.export_rooms import Export
from bot.export_text import iso, md, when
from bot.slack.text import drop_control_characters
from handlers.prfaq.ids import QUESTIONS, Circle, Section, Writer
from storage.engine import Database
from storage.models import Prfaq, PrfaqReader, PrfaqRevision, PrfaqSection
from storage.queries import prfaq as q


async def prfaqs(db: Database, team_id: str | None, since: datetime | None) -> list[dict[str, Any]]:
    entries = []
    async with db.session() as session:
        for prfaq in await q.prfaqs_of(session=session, team_id=team_id, since=since):
            assert prfaq.id is not None
            ids: dict[str, Any] = {
                "session": session,
                "team_id": prfaq.team_id,
                "prfaq_id": prfaq.id,
            }
            entries.append(
                entry(
                    prfaq,
                    await q.sections_of(**ids),
                    await q.readers_of(**ids),
                    await q.history(**ids, limit=None),
                )
            )
    return entries


def entry(
    prfaq: Prfaq,
    sections: list[PrfaqSection],
    readers: list[PrfaqReader],
    revisions: list[PrfaqRevision],
) -> dict[str, Any]:
    by_name = {s.section: s for s in sections}
    return {
        "id": prfaq.id,
        "team_id": prfaq.team_id,
        "channel_id": prfaq.channel_id,
        "idea": prfaq.idea,
        "author_id": prfaq.author_id,
        "written_by": prfaq.written_by,
        "shared_with": Circle(prfaq.circle).name.lower(),
        "decision_id": prfaq.decision_id,
        "created_at": iso(prfaq.created_at),
        "updated_at": iso(prfaq.updated_at),
        "answers": {name.value: prfaq.answers.get(name.value, "") for name, _, _ in QUESTIONS},
        "sections": {
            s.value: {
                "text": by_name[s.value].text,
                "version": by_name[s.value].version,
                "updated_by": by_name[s.value].updated_by,
                "updated_at": iso(by_name[s.value].updated_at),
            }
            for s in Section
            if s.value in by_name
        },
        "readers": [
            {
                "user_id": r.user_id,
                "circle": Circle(r.circle).name.lower(),
                "asked_at": iso(r.asked_at),
                "read_at": iso(r.read_at),
                "questions": r.questions,
            }
            for r in readers
        ],
        "history": [
            {
                "section": r.section,
                "version": r.version,
                "changed_by": r.changed_by,
                "changed_at": iso(r.changed_at),
                "note": r.note,
                "text": r.text,
            }
            for r in sorted(revisions, key=lambda r: (r.changed_at, r.id or 0))
        ],
    }


SIMPLE = ["id", "team_id", "channel_id", "idea", "author_id", "written_by", "shared_with",
          "decision_id", "created_at", "updated_at"]  # fmt: skip


COLUMNS = [*SIMPLE, *(s.value for s in Section), "read_by", "revisions"]


def _row(e: dict[str, Any]) -> dict[str, Any]:
    row = {key: e.get(key) for key in SIMPLE}
    for s in Section:
        row[s.value] = (e["sections"].get(s.value) or {}).get("text", "")
    row["read_by"] = " ".join(r["user_id"] for r in e["readers"] if r["read_at"])
    row["revisions"] = len(e["history"])
    return row


def _lines(text: str) -> list[str]:
    """Each line of a section its own paragraph: a question and its answer stay apart."""
    lines: list[str] = []
    for line in text.splitlines():
        if line.strip():
            lines += [md(line), ""]
    return lines[:-1]


def document(e: dict[str, Any], *, level: int = 2) -> list[str]:
    """One PR/FAQ as its document: the press release, then the FAQs, every line inert."""
    texts = {name: s["text"] for name, s in e["sections"].items()}
    h = "#" * level
    lines = [f"{h} {md(texts.get(Section.HEADING.value) or e['idea'])}", ""]
    for s in Section:
        if s is Section.HEADING or s.value not in texts:
            continue
        lines += [f"{h}# {md(s.spec.title)}", "", *_lines(texts[s.value]), ""]
    return lines


def _markdown(entries: list[dict[str, Any]]) -> str:
    lines = ["# PR/FAQs", ""]
    if not entries:
        lines.append("_No PR/FAQs yet._")
    for e in entries:
        decided = f" It is decision #{e['decision_id']}." if e["decision_id"] else ""
        lines += [
            f"PR/FAQ #{e['id']} by {md(e['author_id'])} in {md(e['channel_id'])}, "
            f"{when(e['created_at'])}; first draft by the {md(e['written_by'])}; "
            f"shared with {md(e['shared_with'].replace('_', ' '))}.{decided}",
            "",
            *document(e),
            "### The five answers",
            "",
        ]
        for name, question, _ in QUESTIONS:
            lines += [f"- **{md(question)}** {md(e['answers'].get(name.value) or '')}"]
        lines += ["", "### Readers", ""]
        for r in e["readers"]:
            read = f"read {when(r['read_at'])}" if r["read_at"] else "not read yet"
            asked = f", {r['questions']} question(s)" if r["questions"] else ""
            lines.append(f"- {md(r['user_id'])} ({md(r['circle'])}): {read}{asked}")
        if not e["readers"]:
            lines.append("- nobody asked yet")
        lines += ["", "### History", ""]
        for h in e["history"]:
            title = Section(h["section"]).spec.title if h["section"] in SECTIONS else h["section"]
            by = md(
                f"the {h['changed_by']}"
                if h["changed_by"] in (Writer.MODEL, Writer.TEMPLATE)
                else h["changed_by"]
            )
            note = f" ({md(h['note'])})" if h["note"] else ""
            lines.append(
                f"- {md(title)}, version {h['version']}: {by}, {when(h['changed_at'])}{note}"
            )
        lines.append("")
    return "\n".join(lines) + "\n"


SECTIONS = {s.value for s in Section}


def document_markdown(
    prfaq: Prfaq, sections: list[PrfaqSection], readers: list[PrfaqReader]
) -> str:
    """The document in the Markdown a canvas takes."""
    found = entry(prfaq, sections, readers, [])
    drop_control_characters(found)
    return "\n".join(document(found, level=1)) + "\n"


EXPORT = Export(collect=prfaqs, columns=COLUMNS, row=_row, markdown=_markdown)
