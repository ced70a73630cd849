"""Reading `/memo <link or title> [minutes]`: which memo, and for how long."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.slack import markup
from bot.slack.text import as_typed

DEFAULT_MINUTES = 20
MIN_MINUTES, MAX_MINUTES = 1, 240
TITLE_MAX = 300
URL_MAX = 2000

# A web address as Doorway will link it: nothing that could close or relabel Slack's `<…>`.
_URL = re.compile(r"https?://[^\s<>|\"]+", re.IGNORECASE)
# The minutes come last: `20`, `20m`, `20 min`, `20 minutes` (a sign is read, then refused).
_MINUTES = re.compile(r"(?:^|\s)([+-]?\d+)\s*(?:m|mins?|minutes?)?\s*$", re.IGNORECASE)

HELP_WORDS = {"help", "?", "-h", "--help"}
USAGE = (
    "Name the memo to read: `/memo &lt;link or title&gt; [minutes]`, for example "
    "`/memo https://docs.example.com/q3-plan 20` (20 minutes unless you say). "
    "`/memo help` says how a silent reading works."
)


@dataclass(frozen=True)
class Memo:
    title: str  # as typed, "" when only a link was given
    url: str | None
    minutes: int


def parse(raw: str) -> Memo | str:
    """The memo and the minutes in a command's text (as Slack sends it, escaped); or what
    to tell the person when it names no memo or an impossible length."""
    rest, url = _link(raw)
    rest = rest.strip()
    minutes = DEFAULT_MINUTES
    if found := _MINUTES.search(rest):
        number = found.group(1)
        minutes = int(number) if len(number) < 8 else MAX_MINUTES + 1
        rest = rest[: found.start()].strip()
        if not MIN_MINUTES <= minutes <= MAX_MINUTES:
            return (
                f":warning: A silent reading lasts from {MIN_MINUTES} to {MAX_MINUTES} minutes, "
                f"not {number}. If the number is part of the title, put the minutes after it: "
                f"`/memo Q3 plan 2026 20`."
            )
    if not rest and url is None:
        return USAGE
    return Memo(title=rest[:TITLE_MAX], url=url, minutes=minutes)


def _link(raw: str) -> tuple[str, str | None]:
    """The text without its first web address, and that address (as typed), if any.

    Slack sends a typed address as `<https://…>` (or `<https://…|label>`); one it did not
    wrap is found in the plain text.
    """
    kept: list[str] = []
    url: str | None = None
    for token in markup.tokens(raw):
        if url is None and isinstance(token, markup.Link) and token.is_url:
            target = markup.decode(token.target)
            if _URL.fullmatch(target) and len(target) <= URL_MAX:
                url = target
                continue
        kept.append(token.raw)
    text = as_typed("".join(kept))
    if url is None and (bare := _URL.search(text)) and len(bare.group(0)) <= URL_MAX:
        url = bare.group(0)
        text = text[: bare.start()] + text[bare.end() :]
    return text, url
