"""The PR/FAQ room's messages: the card (in the author's DM and, once shared, in the
channel), one message per section in the card's thread, the readers' DMs, and the modals
that show the whole document and its history.

Every piece of user or model text goes through `bot.slack.text.safe`.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any, TypedDict

from bot import dates
from bot.decisions.links import DECIDE_BUILD
from bot.slack import text as t
from bot.slack.views import modal
from handlers.prfaq.drafting import ONE_PAGE_WORDS, gaps_in, words_in_press_release
from handlers.prfaq.ids import Action, Block, Circle, Piece, Section, Writer
from storage.models import Prfaq, PrfaqReader, PrfaqRevision, PrfaqSection

HOME, CHANNEL = "home", "channel"  # where a card and its sections are posted
CARD = "card"
SECTION_SHOWN = 2900  # under Slack's 3,000 characters of a section
NAMES_SHOWN = 15
HISTORY_TEXT = 160


class Message(TypedDict):
    text: str
    blocks: list[dict[str, Any]]


def texts_of(sections: list[PrfaqSection]) -> dict[str, str]:
    return {s.section: s.text for s in sections}


def heading_of(prfaq: Prfaq, sections: list[PrfaqSection]) -> str:
    return texts_of(sections).get(Section.HEADING.value) or prfaq.idea


def body(section: Section, text: str) -> str:
    """A section's text as shown: escaped, a FAQ's questions in bold."""
    lines = []
    for line in text.splitlines():
        shown = t.safe(line, SECTION_SHOWN)
        if section in (Section.EXTERNAL_FAQ, Section.INTERNAL_FAQ) and line.startswith("Q:"):
            shown = f"*{shown.strip()}*" if shown.strip() else shown
        lines.append(shown)
    return t.cut("\n".join(lines), SECTION_SHOWN)


def who(by: str) -> str:
    """Who wrote a version: a person, or the first draft's writer."""
    if by == Writer.MODEL:
        return "the model"
    return "the template" if by == Writer.TEMPLATE else t.user(by)


def _people(user_ids: list[str]) -> str:
    shown = ", ".join(t.user(u) for u in user_ids[:NAMES_SHOWN])
    more = len(user_ids) - NAMES_SHOWN
    return shown + (f" and {more} more" if more > 0 else "")


def writer_line(prfaq: Prfaq) -> str:
    if prfaq.written_by == Writer.MODEL:
        return (
            ":robot_face: First draft written by the model from "
            f"{t.user(prfaq.author_id)}'s answers."
        )
    why = f" ({t.safe(prfaq.draft_note, 200)})" if prfaq.draft_note else ""
    return (
        f":memo: First draft made from Doorway's template{why}, from "
        f"{t.user(prfaq.author_id)}'s answers."
    )


def length_line(texts: dict[str, str]) -> str:
    words = words_in_press_release(texts)
    if words > ONE_PAGE_WORDS:
        return (
            f":warning: The press release runs to {words:,} words, past one page "
            f"(about {ONE_PAGE_WORDS}): cut it to one page."
        )
    return f"Press release: {words:,} words, within a page."


def circle_line(prfaq: Prfaq, readers: list[PrfaqReader]) -> str:
    circle = Circle(prfaq.circle)
    if circle is Circle.AUTHOR:
        return "*Shared with:* only its author so far."
    parts = []
    for c in (Circle.REVIEWERS, Circle.WIDER):
        asked = [r.user_id for r in readers if r.circle == c]
        if asked:
            parts.append(f"{c.label}: {_people(asked)}")
    if circle is Circle.CHANNEL:
        parts.append(f"the channel <#{prfaq.channel_id}>")
    return "*Shared with:* " + " · ".join(parts)


def read_line(readers: list[PrfaqReader]) -> str:
    asked = [r for r in readers if r.circle < Circle.CHANNEL]
    done = [r.user_id for r in readers if r.read_at is not None]
    if not done:
        return "*Read by:* nobody yet."
    of = f" ({len([r for r in asked if r.read_at])} of {len(asked)} asked)" if asked else ""
    return f"*Read by:* {_people(done)}{of}"


def card(
    prfaq: Prfaq, sections: list[PrfaqSection], readers: list[PrfaqReader], *, place: str
) -> Message:
    """The PR/FAQ as it stands. At home (the author's DM) it has the author's buttons; in
    the channel, the readers'."""
    texts = texts_of(sections)
    heading = heading_of(prfaq, sections)
    gaps = gaps_in(list(texts.values()))
    facts = [writer_line(prfaq), length_line(texts)]
    if gaps:
        facts.append(f":pencil2: {gaps} marked gap{'s' if gaps != 1 else ''} left to write.")
    blocks: list[dict[str, Any]] = [
        t.header(f"PR/FAQ: {heading}"),
        t.section(f"_{t.safe(texts.get(Section.SUBHEADING.value, ''), 600)}_"),
        t.context(*facts),
        t.section(circle_line(prfaq, readers) + "\n" + read_line(readers)),
    ]
    if prfaq.decision_id:
        blocks.append(t.section(f":door: *Do we build it?* is decision #{prfaq.decision_id}."))
    if prfaq.post_error and place == HOME:
        blocks.append(t.context(f":warning: {t.safe(prfaq.post_error, 300)}"))
    blocks.append(
        {
            "type": "actions",
            "block_id": f"{Block.CARD}:{prfaq.id}",
            "elements": _buttons(prfaq, place),
        }
    )
    blocks.append(t.context("The document is in this message's thread, section by section."))
    return {"text": t.fallback(f"PR/FAQ: {heading}"), "blocks": blocks}


def _buttons(prfaq: Prfaq, place: str) -> list[dict[str, Any]]:
    value = str(prfaq.id)
    read = t.button("Read it all", Action.READ, value)
    history = t.button("History", Action.HISTORY, value)
    if place == CHANNEL:
        return [
            t.button("I've read it", Action.DONE_READING, value, style="primary"),
            t.button("Ask a question", Action.ASK, value),
            read,
            history,
        ]
    buttons = []
    share = {
        Circle.AUTHOR: "Share with reviewers…",
        Circle.REVIEWERS: "Widen the circle…",
        Circle.WIDER: "Share in the channel…",
    }.get(Circle(prfaq.circle))
    if share:
        buttons.append(t.button(share, Action.SHARE, value, style="primary"))
    if prfaq.decision_id is None:
        buttons.append(t.button("Do we build it? (/door)", DECIDE_BUILD, value))
    return [*buttons, read, history]


def piece_message(prfaq: Prfaq, piece: Piece, sections: list[PrfaqSection]) -> Message:
    """One of the document's messages: each of its sections with its own *Revise*."""
    by_name = {s.section: s for s in sections}
    blocks: list[dict[str, Any]] = []
    for section in piece.sections:
        found = by_name.get(section.value)
        if found is None:
            continue
        blocks += [
            t.section(
                f"*{section.spec.title}*\n{body(section, found.text)}",
                block_id=f"{Block.SECTION}:{prfaq.id}:{section.value}",
                accessory=t.button("Revise", Action.REVISE, section.value),
            ),
            t.context(f"Version {found.version}, by {who(found.updated_by)}."),
        ]
    title = "Press release" if piece is Piece.PRESS_RELEASE else Section(piece.value).spec.title
    return {"text": t.fallback(f"{title}: {heading_of(prfaq, sections)}"), "blocks": blocks}


def ask_to_read(
    prfaq: Prfaq, sections: list[PrfaqSection], circle: Circle, *, read: bool = False
) -> Message:
    """A reviewer's DM: who asks, what it is, and their buttons (once read, without
    *I've read it*)."""
    texts = texts_of(sections)
    heading = t.safe(heading_of(prfaq, sections), 200)
    subheading = t.safe(texts.get(Section.SUBHEADING.value, ""), 600)
    return {
        "text": t.fallback(f"{t.user(prfaq.author_id)} asks you to read the PR/FAQ: {heading}"),
        "blocks": [
            t.section(
                f":newspaper: {t.user(prfaq.author_id)} asks you to read the PR/FAQ *{heading}* "
                f"(you are in {circle.label}).\n_{subheading}_"
            ),
            t.context(
                ":white_check_mark: You've read it: your questions are still welcome."
                if read
                else "Read the press release as a customer would. Your questions go into its "
                "internal FAQ, with your name in its history."
            ),
            reader_buttons(prfaq, read=read),
        ],
    }


def reader_buttons(prfaq: Prfaq, *, read: bool = False) -> dict[str, Any]:
    value = str(prfaq.id)
    done = (
        [t.button("I've read it", Action.DONE_READING, value, style="primary")] if not read else []
    )
    return {
        "type": "actions",
        "block_id": f"{Block.READER}:{prfaq.id}",
        "elements": [
            t.button("Read it", Action.READ, value),
            *done,
            t.button("Ask a question", Action.ASK, value),
        ],
    }


def notice(text: str) -> Message:
    """A DM that only says `text` (Doorway's words around already escaped user text)."""
    return {"text": t.fallback(text), "blocks": [t.section(text)]}


def document_view(prfaq: Prfaq, sections: list[PrfaqSection]) -> dict[str, Any]:
    """The whole document in a modal, as it reads now."""
    by_name = {s.section: s for s in sections}
    blocks: list[dict[str, Any]] = [t.header(heading_of(prfaq, sections))]
    for section in Section:
        found = by_name.get(section.value)
        if found is None or section is Section.HEADING:
            continue
        if section is Section.EXTERNAL_FAQ:
            blocks.append(t.divider())
        blocks.append(t.section(f"*{section.spec.title}*\n{body(section, found.text)}"))
    blocks.append(t.context(writer_line(prfaq)))
    return modal("prfaq_document", "PR/FAQ", blocks, submit=None, close="Close")


def history_view(revisions: list[PrfaqRevision], zone: tzinfo) -> dict[str, Any]:
    """Who changed what, when: newest first."""
    blocks: list[dict[str, Any]] = []
    for revision in revisions:
        try:
            title = Section(revision.section).spec.title
        except ValueError:
            continue
        note = f" ({t.safe(revision.note, 100)})" if revision.note else ""
        blocks.append(
            t.section(
                f"*{title}*, version {revision.version}: {who(revision.changed_by)}, "
                f"{dates.moment(revision.changed_at, zone)}{note}\n"
                f"> {t.safe(' '.join(revision.text.split()), HISTORY_TEXT)}"
            )
        )
    if not blocks:
        blocks.append(t.section("No changes yet."))
    return modal("prfaq_history", "History", blocks[:99], submit=None, close="Close")
