"""Which signals a text shows, each quoted in the words the writer used.

Matching runs on the folded text (lowercase, no accents); quotes are cut from the text as
written, so "gelöscht" is quoted with its umlaut. A signal a few words after a negation
("we will not delete any data", "no se publica") weighs nothing but is still quoted.
"""

import re
from dataclasses import dataclass
from functools import cache

from bot.decisions.judgment import Door
from bot.decisions.rules.lexicon import Signal, by_name, fold, lexicon, signals
from bot.decisions.rules.prefilter import matches, word_starts

# Words from the modal's Context field count, but less than the decision itself.
CONTEXT_FACTOR = 0.5
MAX_QUOTE = 60
NEGATION_WINDOW = 60
# Past this many negated matches of one signal, the rest are taken to be negated too.
MAX_NEGATED = 20

# German puts "nicht" after the verb it negates ("wir löschen die Daten nicht"): a "nicht" later
# in the same clause negates the signal too, unless it is "nicht nur" (not only).
_TRAILING_NEGATION = re.compile(
    r"^(?:(?!\b(?:und|oder|aber|sondern|weil|wenn|falls|dass|damit|denn)\b)[^,;:.!?])*?"
    r"\b(?:nicht|nie|niemals|keinesfalls)\b(?! (?:nur|bloss|allein|mehr nur)\b)"
)
TRAILING_WINDOW = 60

_CONDITIONAL = re.compile(
    r"\b(?:if|unless|in case|si|wenn|falls)\s+(?:\S+\s+){0,2}$", re.IGNORECASE
)
# An amount: a currency before or after a number, with an optional scale word. Decimal
# and thousands separators differ by language ("1,200.50", "1.200,50", "40.000€").
# An amount starts where a run of digits starts and is at most 25 characters long: a
# pattern free to start inside a long run of digits and commas is quadratic in its length.
_MONEY = re.compile(
    r"(?:r\$|us\$|[$€£])\s?(\d[\d.,]{0,24})\s?(k|mm|mil|mio|mrd|mi|m|bn|b|million\w*|millon\w*|"
    r"milh\w*|billion\w*)?\b"
    r"|(?<![\d.,])\b(\d[\d.,]{0,24})\s?(k|mm|mil|mio|mrd|mi|m|bn|b|million\w*|millon\w*|milh\w*|billion\w*)?"
    r"\s?(?:€|usd|eur|euros?|gbp|dollars|dolares|reais|brl)(?!\w)",
    re.IGNORECASE,
)
_SCALE = {
    "k": 1e3,
    "mil": 1e3,
    "m": 1e6,
    "mm": 1e6,
    "mi": 1e6,
    "mio": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "mrd": 1e9,
}


@dataclass(frozen=True)
class Hit:
    signal: Signal
    quote: str
    weight: float
    amplifier: bool
    in_context: bool = False
    # The signal's words came after a negation: quoted, but weighing nothing.
    negated: bool = False

    def reason(self, opposing: bool) -> str:
        # Context comes from the decision modal's Context field, not from a thread.
        where = "the context mentions" if self.in_context else "mentions"
        lead = f"But {where}" if opposing else where.capitalize()
        if self.negated:
            return (
                f"{lead} “{self.quote}” — a one-way step ruled out, not taken, "
                "so nothing is locked in"
            )
        return f"{lead} “{self.quote}” — {self.signal.why}"


@cache
def _negated() -> re.Pattern[str]:
    """A negation, then at most five words of the same clause, then the signal: "not
    delete", "nicht löschen", "no se publica". A comma or a word like "if", "but" or
    "we" ends the clause: "no rollback if we sign" negates nothing."""
    words = lexicon()
    negation = "|".join(sorted((re.escape(n) for n in words.negations), key=len, reverse=True))
    breaks = "|".join(re.escape(b) for b in words.clause_breaks)
    return re.compile(
        rf"\b(?:{negation})\s+"
        r"(?!(?:forget|hesitate|wait|delay|only|just|later)\b)"
        rf"(?:(?!(?:{breaks})\b)[^\s,;:.!?]+\s+){{0,5}}$"
    )


class Text:
    """A decision as written and as folded for matching."""

    def __init__(self, written: str) -> None:
        self.written = written
        self.folded, self._where = fold(written)
        self.starts = word_starts(self.folded)

    def cut(self, start: int, end: int) -> str:
        """The written words behind ``folded[start:end]``."""
        if self._where is None or start >= end:
            return self.written[start:end]
        return self.written[self._where[start] : self._where[end - 1] + 1]


def _quote(text: str) -> str:
    text = text.strip(" ,.;:")
    return text if len(text) <= MAX_QUOTE else text[: MAX_QUOTE - 1].rstrip() + "…"


def _first_match(signal: Signal, text: Text) -> tuple[str | None, str | None]:
    """The first words that match ``signal`` and aren't negated; else the first negated
    ones, quoted with their negation ("not delete")."""
    folded, negated, seen_negated = text.folded, None, 0
    for pattern, pattern_filter in zip(signal.patterns, signal.filters, strict=True):
        for match in matches(pattern, pattern_filter, folded, text.starts):
            start = max(0, match.start() - NEGATION_WINDOW)
            if start and not folded[start - 1].isspace():  # no half words ("pia|no")
                start = folded.find(" ", start, match.start()) + 1 or match.start()
            negation = _negated().search(folded[start : match.start()])
            lead_in = folded[max(0, start - 30) : start + negation.start()] if negation else ""
            if negation is not None and _CONDITIONAL.search(lead_in):
                negation = None  # "if we don't sign by Friday…" still weighs signing
            after = folded[match.end() : match.end() + TRAILING_WINDOW]
            trailing = None if negation else _TRAILING_NEGATION.search(after)
            if negation is None and trailing is None:
                return text.cut(match.start(), match.end()), None
            if negated is None:
                negated = (
                    text.cut(start + negation.start(), match.end())
                    if negation
                    else text.cut(match.start(), match.end() + trailing.end())  # type: ignore[union-attr]
                )
            seen_negated += 1
            if seen_negated >= MAX_NEGATED:
                return None, negated  # "no rollback " pasted 500 times is still ruled out
    return None, negated


def _amount(digits: str) -> float:
    """ "1,200.50" and "1.200,50" are both 1200.5; "40.000" is forty thousand."""
    digits = digits.rstrip(".,")
    if "." in digits and "," in digits:
        decimal = max(digits.rfind("."), digits.rfind(","))
        whole = re.sub(r"[.,]", "", digits[:decimal])
        return float(f"{whole}.{digits[decimal + 1 :]}")
    for separator in ".,":
        parts = digits.split(separator)
        if len(parts) > 1:
            if all(len(p) == 3 for p in parts[1:]):
                return float("".join(parts))
            return float(f"{''.join(parts[:-1])}.{parts[-1]}")
    return float(digits)


def _money_hit(text: Text) -> Hit | None:
    amounts = []
    for match in _MONEY.finditer(text.folded):
        digits = match.group(1) or match.group(3) or ""
        unit = (match.group(2) or match.group(4) or "").lower()
        scale = _SCALE.get(unit, 1e6 if unit.startswith(("mill", "milh")) else 1.0)
        if unit.startswith("billion"):
            scale = 1e9
        try:
            value = _amount(digits) * scale
        except (ValueError, OverflowError):
            continue
        amounts.append((value, text.cut(match.start(), match.end())))
    if not amounts:
        return None
    value, quote = max(amounts)
    big = by_name("big money")
    if value >= 1e6:
        return Hit(big, _quote(quote), big.weight + 1.0, amplifier=False)
    if value >= 1e5:
        return Hit(big, _quote(quote), big.weight, amplifier=True)
    if value >= 2e4:
        return Hit(big, _quote(quote), big.weight / 3, amplifier=True)
    if value < 5e3:
        small = by_name("small money")
        return Hit(small, _quote(quote), small.weight, amplifier=False)
    return None


def find_hits(written: str, *, in_context: bool = False) -> list[Hit]:
    """Every signal that matches the (already normalised) ``written`` text, once each."""
    factor = CONTEXT_FACTOR if in_context else 1.0
    text = Text(written)
    hits = []
    money = _money_hit(text)
    for signal in signals():
        negated = None
        if money is not None and money.signal == signal:
            quote: str | None = money.quote
            weight, amplifier = money.weight, money.amplifier
        else:
            quote, negated = _first_match(signal, text)
            weight, amplifier = signal.weight, signal.amplifier
        if quote:
            hits.append(Hit(signal, _quote(quote), weight * factor, amplifier, in_context))
        elif negated and signal.door is Door.ONE_WAY and not amplifier:
            hits.append(Hit(signal, _quote(negated), 0.0, amplifier, in_context, negated=True))
    return hits
