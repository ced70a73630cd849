"""Whether a decision is written in a language the built-in rules read.

Cheap on purpose: the share of its letters in the Latin script, and how many of its
words are function words ("the", "und", "pour", "não"…) of a language the lexicons cover,
against those of a few common languages they don't (Italian, Dutch, Polish…). A decision
in Italian or Japanese gets a card that says the door is a guess, rather than a confident
"two-way" drawn from the few words that happened to match.
"""

import re
import tomllib
from functools import cache

import prompts
from bot.decisions.rules.lexicon import lexicon

UNREAD_FILE = "door_unread_words.toml"
_WORD = re.compile(r"[^\W\d_]+")
MIN_LATIN_SHARE = 0.5
# A long text with almost no function word of any read language isn't one we read, even
# when it is in a language we have no list for.
LONG_TEXT_WORDS, MIN_KNOWN_SHARE = 10, 0.08
MIN_FOREIGN_WORDS = 2


@cache
def _foreign_words() -> frozenset[str]:
    raw = tomllib.loads(prompts.load(UNREAD_FILE))["words"]
    read = frozenset().union(*lexicon().function_words.values())
    return frozenset(w for words in raw.values() for w in words) - read


def readable(folded: str) -> bool:
    """Whether the rules can read ``folded`` (casefolded, accents stripped)."""
    words = _WORD.findall(folded[:2_000])
    if not words:
        return True
    letters = "".join(words)
    if sum(ch.isascii() for ch in letters) / len(letters) < MIN_LATIN_SHARE:
        return False
    # The read language that fits best: Italian shares "un" and "con" with Spanish, but
    # not as many words as it has of its own.
    known = max(sum(w in lang for w in words) for lang in lexicon().function_words.values())
    foreign = sum(w in _foreign_words() for w in words)
    if foreign >= MIN_FOREIGN_WORDS and foreign >= known:
        return False
    return len(words) < LONG_TEXT_WORDS or known / len(words) >= MIN_KNOWN_SHARE
