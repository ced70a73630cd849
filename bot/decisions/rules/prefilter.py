"""Which patterns can match a text at all, found without running them.

Hundreds of patterns run over decisions of up to 12,000 characters on the event loop. Most
can only match where a word starts with one of a few literals ("\\bdelet…", "\\bsupprim…"),
so the text's words are indexed once by their first letters: a pattern none of whose
leading literals is there is skipped, and one that may only start at a word is tried at
those words alone, not run over the whole text.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

# Words are indexed by their first PREFIX letters; longer leads are cut to that.
PREFIX = 6
# A pattern whose words start more often than this is run over the whole text instead.
MAX_TRIES = 400
_WORD = re.compile(r"\w+")
_SKIPPED = {sre.AT, sre.ASSERT, sre.ASSERT_NOT}
Lead = tuple[str, bool]  # the literal, and whether it starts a word (after a \b)


@dataclass(frozen=True)
class Filter:
    """A pattern's matches start with one of ``words`` at a word's start, or with one of
    ``anywhere`` anywhere."""

    words: frozenset[str]
    anywhere: tuple[str, ...]


def _class(items: Any) -> set[str] | None:
    """The characters a character class stands for, when it is digits or a few literals."""
    found: set[str] = set()
    for op, arg in items:
        if op is sre.LITERAL:
            found.add(chr(arg).lower())
        elif op is sre.CATEGORY and arg is sre.CATEGORY_DIGIT:
            found.update("0123456789")
        else:
            return None
    return found


def _leads(items: Any, anchored: bool = False) -> set[Lead] | None:
    """The literals every match of the parsed sequence ``items`` starts with, or None when
    some match may start otherwise (an optional part, a wide class)."""
    lead = ""
    for op, arg in items:
        if op in _SKIPPED and not lead:
            anchored = anchored or (op is sre.AT and arg is sre.AT_BOUNDARY)
            continue
        if op is sre.LITERAL:
            lead += chr(arg)
            continue
        if lead:
            break
        if op is sre.SUBPATTERN:
            return _leads(arg[-1], anchored)
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and arg[0] >= 1:
            return _leads(arg[2], anchored)
        if op is sre.IN:
            chars = _class(arg)
            return None if chars is None else {(c, anchored) for c in chars}
        if op is sre.BRANCH:
            found: set[Lead] = set()
            for branch in arg[1]:
                leads = _leads(branch, anchored)
                if leads is None:
                    return None
                found |= leads
            return found
        return None
    return {(lead.lower(), anchored)} if lead else None


def compile_filter(pattern: re.Pattern[str]) -> Filter | None:
    """What a match of ``pattern`` must start with, if that can be told from its source."""
    found = _leads(sre_parse.parse(pattern.pattern, pattern.flags))
    if not found:
        return None
    words, anywhere = set(), set()
    for lead, anchored in found:
        run = _WORD.match(lead)
        # A lead that starts a word is looked up by the word characters it begins with;
        # one that may start mid-word ("vertrag" in "Mietvertrag") or with "#" is searched.
        if anchored and run:
            words.add(run.group(0)[:PREFIX])
        else:
            anywhere.add(lead)
    return Filter(frozenset(words), tuple(sorted(anywhere)))


def word_starts(folded: str) -> dict[str, list[int]]:
    """Where the words of ``folded`` start, by their first one to PREFIX letters."""
    starts: dict[str, list[int]] = {}
    for match in _WORD.finditer(folded):
        word, at = match.group(0), match.start()
        for n in range(1, min(len(word), PREFIX) + 1):
            starts.setdefault(word[:n], []).append(at)
    return starts


def may_match(pattern_filter: Filter | None, folded: str, starts: dict[str, list[int]]) -> bool:
    if pattern_filter is None:
        return True
    return not pattern_filter.words.isdisjoint(starts) or any(
        s in folded for s in pattern_filter.anywhere
    )


def matches(
    pattern: re.Pattern[str],
    pattern_filter: Filter | None,
    folded: str,
    starts: dict[str, list[int]],
) -> Iterator[re.Match[str]]:
    """The matches of ``pattern`` in ``folded``, in order; tried only at the words its
    filter names when every match has to start at one of them."""
    if not may_match(pattern_filter, folded, starts):
        return
    if pattern_filter is None or pattern_filter.anywhere:
        yield from pattern.finditer(folded)
        return
    at = sorted({i for w in pattern_filter.words for i in starts.get(w, ())})
    if len(at) > MAX_TRIES:
        yield from pattern.finditer(folded)  # one scan in C beats many tries from Python
        return
    end = 0
    for i in at:
        if i < end:
            continue  # inside the last match, as finditer would skip it
        match = pattern.match(folded, i)
        if match is not None:
            end = max(match.end(), i + 1)
            yield match


def alternatives(source: str) -> list[str]:
    """``source`` split at its top-level ``|``: each alternative gets a filter of its own."""
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if source[i + 1 : i + 2] == "]":
                i += 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(source[start:i])
            start = i + 1
        i += 1
    parts.append(source[start:])
    return parts
