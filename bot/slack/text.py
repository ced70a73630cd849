"""User text on its way back to Slack: escaped for mrkdwn and cut to Block Kit's limits.

Escaping `&`, `<` and `>` is what stops `<!channel>`, `<@U…>` and `<https://x|y>` typed by
a person from pinging anyone or rendering a disguised link when Doorway repeats it.
"""

from __future__ import annotations

import re
from typing import Any

from bot.slack import markup

# `&` not already starting one of Slack's three entities (Slack sends typed text pre-escaped).
_BARE_AMP = re.compile(r"&(?!(?:amp|lt|gt);)")

SECTION_TEXT = 3000
HEADER_TEXT = 150
BUTTON_TEXT = 75
CONTEXT_TEXT = 3000
OPTION_TEXT = 75
FALLBACK_TEXT = 4000
PLAIN_INPUT = 3000
ELLIPSIS = "…"


# Control characters but tab and the line breaks (C0, DEL and C1 but NEL): nobody types them,
# PostgreSQL refuses NUL in a text column, and an escape sequence in a stored decision (ESC,
# or C1's single-byte CSI) would reach an operator's terminal through `doorway export`.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f]")


def printable(text: str) -> str:
    """`text` without the control characters it may carry, tab and newline kept."""
    return _CONTROL.sub("", text)


def drop_control_characters(body: dict[str, Any] | list[Any]) -> bool:
    """Make every string in `body` printable, in place; whether any had to change.

    All of it, not only what people type: a signed request can put a NUL in an id or in a
    modal's metadata as well, and PostgreSQL refuses it in whichever column it reaches.
    """
    changed = False
    pending: list[Any] = [body]  # the dicts and lists still to look through
    while pending:  # not recursive: a body may be nested as deep as the JSON parser goes
        node = pending.pop()
        keys = node.keys() if isinstance(node, dict) else range(len(node))
        for key in keys:
            value = node[key]
            if isinstance(value, str):
                if (clean := printable(value)) != value:
                    node[key] = clean
                    changed = True
            elif isinstance(value, dict | list):
                pending.append(value)
    return changed


def as_typed(text: str) -> str:
    """Slash-command text as the person typed it: Slack escapes `&`, `<` and `>` in it."""
    return markup.decode(text)


def escape(text: str) -> str:
    """Escape the three characters Slack treats as control sequences in mrkdwn.

    Entities Slack already escaped (`&amp;`, `&lt;`, `&gt;`) are kept, so text arriving from
    Slack is not shown double-escaped; nothing that could open a `<…>` sequence survives.
    """
    return _BARE_AMP.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")


def readable(text: str) -> str:
    """Slack markup turned into what a person would read: `@alice`, `#general`, `@here`,
    `label (https://x)`. Shown back as plain words, it neither pings nor disguises a link;
    entities and any other `<…>` are left for `escape`."""
    if "<" not in text:  # no markup: nothing to read differently (most text, in a digest)
        return text
    return "".join(_plainly(token) for token in markup.tokens(text))


def _plainly(token: markup.Token) -> str:
    if isinstance(token, markup.Link):
        if not token.is_url:
            return token.raw
        url, label = token.target, token.label
        return f"{label} ({url})" if label and label != url else url
    if isinstance(token, markup.User | markup.Channel | markup.Special):
        name = (token.label or token.target[1:].split("^", 1)[0]).lstrip("@#")
        return f"#{name}" if isinstance(token, markup.Channel) else f"@{name}"
    return token.raw


def cut(text: str, limit: int) -> str:
    """Shorten to at most `limit` characters, marking the cut, never splitting an escape."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    amp = head.rfind("&")
    if amp != -1 and ";" not in head[amp:]:
        head = head[:amp]
    return head.rstrip() + ELLIPSIS


def safe(text: str | None, limit: int = SECTION_TEXT) -> str:
    """Readable, escaped and cut: the only form in which user text enters a block."""
    return cut(escape(readable(text or "")), limit)


def plain(text: str | None, limit: int) -> str:
    """For plain_text fields: Slack renders them literally, so only length matters."""
    return cut((text or "").strip() or "—", limit)


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def plain_text(text: str, limit: int = SECTION_TEXT) -> dict[str, Any]:
    return {"type": "plain_text", "text": plain(text, limit), "emoji": True}


def section(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "section", "text": mrkdwn(cut(text, SECTION_TEXT)), **extra}


def context(*texts: str) -> dict[str, Any]:
    return {"type": "context", "elements": [mrkdwn(cut(t, CONTEXT_TEXT)) for t in texts[:10]]}


def header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": plain_text(text, HEADER_TEXT)}


def divider() -> dict[str, Any]:
    return {"type": "divider"}


def button(text: str, action_id: str, value: str, *, style: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "text": plain_text(text, BUTTON_TEXT),
        "action_id": action_id,
        "value": value,
    }
    if style:
        element["style"] = style
    return element


def is_link(url: str | None) -> bool:
    """Whether `url` (one Slack gave, a permalink) can stand in `<url|label>` as it is."""
    return bool(url) and str(url).startswith("https://") and not set("<>| \n") & set(str(url))


def fallback(text: str) -> str:
    """The notification/fallback `text` of a message: escaped, within Slack's limit."""
    return safe(text, FALLBACK_TEXT)


def user(user_id: str) -> str:
    """A mention of a person by id. Ids come from Slack, never from typed text."""
    return f"<@{user_id}>" if user_id.isalnum() else safe(user_id)
