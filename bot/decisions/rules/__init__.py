"""Built-in door rules: size a decision from weighted, quotable signals, with no network.

A door is one-way because of what is done (delete, sign, lay off, announce, sell…), what it
touches (data, contracts, people, customers, money, the public, legal standing) and how
far it reaches (everyone, production, permanently); it is two-way when something makes it
cheap to undo (an experiment, a flag, a pilot, a share of users, internal only, a time-box,
a draft). The signals for all of that live in ``prompts/door_signals*.toml``, one file per
language (see ``lexicon``). Each one that matches adds its weight to its door, and the
reason it gives quotes the words it saw, so anyone reading the card can check the rules'
homework.

Missing a one-way door costs far more than a false alarm, so one-way wins a close call; a
two-way verdict said with confidence needs a two-way signal, and no signal at all is said
with little confidence.
"""

import math
from dataclasses import dataclass

from bot.decisions.judgment import Door, Judgment, Source
from bot.decisions.questions import chair_question, normalize
from bot.decisions.rules.hits import Hit, Text, find_hits
from bot.decisions.rules.language import readable
from bot.decisions.rules.learned import (
    Weights,
    Word,
    features,
    fitted,
    knows_a_word,
    telling_words,
)
from bot.decisions.rules.lexicon import signals

__all__ = ["by_signals", "classify", "find_hits", "judge", "seen", "signals"]

# Two-way signals must outweigh one-way ones by this much: on a close call, the door is
# treated as one-way, the cheaper mistake.
ONE_WAY_PRIOR = 0.25
MAX_SUPPORTING, MAX_OPPOSING = 4, 2
# Signals that agree with the fitted verdict take at most this many of its reasons.
MAX_SIGNALS = 2
# How sure the card says the rules are. No signal at all, or a close contest: the share
# right, in that band, of round 2's decisions when round 2 was still held out and before any
# signal was grown on it (66.7% of 57), set a little under it; a lexicon grown on a split's misses
# can't measure its own blind spots, so the tuning split can't say. Otherwise from the
# tuning split's calibration table (bench/door_eval.py --split tune): a lead of one side over
# the other, and less when both sides have a say.
NO_SIGNAL_CONFIDENCE = 0.6
UNREAD_CONFIDENCE = 0.5
CLOSE_CALL, CLOSE_CALL_CONFIDENCE = 1.5, 0.6
CONFIDENCE_FLOOR, CONFIDENCE_SPAN, CONFIDENCE_SCALE = 0.72, 0.24, 1.0
CONTESTED_PENALTY = 0.08
# The fitted model's calibration is measured in bands of a few hundred decisions; past
# this it would claim more than it can show.
MAX_CONFIDENCE = 0.97
# The signals' confidence at which a one-way call holds against two-way words (as the
# rules hold against a model's two-way, bot.decisions.sizing.STRONG_ONE_WAY).
STRONG_SIGNALS = 0.8


@dataclass(frozen=True)
class Seen:
    clean: str
    written: Text
    hits: list[Hit]
    read: bool
    features: dict[str, float]
    found: list[Word]


def _counted(hits: list[Hit]) -> list[Hit]:
    """Drop scale cues that have no one-way signal to amplify, and signals another
    hit makes moot."""
    moot = {name for h in hits if not h.negated for name in h.signal.overrides}
    hits = [h for h in hits if h.signal.name not in moot]
    anchored = any(
        h.signal.door is Door.ONE_WAY and not h.amplifier and not h.negated for h in hits
    )
    return [h for h in hits if anchored or not h.amplifier]


def _confidence(margin: float, one_way: float, two_way: float, read: bool) -> float:
    if not read:
        return UNREAD_CONFIDENCE
    if not one_way and not two_way:
        return NO_SIGNAL_CONFIDENCE
    lead, penalty = abs(margin), 0.0
    if one_way and two_way:
        if lead < CLOSE_CALL:
            return CLOSE_CALL_CONFIDENCE
        penalty = CONTESTED_PENALTY
    confidence = CONFIDENCE_FLOOR + CONFIDENCE_SPAN * (1 - math.exp(-lead / CONFIDENCE_SCALE))
    return round(min(0.95, max(0.5, confidence - penalty)), 2)


def _distinct(hits: list[Hit]) -> list[Hit]:
    """Strongest first, leaving out hits whose words a stronger hit already quotes."""
    shown: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.in_context, -h.weight)):
        quote = hit.quote.casefold()
        if not any(quote in s.quote.casefold() and hit.in_context == s.in_context for s in shown):
            shown.append(hit)
    return shown


def _widest(hits: list[Hit]) -> list[Hit]:
    """Longest quote first, leaving out quotes a longer one already holds: "will not sign
    the 3-year exclusive" says what "will not sign" does."""
    shown: list[Hit] = []
    for hit in sorted(hits, key=lambda h: -len(h.quote)):
        if not any(hit.quote.casefold() in s.quote.casefold() for s in shown):
            shown.append(hit)
    return shown


def _word_reason(verdict: Door, quote: str) -> str:
    door = "one-way" if verdict is Door.ONE_WAY else "two-way"
    return (
        f"Mentions “{_cut(quote)}” — in the decisions people sized, words like these went "
        f"mostly with {door} doors"
    )


def _cut(quote: str) -> str:
    return quote if len(quote) <= 60 else quote[:59].rstrip() + "…"


UNKNOWN_WORDS = (
    "None of its words are ones the built-in rules know (they read English, French, German, "
    "Spanish and Portuguese), so the door is a guess; until someone answers the questions it "
    "leans one-way, the safer mistake."
)


def _reasons(verdict: Door, hits: list[Hit], text: str, read: bool, words: list[str]) -> list[str]:
    """The words that pushed hardest towards the verdict, with the signals that agree
    (at most MAX_SIGNALS of them, so the words always have room), then the other side."""
    ruled_out = [h.reason(False) for h in _widest([h for h in hits if h.negated])]
    ranked = _distinct([h for h in hits if not h.negated])
    agreeing = [h.reason(False) for h in ranked if h.signal.door is verdict]
    opposing = [h.reason(True) for h in ranked if h.signal.door is not verdict]
    if verdict is Door.TWO_WAY:
        agreeing += ruled_out
    quoted = " ".join(h.quote.casefold() for h in hits)
    by_word = [_word_reason(verdict, w) for w in words if w.casefold() not in quoted]
    room = MAX_SUPPORTING - min(len(by_word), MAX_SUPPORTING - MAX_SIGNALS)
    reasons = (agreeing[:room] + by_word)[:MAX_SUPPORTING]
    if not text:
        reasons = ["Nothing to size yet: the decision is empty, so it stays a two-way door."]
    elif not reasons:
        door = "one-way" if verdict is Door.ONE_WAY else "two-way"
        reasons = [
            f"No single word stands out, but decisions worded like this one were mostly "
            f"{door} doors when people sized them."
        ]
    if not read:
        reasons = [
            "This looks written in a language the built-in rules don't read (they read "
            "English, French, German, Spanish and Portuguese), so the door is a guess; until "
            "someone answers the questions it leans one-way, the safer mistake."
        ]
    return reasons + opposing[:MAX_OPPOSING]


def _unsure(one_way: float, two_way: float, margin: float, read: bool) -> bool:
    """Nothing decisive: a text the rules can't read, no signal at all, or both doors
    with a say and neither clearly ahead. Then the card asks rather than decides."""
    if not read or not (one_way or two_way):
        return True
    return bool(one_way and two_way and abs(margin) < CLOSE_CALL)


def _evidence(verdict: Door, hits: list[Hit]) -> list[str]:
    ranked = _distinct([h for h in hits if not h.negated and h.signal.door is verdict])
    return [h.quote for h in ranked[:MAX_SUPPORTING]]


def _strong_one_way(hits: list[Hit]) -> bool:
    """The signals alone would call it a one-way door with STRONG_SIGNALS confidence."""
    one_way = sum(h.weight for h in hits if h.signal.door is Door.ONE_WAY)
    two_way = sum(h.weight for h in hits if h.signal.door is Door.TWO_WAY)
    margin = one_way - two_way + ONE_WAY_PRIOR
    if not one_way or margin <= 0 or _unsure(one_way, two_way, margin, True):
        return False
    return _confidence(margin, one_way, two_way, True) >= STRONG_SIGNALS


def classify(text: str, context: str = "") -> Judgment:
    """Size ``text`` as a one-way or two-way door, saying which words led there."""
    return judge(text, context, fitted())


def seen(text: str, context: str = "", *, read: bool | None = None) -> Seen:
    """What the rules see in a decision: its signals, whether they read it, its features
    (`read` says whether they do, rather than the language check)."""
    clean, clean_context = normalize(text), normalize(context)
    in_context = find_hits(clean_context, in_context=True) if clean_context else []
    hits = _counted(find_hits(clean) + in_context)
    written = Text(clean or clean_context)
    read = readable(written.folded) if read is None else read
    feats, found = features(written, Text(clean_context) if clean else None, read)
    return Seen(clean or clean_context, written, hits, read, feats, found)


def by_signals(text: str, context: str = "") -> Judgment:
    """The signals' sums alone, as the rules sized doors before the weights were fitted:
    what ``bench/door_fit.py --cv`` compares the fitted model with."""
    s = seen(text, context)
    one_way = sum(h.weight for h in s.hits if h.signal.door is Door.ONE_WAY)
    two_way = sum(h.weight for h in s.hits if h.signal.door is Door.TWO_WAY)
    margin = one_way - two_way + ONE_WAY_PRIOR
    verdict = Door.ONE_WAY if (one_way and margin > 0) or not s.read else Door.TWO_WAY
    return Judgment(
        door=verdict,
        confidence=_confidence(margin, one_way, two_way, s.read),
        reasons=_reasons(verdict, s.hits, s.clean, s.read, []),
        chair_question=chair_question(s.clean),
        source=Source.RULES,
        unsure=_unsure(one_way, two_way, margin, s.read),
        evidence=_evidence(verdict, s.hits),
    )


def judge(text: str, context: str, model: Weights) -> Judgment:
    """``classify`` with the given weights (``bench/door_fit.py`` measures its own).

    The fitted model gives the door and the confidence: the calibrated probability of the
    door shown. Three cases stay as honest as the rules were: an empty decision is a
    two-way door said with little confidence; a text the rules can't read says so and
    leans one-way; and near the threshold the card asks its questions rather than decide."""
    s = seen(text, context)
    unknown = s.read and bool(s.clean) and not s.hits and not knows_a_word(s.found, model)
    if unknown:
        # No signal and not one word the weights know ("Zamykamy na zawsze biuro…"): the
        # language check let it through, but the rules can't read it either.
        s = seen(text, context, read=False)
    one_way = model.probability(s.features)
    if not s.clean:
        verdict, confidence = Door.TWO_WAY, NO_SIGNAL_CONFIDENCE
    elif not s.read:
        # Words the rules can't read say nothing either way: lean to the cheaper mistake.
        verdict, confidence = Door.ONE_WAY, UNREAD_CONFIDENCE
    else:
        verdict = Door.ONE_WAY if one_way >= model.threshold else Door.TWO_WAY
        right = one_way if verdict is Door.ONE_WAY else 1 - one_way
        confidence = round(min(MAX_CONFIDENCE, max(1 - MAX_CONFIDENCE, right)), 2)
    near = abs(one_way - model.threshold) < model.near_threshold
    strong = s.read and _strong_one_way(s.hits)  # the signals alone: one-way for good
    guarded = verdict is Door.TWO_WAY and strong
    if guarded:
        # The words lean two-way but a signal says the step can't be undone: the costly
        # mistake is the two-way call, so the card keeps one-way as its guess and asks.
        verdict, confidence = Door.ONE_WAY, round(max(1 - MAX_CONFIDENCE, one_way), 2)
    words = telling_words(s.found, s.written, verdict, model, MAX_SUPPORTING)
    if not s.read:
        words = []
    return Judgment(
        door=verdict,
        confidence=confidence,
        reasons=[UNKNOWN_WORDS] if unknown else _reasons(verdict, s.hits, s.clean, s.read, words),
        chair_question=chair_question(s.clean),
        source=Source.RULES,
        unsure=guarded or not s.clean or not s.read or near or confidence < model.unsure_below,
        guarded=strong,
        evidence=(words + _evidence(verdict, s.hits))[:MAX_SUPPORTING],
    )
