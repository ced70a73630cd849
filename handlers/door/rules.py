"""Built-in door rules: size a decision from weighted, quotable signals, with no network.

The signals live in ``prompts/door_signals.toml``. Each one that matches adds its
weight to its door, and the reason it gives quotes the words it saw, so anyone
reading the card can check the rules' homework. A signal a few words after a
negation ("we will not delete any data") counts for nothing. Most decisions are
reversible, so two-way wins ties and the empty case.
"""

import math
import re
import tomllib
from dataclasses import dataclass
from functools import cache

import prompts
from bot.judgment import Door, Judgment, Source
from bot.questions import chair_question, normalize

SIGNALS_FILE = "door_signals.toml"
# One-way has to beat two-way by this much: when in doubt, the door is reversible.
TWO_WAY_PRIOR = 0.5
# Words from the thread around the decision count, but less than the decision itself.
CONTEXT_FACTOR = 0.5
NO_SIGNAL_CONFIDENCE = 0.55
MAX_QUOTE = 60
MAX_SUPPORTING, MAX_OPPOSING = 4, 2
NEGATION_WINDOW = 60

# A negation, then at most five words of the same clause, then the signal: "not delete",
# "not going to sign the 3-year contract", "no way to roll back". A comma or a word like
# "if", "but" or "we" ends the clause: "no rollback if we sign" negates nothing.
_NEGATED = re.compile(
    r"\b(?:no|not|without|never|can't|cannot|won't|wont|don't|dont|doesn't|shouldn't|"
    r"mustn't|will not|do not|does not|should not|must not)\s+"
    r"(?!(?:forget|hesitate|wait|delay|only|just|later)\b)"
    r"(?:(?!(?:if|but|and|or|so|then|because|unless|until|when|while|instead|just|rather|"
    r"we|they|you|i|it|this|that)\b)[^\s,;:.!?]+\s+){0,5}$"
)
_CONDITIONAL = re.compile(r"\b(?:if|unless|in case)\s+(?:\S+\s+){0,2}$", re.IGNORECASE)
_MONEY = re.compile(
    r"[$€£]\s?(\d[\d,]*(?:\.\d+)?)\s?(k|mm|m|million|bn|b|billion)?\b"
    r"|\b(\d[\d,]*(?:\.\d+)?)\s?(k|mm|m|million|bn|b|billion)?\s?(?:usd|eur|gbp|dollars|euros)\b",
    re.IGNORECASE,
)
_MULTIPLIERS = {"k": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9}


@dataclass(frozen=True)
class Signal:
    name: str
    door: Door
    weight: float
    why: str
    patterns: tuple[re.Pattern[str], ...]
    amplifier: bool = False
    # Signals a hit of this one makes moot (rotating every customer's keys isn't routine).
    overrides: tuple[str, ...] = ()


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
def signals() -> tuple[Signal, ...]:
    """The signals from the prompts file, compiled once."""
    raw = tomllib.loads(prompts.load(SIGNALS_FILE))["signal"]
    return tuple(
        Signal(
            name=entry["name"],
            door=Door(entry["door"]),
            weight=float(entry["weight"]),
            why=entry["why"],
            patterns=tuple(re.compile(p, re.IGNORECASE) for p in entry["patterns"]),
            amplifier=bool(entry.get("amplifier", False)),
            overrides=tuple(entry.get("overrides", ())),
        )
        for entry in raw
    )


def _by_name(name: str) -> Signal:
    return next(s for s in signals() if s.name == name)


def _quote(text: str) -> str:
    text = text.strip(" ,.;:")
    return text if len(text) <= MAX_QUOTE else text[: MAX_QUOTE - 1].rstrip() + "…"


def _first_match(signal: Signal, text: str) -> tuple[str | None, str | None]:
    """The first words that match ``signal`` and aren't negated; else the first negated
    ones, quoted with their negation ("not delete")."""
    negated = None
    for pattern in signal.patterns:
        for match in pattern.finditer(text):
            # "no rollback" is evidence against a way back, not for one; "we will not
            # delete any data" is no deletion.
            start = max(0, match.start() - NEGATION_WINDOW)
            if start and not text[start - 1].isspace():  # no half words ("pia|no")
                start = text.find(" ", start, match.start()) + 1 or match.start()
            negation = _NEGATED.search(text[start : match.start()].lower())
            lead_in = text[max(0, start - 30) : start + negation.start()] if negation else ""
            if negation is not None and _CONDITIONAL.search(lead_in):
                negation = None  # "if we don't sign by Friday…" still weighs signing
            if negation is None:
                return match.group(0), None
            if negated is None:
                negated = text[start + negation.start() : match.end()]
    return None, negated


def _money_hit(text: str) -> Hit | None:
    amounts = []
    for match in _MONEY.finditer(text):
        digits = (match.group(1) or match.group(3) or "").replace(",", "")
        unit = (match.group(2) or match.group(4) or "").lower()
        try:
            value = float(digits) * _MULTIPLIERS.get(unit, 1.0)
        except ValueError:
            continue
        amounts.append((value, match.group(0)))
    if not amounts:
        return None
    value, quote = max(amounts)
    big = _by_name("big money")
    if value >= 1e6:
        return Hit(big, _quote(quote), big.weight + 1.0, amplifier=False)
    if value >= 1e5:
        return Hit(big, _quote(quote), big.weight, amplifier=True)
    if value >= 2e4:
        return Hit(big, _quote(quote), big.weight / 3, amplifier=True)
    if value < 5e3:
        small = _by_name("small money")
        return Hit(small, _quote(quote), small.weight, amplifier=False)
    return None


def find_hits(text: str, *, in_context: bool = False) -> list[Hit]:
    """Every signal that matches the (already normalised) ``text``, once each."""
    factor = CONTEXT_FACTOR if in_context else 1.0
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


def _counted(hits: list[Hit]) -> list[Hit]:
    """Drop scale cues that have no one-way signal to amplify, and signals another
    hit makes moot."""
    moot = {name for h in hits if not h.negated for name in h.signal.overrides}
    hits = [h for h in hits if h.signal.name not in moot]
    anchored = any(
        h.signal.door is Door.ONE_WAY and not h.amplifier and not h.negated for h in hits
    )
    return [h for h in hits if anchored or not h.amplifier]


def _confidence(margin: float, hits: list[Hit]) -> float:
    if not any(h.weight for h in hits):
        return NO_SIGNAL_CONFIDENCE
    return round(0.5 + 0.45 * (1 - math.exp(-abs(margin) / 2.5)), 2)


def _distinct(hits: list[Hit]) -> list[Hit]:
    """Strongest first, leaving out hits whose words a stronger hit already quotes."""
    shown: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.in_context, -h.weight)):
        quote = hit.quote.casefold()
        if not any(quote in s.quote.casefold() and hit.in_context == s.in_context for s in shown):
            shown.append(hit)
    return shown


def _reasons(verdict: Door, hits: list[Hit], text: str) -> list[str]:
    ruled_out = [h.reason(False) for h in hits if h.negated]
    ranked = _distinct([h for h in hits if not h.negated])
    supporting = [h.reason(False) for h in ranked if h.signal.door is verdict]
    opposing = [h.reason(True) for h in ranked if h.signal.door is not verdict]
    if verdict is Door.TWO_WAY:
        supporting += ruled_out
    reasons = supporting[:MAX_SUPPORTING]
    if not reasons:
        if not text:
            reasons = ["Nothing to size yet: the decision is empty, so it stays a two-way door."]
        else:
            reasons = [
                "No strong one-way signal (long commitment, deleting data, public launch, "
                "legal or people change) — most decisions are reversible, so it defaults "
                "to a two-way door."
            ]
    return reasons + opposing[:MAX_OPPOSING]


def classify(text: str, context: str = "") -> Judgment:
    """Size ``text`` as a one-way or two-way door, saying which words led there."""
    clean, clean_context = normalize(text), normalize(context)
    hits = _counted(find_hits(clean) + find_hits(clean_context, in_context=True))
    one_way = sum(h.weight for h in hits if h.signal.door is Door.ONE_WAY)
    two_way = sum(h.weight for h in hits if h.signal.door is Door.TWO_WAY)
    margin = one_way - two_way - TWO_WAY_PRIOR
    verdict = Door.ONE_WAY if margin > 0 else Door.TWO_WAY
    return Judgment(
        door=verdict,
        confidence=_confidence(margin, hits),
        reasons=_reasons(verdict, hits, clean or clean_context),
        chair_question=chair_question(clean or clean_context),
        source=Source.RULES,
    )
