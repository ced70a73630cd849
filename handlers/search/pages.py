"""A page of a search, as a *Next* or *Previous* button carries it, and read back.

The value is the search as it was understood (filters resolved: the owner's id, the
`since` day) and where it was run, so a later page means what the first one did. It comes
back from Slack as anything a signed request can hold, so every field is checked again,
and the listener checks that it is pressed in the workspace and channel it names.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from handlers.search.parse import DOORS, MAX_WORDS, USER_ID, WORD_MAX, Query

PAGE_SIZE = 10
MAX_OFFSET = 10_000  # a hundred pages back: nobody presses Next that often
VALUE_MAX = 2000  # Slack's limit on a button's value
ID_MAX = 32


class Forged(ValueError):
    """The button's value is not one Doorway wrote."""


@dataclass(frozen=True)
class Page:
    team_id: str
    channel_id: str  # where it was run: a channel, or a DM (the person's own decisions)
    user_id: str  # who ran it
    query: Query
    offset: int = 0

    @property
    def own(self) -> bool:
        """Run in a DM: the person's own decisions, from wherever they may see them."""
        return self.channel_id.startswith("D")


def encode(page: Page) -> str:
    q = page.query
    value = {
        "t": page.team_id,
        "c": page.channel_id,
        "u": page.user_id,
        "w": list(q.words),
        "d": q.door,
        "o": q.owner_id,
        "s": None if q.closed is None else q.closed,
        "f": q.since.isoformat() if q.since else None,
        "n": page.offset,
    }
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    if len(text) > VALUE_MAX:  # the parse caps words, so only a bug gets here
        raise ValueError("a page's search does not fit in a button")
    return text


def decode(value: str) -> Page:
    """The page a button's value names; Forged if it is not one `encode` could write."""
    try:
        raw = json.loads(value)
    except (ValueError, RecursionError):
        raise Forged("not JSON") from None
    if not isinstance(raw, dict):
        raise Forged("not an object")
    team, channel, user = (_id(raw.get(k)) for k in ("t", "c", "u"))
    words = raw.get("w")
    if not (
        isinstance(words, list)
        and len(words) <= MAX_WORDS
        and all(isinstance(w, str) and 0 < len(w) <= WORD_MAX for w in words)
    ):
        raise Forged("words")
    door = raw.get("d")
    if door is not None and door not in DOORS:
        raise Forged("door")
    owner = raw.get("o")
    if owner is not None and not (isinstance(owner, str) and USER_ID.fullmatch(owner)):
        raise Forged("owner")
    closed = raw.get("s")
    if closed is not None and not isinstance(closed, bool):
        raise Forged("status")
    since = raw.get("f")
    try:
        day = date.fromisoformat(since) if since is not None else None
    except (TypeError, ValueError):
        raise Forged("since") from None
    offset = raw.get("n")
    if not (
        isinstance(offset, int)
        and not isinstance(offset, bool)
        and 0 <= offset <= MAX_OFFSET
        and offset % PAGE_SIZE == 0
    ):
        raise Forged("offset")
    query = Query(words=tuple(words), door=door, owner_id=owner, closed=closed, since=day)
    return Page(team_id=team, channel_id=channel, user_id=user, query=query, offset=offset)


def _id(value: Any) -> str:
    if not (isinstance(value, str) and 0 < len(value) <= ID_MAX and value.isalnum()):
        raise Forged("id")
    return value
