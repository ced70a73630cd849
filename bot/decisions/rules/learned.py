"""The fitted part of the door rules: features of a decision, and weights learned from people.

The signals in ``prompts/door_signals*.toml`` were grown by hand and stopped generalising
to text nobody had tuned them on. Here each decision becomes features — its language
and its words folded (lowercase, no accents, German "oe" read as "ö") and cut to a
five-letter stem, alone and in pairs — and a logistic regression fitted on the door
corpus weighs them. The weights are data, ``prompts/door_weights.json``, written by
``bench/door_fit.py`` (which also measures them by leave-one-round-out cross-validation);
nothing here learns at run time or needs the network.
"""

import json
import math
import re
from dataclasses import dataclass
from functools import cache

import prompts
from bot.decisions.judgment import Door
from bot.decisions.rules.hits import Text
from bot.decisions.rules.lexicon import LANGUAGES, lexicon

WEIGHTS_FILE = "door_weights.json"
STEM = 5
# Words from the modal's Context field count, but less than the decision itself.
CONTEXT_FACTOR = 0.5
# Past this many words a decision says nothing new about its door; the cap keeps a
# 12,000-character paste as cheap as a line.
MAX_WORDS = 400
_WORD = re.compile(r"[^\W_]+")
_DIGITS = re.compile(r"\d+")
_UMLAUT = re.compile(r"(?<=[a-z])(ae|oe|ue)")


@dataclass(frozen=True)
class Word:
    """A stem the weights know, and where the text has it."""

    feature: str
    start: int
    end: int


def language_of(folded: str) -> str:
    """The read language whose function words the text uses most (English on a tie)."""
    words = _WORD.findall(folded[:2_000])
    best, best_count = "en", 0
    for lang in LANGUAGES:
        count = sum(w in lexicon().function_words[lang] for w in words)
        if count > best_count:
            best, best_count = lang, count
    return best


def _stem(word: str, lang: str) -> str:
    word = _DIGITS.sub("0", word)
    if lang == "de":
        word = _UMLAUT.sub(lambda m: m.group(1)[0], word)
    return word[:STEM]


def words(text: Text, lang: str) -> list[Word]:
    """Each word's stem and each pair of neighbours, with the span they cover."""
    found = []
    previous: tuple[str, int] | None = None
    for i, match in enumerate(_WORD.finditer(text.folded)):
        if i >= MAX_WORDS:
            break
        stem = _stem(match.group(), lang)
        found.append(Word(f"w:{stem}", match.start(), match.end()))
        if previous is not None:
            found.append(Word(f"b:{previous[0]}_{stem}", previous[1], match.end()))
        previous = (stem, match.start())
    return found


def features(text: Text, context: Text | None, read: bool) -> tuple[dict[str, float], list[Word]]:
    """The features of a decision (name to value) and the words behind them.

    The signals' hits are left out on purpose: their lexicons were grown on the corpus's
    first two rounds, and with them in, the weights leaned on signals that do not carry to
    new text (leave-one-round-out on rounds 3 and 4, see ``bench/door_fit.py``)."""
    lang = language_of(text.folded or (context.folded if context else ""))
    out: dict[str, float] = {f"lang:{lang}": 1.0}
    if not read:
        out["unread"] = 1.0
    found = words(text, lang)
    for word in found:
        out[word.feature] = 1.0
    if context is not None:
        for word in words(context, lang):
            out[word.feature] = max(out.get(word.feature, 0.0), CONTEXT_FACTOR)
    return out, found


@dataclass(frozen=True)
class Weights:
    """A fitted model: weights, the Platt calibration of its score, and its threshold."""

    bias: float
    weights: dict[str, float]
    # Calibrated probability of one-way = sigmoid(platt_a * score + platt_b).
    platt_a: float
    platt_b: float
    # One-way when the calibrated probability is at least this: below 0.5, because
    # missing a one-way door costs more than a false alarm.
    threshold: float
    # The card asks its questions when it is less sure than this of the door it shows,
    # or when the probability is within near_threshold of the threshold.
    unsure_below: float
    near_threshold: float

    def score(self, feats: dict[str, float]) -> float:
        return self.bias + sum(self.weights.get(k, 0.0) * v for k, v in feats.items())

    def probability(self, feats: dict[str, float]) -> float:
        """How likely the decision is a one-way door, calibrated."""
        return _sigmoid(self.platt_a * self.score(feats) + self.platt_b)

    def as_json(self) -> dict[str, object]:
        return {
            "bias": self.bias,
            "platt_a": self.platt_a,
            "platt_b": self.platt_b,
            "threshold": self.threshold,
            "unsure_below": self.unsure_below,
            "near_threshold": self.near_threshold,
            "weights": dict(sorted(self.weights.items())),
        }

    @classmethod
    def from_json(cls, raw: dict[str, object]) -> "Weights":
        weights = raw["weights"]
        if not isinstance(weights, dict):
            raise ValueError(f"{WEIGHTS_FILE}: weights must be an object")
        return cls(
            bias=float(raw["bias"]),  # type: ignore[arg-type]
            weights={str(k): float(v) for k, v in weights.items()},
            platt_a=float(raw["platt_a"]),  # type: ignore[arg-type]
            platt_b=float(raw["platt_b"]),  # type: ignore[arg-type]
            threshold=float(raw["threshold"]),  # type: ignore[arg-type]
            unsure_below=float(raw["unsure_below"]),  # type: ignore[arg-type]
            near_threshold=float(raw["near_threshold"]),  # type: ignore[arg-type]
        )


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1 / (1 + math.exp(-x))
    z = math.exp(x)
    return z / (1 + z)


@cache
def fitted() -> Weights:
    """The weights ``bench/door_fit.py`` wrote, loaded once."""
    return Weights.from_json(json.loads(prompts.load(WEIGHTS_FILE)))


def _telling(folded: str) -> bool:
    """Words worth quoting: none a function word ("the", "with") or a scrap ("s"), so a pair
    is quoted only when both its words say something ("pricing page", not "the pricing")."""
    words = _WORD.findall(folded)
    return bool(words) and all(
        len(w) >= 3 and not any(w in lexicon().function_words[lang] for lang in LANGUAGES)
        for w in words
    )


def knows_a_word(found: list[Word], model: Weights) -> bool:
    """Whether the weights know one of the text's words, beyond function words and scraps."""
    return any(
        word.feature.startswith("w:")
        and word.feature in model.weights
        and _telling(word.feature[2:])
        for word in found
    )


def telling_words(
    found: list[Word], text: Text, door: Door, model: Weights, limit: int
) -> list[str]:
    """The words in the text that pushed hardest towards ``door``, quoted as written,
    strongest first; a pair is quoted instead of a word it holds."""
    sign = 1.0 if door is Door.ONE_WAY else -1.0
    ranked = sorted(
        (
            w
            for w in found
            if sign * model.weights.get(w.feature, 0.0) > 0
            and _telling(text.folded[w.start : w.end])
        ),
        key=lambda w: (-sign * model.weights[w.feature], w.start),
    )
    spans: list[tuple[int, int]] = []
    for word in ranked:
        if any(s <= word.start and word.end <= e for s, e in spans):
            continue
        held = [i for i, (s, e) in enumerate(spans) if word.start <= s and e <= word.end]
        if held:  # the pair takes the place of the strongest word it holds
            spans[held[0]] = (word.start, word.end)
            spans = [span for i, span in enumerate(spans) if i not in held[1:]]
        elif len(spans) < limit:
            spans.append((word.start, word.end))
    return [text.cut(start, end) for start, end in spans]
