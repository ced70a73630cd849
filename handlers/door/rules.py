"""Built-in door rules: size a decision from weighted, quotable signals, with no network.

The signals live in ``prompts/door_signals.toml``. Each one that matches adds its
weight to its door, and the reason it gives quotes the words it saw, so anyone
reading the card can check the rules' homework. Most decisions are reversible, so
two-way wins ties and the empty case.
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
NEGATION_WINDOW = 30

_NEGATED = re.compile(r"\b(?:no|not|without|never|can't|cannot|won't|don't)\s+(?:\S+\s+){0,2}$")
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


@dataclass(frozen=True)
class Hit:
    signal: Signal
    quote: str
    weight: float
    amplifier: bool
    in_context: bool = False

    def reason(self, opposing: bool) -> str:
        where = "the thread mentions" if self.in_context else "mentions"
        lead = f"But {where}" if opposing else where.capitalize()
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
        )
        for entry in raw
    )


def _by_name(name: str) -> Signal:
    return next(s for s in signals() if s.name == name)


def _quote(text: str) -> str:
    text = text.strip(" ,.;:")
    return text if len(text) <= MAX_QUOTE else text[: MAX_QUOTE - 1].rstrip() + "…"


def _first_match(signal: Signal, text: str) -> str | None:
    for pattern in signal.patterns:
        for match in pattern.finditer(text):
            # "no rollback" is evidence against a way back, not for one.
            before = text[max(0, match.start() - NEGATION_WINDOW) : match.start()].lower()
            if signal.door is Door.TWO_WAY and _NEGATED.search(before):
                continue
            return match.group(0)
    return None


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
        if money is not None and money.signal == signal:
            quote: str | None = money.quote
            weight, amplifier = money.weight, money.amplifier
        else:
            quote = _first_match(signal, text)
            weight, amplifier = signal.weight, signal.amplifier
        if quote:
            hits.append(Hit(signal, _quote(quote), weight * factor, amplifier, in_context))
    return hits


def _counted(hits: list[Hit]) -> list[Hit]:
    """Drop scale cues that have no one-way signal to amplify."""
    anchored = any(h.signal.door is Door.ONE_WAY and not h.amplifier for h in hits)
    return [h for h in hits if anchored or not h.amplifier]


def _confidence(margin: float, hits: list[Hit]) -> float:
    if not hits:
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
    ranked = _distinct(hits)
    supporting = [h.reason(False) for h in ranked if h.signal.door is verdict]
    opposing = [h.reason(True) for h in ranked if h.signal.door is not verdict]
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
