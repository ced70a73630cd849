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


STYLES = ("bold", "italic", "strike", "code")
RICH_MAX = 20_000  # characters of text a stored answer keeps, all leaves together
_LEAVES = ("text", "link", "user", "channel", "emoji")


def clean(rich: Any) -> dict[str, Any]:
    """A `rich_text` value rebuilt from what Slack's rich_text_input sends, and only that:
    sections, lists of sections (Slack nests by `indent`, never by list in list), quotes and
    preformatted blocks, of text, link, mention and emoji leaves with their known keys.
    Anything else is dropped, and the text is bounded, so what is stored can be shown again
    in the question's modal."""
    budget = [RICH_MAX]
    blocks = []
    for element in _items(rich.get("elements") if isinstance(rich, dict) else None):
        kind = element.get("type")
        if kind == "rich_text_list":
            items = [
                {"type": "rich_text_section", "elements": _leaves(item, budget)}
                for item in _items(element.get("elements"))
                if item.get("type") == "rich_text_section"
            ]
            indent = element.get("indent")
            block: dict[str, Any] = {
                "type": kind,
                "style": "ordered" if element.get("style") == "ordered" else "bullet",
                "elements": [item for item in items if item["elements"]],
            }
            if isinstance(indent, int) and not isinstance(indent, bool) and 0 < indent <= 8:
                block["indent"] = indent
            if block["elements"]:
                blocks.append(block)
        elif kind in ("rich_text_section", "rich_text_quote", "rich_text_preformatted"):
            leaves = _leaves(element, budget)
            if leaves:
                blocks.append({"type": kind, "elements": leaves})
    return {"type": "rich_text", "elements": blocks}


def _items(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _leaves(element: dict[str, Any], budget: list[int]) -> list[dict[str, Any]]:
    kept: list[dict[str, Any]] = []
    for leaf in _items(element.get("elements")):
        kind = leaf.get("type")
        if kind not in _LEAVES or budget[0] <= 0:
            continue
        if kind == "text":
            text = str(leaf.get("text") or "")[: budget[0]]
            budget[0] -= len(text)
            style = leaf.get("style")
            styled = {k: True for k in STYLES if isinstance(style, dict) and style.get(k) is True}
            kept.append({"type": "text", "text": text, **({"style": styled} if styled else {})})
        elif kind == "link":
            url, text = str(leaf.get("url") or "")[:1000], str(leaf.get("text") or "")[:500]
            budget[0] -= len(url) + len(text)
            kept.append({"type": "link", "url": url, **({"text": text} if text else {})})
        else:
            key = {"user": "user_id", "channel": "channel_id", "emoji": "name"}[str(kind)]
            kept.append({"type": kind, key: str(leaf.get(key) or "")[:64]})
    return kept


def rich_to_mrkdwn(rich: Any) -> str:
    """A `rich_text` value as mrkdwn, every piece of typed text escaped."""
    return "\n".join(_block(e) for e in clean(rich)["elements"]).strip()


def _block(element: dict[str, Any]) -> str:
    kind = element["type"]
    if kind == "rich_text_list":
        ordered = element.get("style") == "ordered"
        pad = "    " * int(element.get("indent") or 0)
        return "\n".join(
            f"{pad}{n}. {_line(item)}" if ordered else f"{pad}• {_line(item)}"
            for n, item in enumerate(element["elements"], 1)
        )
    if kind == "rich_text_preformatted":
        return "```" + "".join(_leaf(p, code=True) for p in element["elements"]) + "```"
    if kind == "rich_text_quote":
        return "\n".join("> " + line for line in _line(element).split("\n"))
    return _line(element)


def _line(section: dict[str, Any]) -> str:
    return "".join(_leaf(p) for p in section["elements"])


def _leaf(leaf: dict[str, Any], *, code: bool = False) -> str:
    kind = leaf["type"]
    if kind == "text":
        shown = t.escape(leaf["text"])
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
        url, label = leaf["url"], leaf.get("text") or ""
        if not url.startswith(("https://", "http://")) or any(c in url for c in "<>| "):
            return t.escape(label or url)  # not a web address: its words only
        if not label or label == url:
            return f"<{url}>"
        # The address is always shown: a label can't pass for another one.
        return f"{t.escape(label)} (<{url}>)"
    if kind == "user":
        return f"<@{_id(leaf.get('user_id'))}>"
    if kind == "channel":
        return f"<#{_id(leaf.get('channel_id'))}>"
    if kind == "emoji":
        name = str(leaf.get("name") or "")
        return f":{name}:" if name.replace("_", "").replace("-", "").isalnum() else ""
    return ""


def _id(value: Any) -> str:
    found = str(value or "")
    return found if found.isalnum() else "unknown"


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
