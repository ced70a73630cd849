"""Fit the door rules' weights on the corpus, or measure the fitting by cross-validation.

    python bench/door_fit.py          # fit on rounds 1-4 (tune), write prompts/door_weights.json
    python bench/door_fit.py --cv     # leave-one-round-out: each round sized by weights
                                      # fitted on the other three, beside the signals alone

Every choice is made by the data, never by eye: a logistic regression on the features of
``bot/decisions/rules/learned.py`` (the signals that fired, the language, folded word
stems and pairs), its L2 strength picked from a small grid, a Platt calibration and the
one-way threshold all fitted on out-of-round predictions inside the training rounds
(for a fold of --cv, inside its three training rounds only). The threshold minimises
errors with a missed one-way door counted MISS_COST times a false alarm.

Plain Python, deterministic: full-batch gradient descent from zero, a fixed number of
steps, features sorted, weights rounded. The rounds are the id's first letter: a/b are
round 1, c/d 2, e/f 3, g/h 4. The signals' lexicons were grown on rounds 1 and 2, so a
signal-based figure for those rounds flatters whatever uses them; rounds 3 and 4 are the
honest folds.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import door_eval

from bot.decisions import rules
from bot.decisions.judgment import Door, Judgment
from bot.decisions.rules.learned import WEIGHTS_FILE, Weights

OUT = Path(__file__).resolve().parents[1] / "prompts" / WEIGHTS_FILE
ROUNDS = {"a": 1, "b": 1, "c": 2, "d": 2, "e": 3, "f": 3, "g": 4, "h": 4}
L2_GRID = (1.0, 3.0, 10.0)
MISS_COST = 2.0
# The card asks when it is less sure than this of the door it shows, or when the
# probability is this close to the threshold.
UNSURE_BELOW, NEAR_THRESHOLD = 0.65, 0.1
MIN_COUNT = 2
STEPS, RATE = 300, 0.5
THRESHOLDS = tuple(t / 100 for t in range(20, 66))


@dataclass(frozen=True)
class Row:
    item: door_eval.Item
    round: int
    features: dict[str, float]
    y: int  # 1 for a one-way door


def corpus(path: Path) -> list[Row]:
    """The tuning split (rounds 1-4): the held-out round is never fitted on."""
    items = door_eval.load("tune", path)
    return [
        Row(i, ROUNDS[i.id[0]], rules.seen(i.text).features, int(i.door is Door.ONE_WAY))
        for i in sorted(items, key=lambda i: i.id)
    ]


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


def fit(rows: Sequence[Row], l2: float) -> tuple[float, dict[str, float]]:
    """L2-regularised logistic regression by full-batch gradient descent (with momentum)."""
    counts = Counter(k for r in rows for k in r.features)
    names = sorted(k for k, n in counts.items() if n >= MIN_COUNT)
    index = {k: i for i, k in enumerate(names)}
    data = [([(index[k], v) for k, v in r.features.items() if k in index], r.y) for r in rows]
    w, velocity = [0.0] * len(names), [0.0] * len(names)
    bias, bias_velocity, n = 0.0, 0.0, len(rows)
    for _ in range(STEPS):
        grad = [l2 * wi / n for wi in w]
        grad_bias = 0.0
        for x, y in data:
            error = _sigmoid(bias + sum(w[i] * v for i, v in x)) - y
            grad_bias += error / n
            for i, v in x:
                grad[i] += error * v / n
        for i in range(len(w)):
            velocity[i] = 0.9 * velocity[i] - RATE * grad[i]
            w[i] += velocity[i]
        bias_velocity = 0.9 * bias_velocity - RATE * grad_bias
        bias += bias_velocity
    weights = {k: round(w[i], 4) for k, i in index.items() if abs(w[i]) >= 1e-4}
    return round(bias, 4), weights


def _score(bias: float, weights: dict[str, float], row: Row) -> float:
    return bias + sum(weights.get(k, 0.0) * v for k, v in row.features.items())


def platt(scores: list[float], ys: list[int]) -> tuple[float, float]:
    """The a, b of sigmoid(a * score + b) that best fit the outcomes (Newton's method)."""
    a, b = 1.0, 0.0
    for _ in range(50):
        ga = gb = haa = hab = hbb = 0.0
        for s, y in zip(scores, ys, strict=True):
            p = _sigmoid(a * s + b)
            ga, gb = ga + (p - y) * s, gb + (p - y)
            h = p * (1 - p) + 1e-9
            haa, hab, hbb = haa + h * s * s, hab + h * s, hbb + h
        det = haa * hbb - hab * hab
        a -= (hbb * ga - hab * gb) / det
        b -= (haa * gb - hab * ga) / det
    return round(a, 4), round(b, 4)


def threshold(probabilities: list[float], ys: list[int]) -> float:
    def cost(t: float) -> float:
        return sum(
            MISS_COST if y and p < t else 1.0 if not y and p >= t else 0.0
            for p, y in zip(probabilities, ys, strict=True)
        )

    return min(THRESHOLDS, key=lambda t: (cost(t), abs(t - 0.5)))


def _out_of_round(rows: Sequence[Row], l2: float) -> tuple[list[float], list[int]]:
    """Each training round scored by weights fitted on the others."""
    scores, ys = [], []
    for r in sorted({row.round for row in rows}):
        bias, weights = fit([row for row in rows if row.round != r], l2)
        for row in rows:
            if row.round == r:
                scores.append(_score(bias, weights, row))
                ys.append(row.y)
    return scores, ys


def _log_loss(scores: list[float], ys: list[int]) -> float:
    a, b = platt(scores, ys)
    return -sum(
        math.log(max(1e-12, p if y else 1 - p))
        for p, y in ((_sigmoid(a * s + b), y) for s, y in zip(scores, ys, strict=True))
    )


def train(rows: Sequence[Row], log: Callable[[str], None]) -> Weights:
    """Weights fitted on ``rows``, every choice made on their out-of-round predictions."""
    inner = {l2: _out_of_round(rows, l2) for l2 in L2_GRID}
    l2 = min(L2_GRID, key=lambda c: _log_loss(*inner[c]))
    scores, ys = inner[l2]
    a, b = platt(scores, ys)
    t = threshold([_sigmoid(a * s + b) for s in scores], ys)
    bias, weights = fit(rows, l2)
    log(f"  fitted on {len(rows)}: L2 {l2}, Platt a={a} b={b}, threshold {t}")
    return Weights(bias, weights, a, b, t, UNSURE_BELOW, NEAR_THRESHOLD)


def _scored(rows: Sequence[Row], size: Callable[[str], Judgment]) -> list[door_eval.Scored]:
    out = []
    for row in rows:
        j = size(row.item.text)
        out.append(door_eval.Scored(row.item, j.door, j.confidence, j.unsure))
    return out


def _line(name: str, f: door_eval.Figures) -> str:
    pct = lambda x: "—" if x != x else f"{100 * x:.1f}"  # noqa: E731
    langs = " ".join(f"{lang} {pct(a)}/{pct(r)}" for lang, (_, a, r) in f.by_language.items())
    return (
        f"| {name} | {f.n} | {pct(f.accuracy)} | {pct(f.recall[Door.ONE_WAY])} | "
        f"{pct(f.precision[Door.ONE_WAY])} | {pct(f.asked[0] / f.n)} | {langs} |"
    )


def cross_validate(rows: list[Row]) -> None:
    ours: list[door_eval.Scored] = []
    theirs: list[door_eval.Scored] = []
    table = [
        "| round | n | accuracy | one-way recall | one-way precision | asked | "
        "per language accuracy/one-way recall |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in (1, 2, 3, 4):
        print(f"round {r}: fitting on the other three", file=sys.stderr)
        model = train([row for row in rows if row.round != r], lambda s: print(s, file=sys.stderr))
        held = [row for row in rows if row.round == r]
        mine = _scored(held, lambda text, m=model: rules.judge(text, "", m))
        signals = _scored(held, rules.by_signals)
        ours += mine
        theirs += signals
        table.append(_line(f"{r} fitted", door_eval.figures(mine)))
        table.append(_line(f"{r} signals", door_eval.figures(signals)))
    late = [s for s in theirs if ROUNDS[s.item.id[0]] >= 3]
    late_ours = [s for s in ours if ROUNDS[s.item.id[0]] >= 3]
    table.append(_line("1–4 fitted", door_eval.figures(ours)))
    table.append(_line("1–4 signals", door_eval.figures(theirs)))
    table.append(_line("3–4 fitted", door_eval.figures(late_ours)))
    table.append(_line("3–4 signals", door_eval.figures(late)))
    print("## leave-one-round-out cross-validation (signals: today's rules, not refitted)\n")
    print("\n".join(table))
    print()
    print(door_eval.report(door_eval.figures(ours), "fitted, pooled out-of-round predictions"))
    print()
    print(door_eval.report(door_eval.figures(theirs), "signals alone, same decisions"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv", action="store_true", help="leave-one-round-out figures only")
    parser.add_argument("--corpus", type=Path, default=door_eval.CORPUS)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    rows = corpus(args.corpus)
    if args.cv:
        cross_validate(rows)
        return
    model = train(rows, print)
    args.out.write_text(json.dumps(model.as_json(), indent=0, sort_keys=True) + "\n", "utf-8")
    print(f"wrote {len(model.weights)} weights to {args.out}")


if __name__ == "__main__":
    main()
