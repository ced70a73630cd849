"""The signal lexicons, one per language, folded and compiled once.

``prompts/door_signals.toml`` defines every signal (its door, weight and the reason it
gives, in English, with the English patterns). ``prompts/door_signals_<lang>.toml`` adds
that language's patterns to the same signals, plus its function words (to tell whether a
text is in a language the rules read) and its negations. Every pattern is matched against
text folded to lowercase without accents, so "supprimé", "SUPPRIME" and "supprime" are one
word, and "schließen" is "schliessen"; stems and prefixes take care of inflections.
"""

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache

import prompts
from bot.decisions.judgment import Door
from bot.decisions.rules.prefilter import Filter, alternatives, compile_filter

SIGNALS_FILE = "door_signals.toml"
LANGUAGES = ("en", "fr", "de", "es", "pt")


@dataclass(frozen=True)
class Signal:
    name: str
    door: Door
    weight: float
    why: str
    patterns: tuple[re.Pattern[str], ...]
    # For each pattern, the literals its matches start with (None: can't say), so a
    # pattern that can't match is skipped without running it.
    filters: tuple[Filter | None, ...] = ()
    amplifier: bool = False
    # Signals a hit of this one makes moot (rotating every customer's keys isn't routine).
    overrides: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lexicon:
    signals: tuple[Signal, ...]
    # Each read language's function words, folded: how many of a text's words are found
    # here says whether the rules can read it at all.
    function_words: dict[str, frozenset[str]]
    negations: tuple[str, ...]
    clause_breaks: tuple[str, ...]


@cache
def _fold_char(ch: str) -> str:
    decomposed = unicodedata.normalize("NFD", ch.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> tuple[str, list[int] | None]:
    """``text`` casefolded and without accents, and where each folded character came
    from in ``text`` (None when they line up one to one), so quotes keep the accents."""
    if text.isascii():
        return text.lower(), None
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        folded = _fold_char(ch)
        out.append(folded)
        where.extend([i] * len(folded))
    return "".join(out), where


def _file(lang: str) -> str:
    return SIGNALS_FILE if lang == "en" else SIGNALS_FILE.replace(".toml", f"_{lang}.toml")


@cache
def lexicon() -> Lexicon:
    """Every language's signals merged by name, compiled once."""
    base = tomllib.loads(prompts.load(SIGNALS_FILE))
    patterns: dict[str, list[str]] = {e["name"]: list(e["patterns"]) for e in base["signal"]}
    function_words: dict[str, frozenset[str]] = {}
    negations: list[str] = []
    breaks: list[str] = []
    for lang in LANGUAGES:
        raw = base if lang == "en" else tomllib.loads(prompts.load(_file(lang)))
        words = raw["language"]
        function_words[lang] = frozenset(_fold_char_str(w) for w in words["function_words"])
        negations += words["negations"]
        breaks += words["clause_breaks"]
        if lang == "en":
            continue
        for name, extra in raw["patterns"].items():
            if name not in patterns:
                raise ValueError(f"{_file(lang)} adds patterns to unknown signal {name!r}")
            patterns[name] += [umlaut_tolerant(p) for p in extra] if lang == "de" else extra
    signals = []
    for entry in base["signal"]:
        compiled = tuple(
            re.compile(alternative, re.IGNORECASE)
            for pattern in patterns[entry["name"]]
            for alternative in alternatives(pattern)
        )
        signals.append(
            Signal(
                name=entry["name"],
                door=Door(entry["door"]),
                weight=float(entry["weight"]),
                why=entry["why"],
                patterns=compiled,
                filters=tuple(compile_filter(p) for p in compiled),
                amplifier=bool(entry.get("amplifier", False)),
                overrides=tuple(entry.get("overrides", ())),
            )
        )
    return Lexicon(
        tuple(signals),
        function_words,
        tuple(dict.fromkeys(negations)),
        tuple(dict.fromkeys(breaks)),
    )


def umlaut_tolerant(pattern: str) -> str:
    """A German pattern that also matches words typed without umlauts.

    Folding makes "löschen" "loschen"; someone on a keyboard without umlauts types
    "loeschen". Each a, o and u written in the pattern's words may be followed by an "e"
    ("lo" becomes "loe?"), so one pattern, written in the folded form, reads both. Escapes
    (``\\b``, ``\\w``, ``\\x27``) and character classes are left as they are.
    """
    out: list[str] = []
    i, in_class = 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            step = 4 if pattern[i + 1 : i + 2] == "x" else 2
            out.append(pattern[i : i + step])
            i += step
            continue
        if ch == "[" and not in_class:
            in_class = True
        elif ch == "]" and in_class:
            in_class = False
        out.append(ch)
        following = pattern[i + 1 : i + 2]
        if not in_class and ch in "aou" and following not in ("e", "?", "*", "+", "{"):
            out.append("e?")
        i += 1
    return "".join(out)


def _fold_char_str(word: str) -> str:
    return "".join(_fold_char(ch) for ch in word)


def signals() -> tuple[Signal, ...]:
    """The signals of every language, compiled once."""
    return lexicon().signals


def by_name(name: str) -> Signal:
    return next(s for s in signals() if s.name == name)
