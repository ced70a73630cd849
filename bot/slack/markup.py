"""Slack's markup, read in one place: `tokens(text)` splits mrkdwn into typed pieces.

Slack writes mentions, channels, special mentions and links as `<…>` sequences — `<@U1|alice>`,
`<#C1|general>`, `<!here>`, `<!subteam^S1|@eng>`, `<https://x|label>` — and sends `&`, `<`
and `>` typed by a person as `&amp;`, `&lt;` and `&gt;`. Both are read in one pass, so an
entity is never decoded twice (`&amp;lt;` was typed as `&lt;`) and text a person typed is
never taken for markup. Slack's sequences never span a line, so none is read across one.

Everything that reads Slack text (what it shows back, what the console prints, what the rules
read, who a /commit names) walks these tokens; writing markup is bot.slack.text's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">"}
_TOKEN = re.compile(r"<([^<>\n]*)>|&(?:amp|lt|gt);")
_ENTITY = re.compile(r"&(?:amp|lt|gt);")
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:")
BROADCASTS = ("channel", "here", "everyone")


@dataclass(frozen=True)
class Text:
    """Plain text between tokens, as it came (`&` alone stays `&`)."""

    raw: str


@dataclass(frozen=True)
class Entity:
    """`&amp;`, `&lt;` or `&gt;`: one escaped character."""

    raw: str

    @property
    def char(self) -> str:
        return ENTITIES[self.raw]


@dataclass(frozen=True)
class Control:
    """One `<target|label>` sequence; `label` is None without a `|`, and stays escaped."""

    raw: str
    target: str
    label: str | None


@dataclass(frozen=True)
class User(Control):
    """`<@U1>` or `<@U1|alice>`."""

    @property
    def id(self) -> str:
        return self.target[1:]


@dataclass(frozen=True)
class Channel(Control):
    """`<#C1>` or `<#C1|general>`."""

    @property
    def id(self) -> str:
        return self.target[1:]


@dataclass(frozen=True)
class Special(Control):
    """`<!here>`, `<!subteam^S1|@eng>`, `<!date^1700000000^{date}|Nov 14>` …"""

    @property
    def keyword(self) -> str:
        """What follows the `!`: `here`, `subteam^S1`, `date^…`."""
        return self.target[1:]

    @property
    def name(self) -> str:
        """The keyword up to its first `^`: `here`, `subteam`, `date`."""
        return self.keyword.split("^", 1)[0]

    @property
    def broadcast(self) -> bool:
        """`@channel`, `@here` or `@everyone`: a mention that pings a whole room."""
        return self.keyword.startswith(BROADCASTS)


@dataclass(frozen=True)
class Link(Control):
    """`<https://x>`, `<https://x|label>`, or any other `<…>` (then not `is_url`)."""

    @property
    def is_url(self) -> bool:
        return _SCHEME.match(self.target) is not None


Token = Text | Entity | User | Channel | Special | Link
_KINDS: dict[str, type[User | Channel | Special]] = {"@": User, "#": Channel, "!": Special}


def tokens(text: str) -> Iterator[Token]:
    """`text` as plain text, entities and `<…>` sequences, in order; joined raws give it back."""
    end = 0
    for match in _TOKEN.finditer(text):
        if match.start() > end:
            yield Text(text[end : match.start()])
        end = match.end()
        inner = match.group(1)
        if inner is None:
            yield Entity(match.group(0))
            continue
        target, bar, label = inner.partition("|")
        kind = _KINDS.get(target[:1], Link)
        yield kind(match.group(0), target, label if bar else None)
    if end < len(text):
        yield Text(text[end:])


def decode(text: str) -> str:
    """Slack's three entities decoded, in one pass: the text as the person typed it."""
    return _ENTITY.sub(lambda m: ENTITIES[m.group(0)], text)
