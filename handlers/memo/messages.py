"""The silent-reading room's messages: the reading's card, the reveal in its thread, and
the private confirmation of a comment. Every piece of user text (the title, a comment,
a section's name) goes through `bot.slack.text.safe`; the link is shown only once it
is a plain web address (handlers/memo/parse.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import Any, TypedDict

from bot import dates
from bot.slack import text as t
from handlers.memo.ids import Action, Block, Kind
from storage.models import MemoComment, MemoEnd, MemoReader, MemoSession, MemoState

GENERAL = "General"
COMMENT_SHOWN = 2600  # a comment, escaped, within a section's 3,000 with its line
PAGE_SECTION = 2900  # under Slack's 3,000 characters of a section
PAGE_BLOCKS = 45  # under Slack's 50 blocks of a message

HELP = (
    "*Silent reading*: `/memo &lt;link or title&gt; [minutes]` (20 minutes unless you say, up to "
    "240) starts the six-page memo's silent read in this channel. Everyone reads in silence: "
    "press *I'm reading*, then *I've finished*. Comments and questions go to Doorway with "
    "*Comment privately*: *nobody* sees them (not the channel, not the other readers, not "
    "the owner) until the reading ends, when time is up or everyone reading has finished. "
    "Then Doorway posts them all at once in the reading's thread, grouped by the section "
    "they are about, and the discussion starts. Whoever started it can *Extend* it or "
    "*End now*."
)


class Message(TypedDict):
    text: str
    blocks: list[dict[str, Any]]


def notice(text: str) -> Message:
    """A message in Doorway's own words (user text in it already made safe)."""
    return {"text": t.readable(text), "blocks": [t.section(text)]}


def memo_line(session: MemoSession) -> str:
    """The memo as the card names it: its title (escaped) and its link."""
    title = f"*{t.safe(session.title, 300)}*" if session.title.strip() else ""
    link = f"<{t.escape(session.url)}>" if session.url else ""
    return "\n".join(part for part in (title, link) if part)


def memo_name(session: MemoSession) -> str:
    """The memo in a sentence: its title, else its address (never a live link)."""
    return t.safe(session.title or session.url or "the memo", 200)


def until(moment: datetime, zone: tzinfo) -> str:
    """When the reading ends, in each reader's own zone (the owner's, if Slack can't)."""
    fallback = dates.moment(moment, zone)
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} at {{time}}|{fallback}>"


def counts(readers: Sequence[MemoReader]) -> str:
    """`2 of 3 read to the end`."""
    if not readers:
        return "nobody said they were reading"
    finished = sum(r.finished_at is not None for r in readers)
    return f"{finished} of {len(readers)} read to the end"


def _reason(session: MemoSession) -> str:
    if session.ended_reason == MemoEnd.ALL_FINISHED:
        return "everyone reading has finished"
    if session.ended_reason == MemoEnd.OWNER:
        return f"{t.user(session.ended_by or session.owner_id)} ended it"
    return "time is up"


def card(session: MemoSession, readers: Sequence[MemoReader], *, zone: tzinfo) -> Message:
    """The reading's message in the channel, as the reading stands now."""
    assert session.id is not None
    number = str(session.id)
    finished = sum(r.finished_at is not None for r in readers)
    started = f"Started by {t.user(session.owner_id)}"
    if session.state == MemoState.READING:
        blocks = [
            t.header(":memo: Silent reading"),
            t.section(memo_line(session)),
            t.section(
                f":hourglass_flowing_sand: Reading until *{until(session.ends_at, zone)}*. "
                "Read in silence. Send comments and questions with *Comment privately*: "
                "nobody sees them until the reading ends, when they are posted all at once "
                "in this thread."
            ),
            t.context(f"{started} · {len(readers)} reading · {finished} finished"),
            {
                "type": "actions",
                "block_id": f"{Block.READERS}:{number}",
                "elements": [
                    t.button("I'm reading", Action.READING, number, style="primary"),
                    t.button("I've finished", Action.FINISHED, number),
                    t.button("Comment privately", Action.COMMENT, number),
                ],
            },
            {
                "type": "actions",
                "block_id": f"{Block.OWNER}:{number}",
                "elements": [
                    t.button("Extend +5 min", Action.EXTEND_5, number),
                    t.button("Extend +10 min", Action.EXTEND_10, number),
                    t.button("End now", Action.END_NOW, number, style="danger"),
                ],
            },
            t.context(f"Only {t.user(session.owner_id)}, who started it, extends or ends it."),
        ]
        text = f"Silent reading of {memo_name(session)} until {dates.moment(session.ends_at, zone)}"
        return {"text": t.fallback(t.readable(text)), "blocks": blocks}
    if session.state == MemoState.REVEALED:
        over = (
            f":checkered_flag: The reading is over ({_reason(session)}): "
            f"*{counts(readers)}*. What was sent is in this message's thread, "
            "where the discussion has started."
        )
    else:
        over = (
            f":checkered_flag: The reading is over ({_reason(session)}): "
            f"*{counts(readers)}*. Its comments are being posted in the thread."
        )
    blocks = [
        t.header(":memo: Silent reading: over"),
        t.section(memo_line(session)),
        t.section(over),
        t.context(started),
    ]
    return {"text": t.fallback(t.readable(f"Silent reading of {memo_name(session)}: over")),
            "blocks": blocks}  # fmt: skip


def _key(section: str | None) -> str:
    return " ".join((section or "").split()).casefold()


def grouped(comments: Sequence[MemoComment]) -> list[tuple[str, list[MemoComment]]]:
    """The comments by the section they name, in the order sections first came up
    (spelling and case aside), the ones naming none last, as General."""
    groups: dict[str, tuple[str, list[MemoComment]]] = {}
    for comment in comments:
        key = _key(comment.section)
        name = " ".join((comment.section or "").split()) or GENERAL
        groups.setdefault(key, (name, []))[1].append(comment)
    general = groups.pop("", None)
    return [*groups.values(), *([general] if general else [])]


def _line(comment: MemoComment) -> str:
    what = "*Question:* " if comment.kind == Kind.QUESTION else ""
    return f"• {what}{t.safe(comment.text, COMMENT_SHOWN)} — {t.user(comment.user_id)}"


def said(comments: Sequence[MemoComment]) -> str:
    """How many comments the reveal holds, as a sentence."""
    questions = sum(c.kind == Kind.QUESTION for c in comments)
    if not comments:
        return "No comments or questions were sent."
    if len(comments) == 1:
        return f"Here is the one {'question' if questions else 'comment'} sent."
    asked = (
        ""
        if not questions
        else " (all of them questions)"
        if questions == len(comments)
        else " (one of them a question)"
        if questions == 1
        else f" ({questions} of them questions)"
    )
    return f"Here are the {len(comments)} comments{asked}, all at once."


def reveal(
    session: MemoSession, readers: Sequence[MemoReader], comments: Sequence[MemoComment]
) -> list[Message]:
    """Every comment at once, by section, as one or more messages for the thread."""
    opening = (
        f":speech_balloon: *The reading is over* ({_reason(session)}): "
        f"*{counts(readers)}*. {said(comments)} "
        "*The discussion starts now*: reply in this thread."
    )
    texts = [opening]
    for name, items in grouped(comments):
        lines = [f"*{t.safe(name, 200)}*"] + [_line(c) for c in items]
        chunk = ""
        for line in lines:
            if chunk and len(chunk) + 1 + len(line) > PAGE_SECTION:
                texts.append(chunk)
                chunk = ""
            chunk = f"{chunk}\n{line}" if chunk else line
        texts.append(chunk)
    pages: list[Message] = []
    for start in range(0, len(texts), PAGE_BLOCKS):
        blocks = [t.section(text) for text in texts[start : start + PAGE_BLOCKS]]
        fallback = f"The comments on {memo_name(session)}" + (
            f" (part {start // PAGE_BLOCKS + 1})" if len(texts) > PAGE_BLOCKS else ""
        )
        pages.append({"text": t.fallback(t.readable(fallback)), "blocks": blocks})
    return pages


def received(session: MemoSession, comment: MemoComment, *, zone: tzinfo) -> Message:
    """What the commenter alone sees: their own words back, and when they will be shown."""
    what = "question" if comment.kind == Kind.QUESTION else "comment"
    about = f" on *{t.safe(comment.section, 200)}*" if (comment.section or "").strip() else ""
    text = (
        f":lock: Only you can see this. Doorway keeps your {what}{about} private until the "
        f"reading ends ({until(session.ends_at, zone)}), then posts it with the others in "
        "the reading's thread:"
    )
    return {
        "text": f"Your {what} is kept private until the reading ends.",
        "blocks": [t.section(text), t.section(_quoted(comment.text))],
    }


def _quoted(text: str) -> str:
    return ">" + t.safe(text, COMMENT_SHOWN).replace("\n", "\n>")
