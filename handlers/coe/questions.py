"""The seven questions of a Correction of Error, and what an answer to each must hold.

Pure: no Slack, no database. Rich text (Slack's `rich_text_input`) is kept as written and
shown as escaped mrkdwn, so formatting and links survive and nothing typed can ping or
disguise a link.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.slack import text as t

MAX_WHYS = 5
MAX_CHAINS = 5
ANSWER_MAX = 6000


class Question(StrEnum):
    WHAT_HAPPENED = "what_happened"
    IMPACT = "impact"
    ROOT_CAUSE = "root_cause"
    DATA = "data"
    IMPLICATIONS = "implications"
    LESSONS = "lessons"
    ACTIONS = "actions"  # answered by the corrective actions themselves

    @property
    def spec(self) -> Spec:
        return SPECS[self]


@dataclass(frozen=True)
class Spec:
    title: str  # as the menu and the document show it
    prompt: str  # the modal's label
    hint: str


SPECS = {
    Question.WHAT_HAPPENED: Spec(
        "What happened",
        "What happened, in order?",
        "A timeline: when it started, when it was noticed, what was done, when it ended.",
    ),
    Question.IMPACT: Spec(
        "Impact on customers and the business",
        "What did customers and the business see?",
        "Numbers: how many customers, for how long, what it cost.",
    ),
    Question.ROOT_CAUSE: Spec(
        "Root cause (five whys)",
        "The root cause, in a sentence",
        "Then ask why, and why again, until the answer is a mechanism, not a person.",
    ),
    Question.DATA: Spec(
        "What data supports it",
        "What data supports this?",
        "Graphs, logs, queries: link them.",
    ),
    Question.IMPLICATIONS: Spec(
        "Critical implications, security especially",
        "What are the critical implications, security especially?",
        "This one can't be skipped: if there are none, write 'none'.",
    ),
    Question.LESSONS: Spec(
        "Lessons learned",
        "What did we learn?",
        "What would we do differently, and what worked?",
    ),
    Question.ACTIONS: Spec(
        "Corrective actions",
        "Corrective actions",
        "Each with one owner and a due date.",
    ),
}

WRITTEN = tuple(q for q in Question if q is not Question.ACTIONS)  # answered in a modal
BLAMELESS = (
    ":information_source: Blameless: write about mechanisms, not people. "
    "Ask what made the mistake possible, not who made it."
)


def rich_to_mrkdwn(rich: dict[str, Any] | None) -> str:
    """A `rich_text` value as mrkdwn, every piece of typed text escaped."""
    if not isinstance(rich, dict):
        return ""
    return "\n".join(_block(e) for e in rich.get("elements") or [] if isinstance(e, dict)).strip()


def _block(element: dict[str, Any]) -> str:
    kind = element.get("type")
    parts = [p for p in element.get("elements") or [] if isinstance(p, dict)]
    if kind == "rich_text_list":
        ordered = element.get("style") == "ordered"
        return "\n".join(
            f"{n}. {_block(p)}" if ordered else f"• {_block(p)}" for n, p in enumerate(parts, 1)
        )
    if kind == "rich_text_preformatted":
        return "```" + "".join(_leaf(p, code=True) for p in parts) + "```"
    if kind == "rich_text_quote":
        return "\n".join("> " + line for line in "".join(_leaf(p) for p in parts).split("\n"))
    return "".join(_leaf(p) for p in parts)


def _leaf(leaf: dict[str, Any], *, code: bool = False) -> str:
    kind = leaf.get("type")
    if kind == "text":
        shown = t.escape(str(leaf.get("text") or ""))
        style = leaf.get("style") or {}
        if code or not shown.strip():
            return shown
        if style.get("code"):
            shown = f"`{shown}`"
        if style.get("bold"):
            shown = f"*{shown}*"
        if style.get("italic"):
            shown = f"_{shown}_"
        if style.get("strike"):
            shown = f"~{shown}~"
        return shown
    if kind == "link":
        url = str(leaf.get("url") or "")
        label = t.escape(str(leaf.get("text") or url))
        if url.startswith(("https://", "http://")) and not any(c in url for c in "<>| "):
            return f"<{url}|{label}>" if label != url else f"<{url}>"
        return label
    if kind == "user":
        return f"<@{_id(leaf.get('user_id'))}>"
    if kind == "channel":
        return f"<#{_id(leaf.get('channel_id'))}>"
    if kind == "emoji":
        name = str(leaf.get("name") or "")
        return f":{name}:" if name.replace("_", "").replace("-", "").isalnum() else ""
    return ""  # broadcasts (@here, @channel) and anything new are not repeated


def _id(value: Any) -> str:
    found = str(value or "")
    return found if found.isalnum() else "unknown"


def plain_words(rich: dict[str, Any] | None) -> str:
    """What a rich text value says, with no markup (to tell an empty answer)."""
    return t.readable(rich_to_mrkdwn(rich)).strip()


def whys_of(values: list[str]) -> list[str] | str:
    """A five-whys chain from its fields; or what's wrong (a gap in the chain)."""
    kept = [v.strip() for v in values]
    while kept and not kept[-1]:
        kept.pop()
    if not kept:
        return "Answer at least the first why."
    if any(not v for v in kept):
        return "Answer each why in turn: leave no gap before the next."
    return kept
