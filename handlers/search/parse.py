"""Reading `/decisions [words] [one-way|two-way] [@owner] [open|closed] [since DATE]`. Pure.

Words are read from Slack's markup (bot.slack.markup), so a mention that arrives as
`<@U123|alice>` (commands escape their text) is a person, and `&lt;` typed is `<`.
Whatever is not a filter is a search word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.slack import markup
from bot.slack.text import safe

HELP_WORDS = {"help", "?", "-h", "--help"}
DOORS = {
    "one_way": ("one-way", "oneway", "one_way", "1-way", "irreversible"),
    "two_way": ("two-way", "twoway", "two_way", "2-way", "reversible"),
}
_DOOR_OF = {word: door for door, words in DOORS.items() for word in words}
_DOOR_WORDS = {"door", "doors"}  # "one-way door": the filter says it already
STATUS = {"open": False, "closed": True}
MAX_WORDS = 8
WORD_MAX = 100
QUERY_MAX = 500  # characters of command text, mentions as Slack writes them included
WORD_SHOWN = 40
USER_ID = re.compile(r"[UW][A-Z0-9]{1,30}")
_SPAN = re.compile(r"^(\d{1,3})\s*(d|day|days|w|wk|wks|week|weeks)$")
_QUOTED = re.compile(r"[\"“”]([^\"“”]*)[\"“”]|(\S+)")


class UsageError(ValueError):
    """The command could not be read; the message says which part, and how to write it."""


@dataclass(frozen=True)
class Query:
    words: tuple[str, ...] = ()
    door: str | None = None
    owner_id: str | None = None
    owner_name: str | None = None  # typed as `@name`: to be looked up
    closed: bool | None = None
    since: date | None = None
    help: bool = False

    @property
    def filtered(self) -> bool:
        return bool(self.words or self.door or self.owner_id or self.closed is not None)


def parse(text: str, *, today: date) -> Query:
    """The query in `text` (a slash command's text, as Slack sends it); `today` is the
    person's own day, for `since 7d`."""
    if len(text) > QUERY_MAX:
        raise UsageError(f"That's a long search: keep it under {QUERY_MAX} characters.")
    owners: list[str] = []
    plain: list[str] = []
    for token in markup.tokens(text):
        if isinstance(token, markup.User) and USER_ID.fullmatch(token.id):
            owners.append(token.id)
            plain.append(" ")
        elif isinstance(token, markup.Entity):
            plain.append(token.char)
        elif isinstance(token, markup.Text):
            plain.append(token.raw)
        else:  # a channel, a link: searched for as the words a person reads
            plain.append(" " + (token.label or token.target).lstrip("#@!") + " ")
    words = [
        m.group(1) if m.group(1) is not None else m.group(2)
        for m in _QUOTED.finditer("".join(plain))
    ]
    words = [w.strip() for w in words if w.strip()]
    if len(words) == 1 and words[0].lower() in HELP_WORDS and not owners:
        return Query(help=True)
    door: str | None = None
    closed: bool | None = None
    since: date | None = None
    owner_name: str | None = None
    search: list[str] = []
    i = 0
    while i < len(words):
        word, lower = words[i], words[i].lower()
        pair = f"{lower}-{words[i + 1].lower()}" if i + 1 < len(words) else ""
        if lower in _DOOR_OF or pair in _DOOR_OF:
            found = _DOOR_OF.get(lower) or _DOOR_OF[pair]
            if door is not None and door != found:
                raise UsageError("Pick one door: `one-way` or `two-way`, not both.")
            door = found
            i += 1 if lower in _DOOR_OF else 2
            if i < len(words) and words[i].lower() in _DOOR_WORDS:
                i += 1
            continue
        if lower in STATUS:
            if closed is not None and closed != STATUS[lower]:
                raise UsageError("Pick one: `open` or `closed` (leave both out for either).")
            closed = STATUS[lower]
            i += 1
            continue
        if lower == "since":
            since, used = read_since(words[i + 1 : i + 4], today=today)
            i += 1 + used
            continue
        if word.startswith("@") and len(word) > 1:
            if owner_name is not None:
                raise UsageError("Name one owner: a decision has one.")
            owner_name = word[1:]
            i += 1
            continue
        search.append(word)
        i += 1
    if len(set(owners)) > 1 or (owners and owner_name):
        raise UsageError("Name one owner: a decision has one.")
    if len(search) > MAX_WORDS:
        raise UsageError(f"Up to {MAX_WORDS} search words, please.")
    if any(len(w) > WORD_MAX for w in search):
        raise UsageError(f"Keep each search word under {WORD_MAX} characters.")
    return Query(
        words=tuple(dict.fromkeys(w.lower() for w in search)),
        door=door,
        owner_id=owners[0] if owners else None,
        owner_name=owner_name,
        closed=closed,
        since=since,
    )


SINCE_EXAMPLES = "`since 2026-11-01`, `since 7d`, `since 2 weeks` or `since last week`"


def read_since(after: list[str], *, today: date) -> tuple[date, int]:
    """The day `since …` names, from the words after it, and how many words it took."""
    if not after:
        raise UsageError(f"`since` needs a date after it: {SINCE_EXAMPLES}.")
    first = after[0].lower()
    two = " ".join(w.lower() for w in after[:2])
    three = " ".join(w.lower() for w in after[:3])
    relative = {
        "today": today,
        "yesterday": today - timedelta(days=1),
        "last week": today - timedelta(days=7),
        "this week": today - timedelta(days=today.weekday()),
        "last month": _months_before(today, 1),
        "this month": today.replace(day=1),
        "last year": _months_before(today, 12),
    }
    for words, used in ((three, 3), (two, 2), (first, 1)):
        if words in relative:
            return _not_future(relative[words], today), used
        span = _SPAN.match(words.removesuffix(" ago"))
        if span:
            count, unit = int(span.group(1)), span.group(2)
            days = count * (7 if unit.startswith("w") else 1)
            return today - timedelta(days=days), used
    try:
        day = date.fromisoformat(first)
    except ValueError:
        raise UsageError(
            f"I can't read {quoted(after[0])} as a date: try {SINCE_EXAMPLES}."
        ) from None
    return _not_future(day, today), 1


def _not_future(day: date, today: date) -> date:
    if day > today:
        raise UsageError(f"{day.isoformat()} hasn't come yet: `since` takes a day up to today.")
    return day


def _months_before(day: date, months: int) -> date:
    month = day.month - 1 - months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a 28th")


def quoted(word: str) -> str:
    """The person's word, shown back in code style, escaped."""
    shown = safe(word, WORD_SHOWN).replace("`", "'")
    return f"`{shown}`"
