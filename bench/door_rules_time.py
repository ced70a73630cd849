"""How long the built-in door rules take on long decisions, beside the floor of one regex pass.

    python bench/door_rules_time.py [--repeat 5]

/door keeps decisions up to 12,000 characters and the rules read all of it, in a worker
thread after the ack. This prints, for a short decision and for 4,000- and 12,000-character
ones (decision prose, and adversarial runs of digits, commas and signal words), the median
time of `rules.classify` beside one `\\w+` scan of the same text (the fewest-statement floor
for reading it at all). Nothing here is a test: the figures are for the README.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from ack_latency import decision_text

from bot.decisions import rules

WORD = re.compile(r"\w+")


def inputs() -> dict[str, str]:
    return {
        "one decision (55 chars)": decision_text(1, 0),
        "prose, 4,000 chars": decision_text(1, 4_000),
        "prose, 12,000 chars": decision_text(1, 12_000),
        "digits and commas, 12,000": ("$1,234,567.89 " * 1_000)[:12_000],
        "signal words, 12,000": ("delete sign announce all customers for good " * 300)[:12_000],
        "one long word, 12,000": "a" * 12_000,
    }


def median_ms(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rules.classify("warm up the compiled lexicon")
    header = ("input", "rules.classify", "one word scan", "ratio")
    print(f"{header[0]:<28} {header[1]:>15} {header[2]:>14} {header[3]:>8}")
    for name, text in inputs().items():
        ours = median_ms(lambda t=text: rules.classify(t), args.repeat)
        floor = median_ms(lambda t=text: WORD.findall(t.lower()), args.repeat)
        print(f"{name:<28} {ours:>12.1f} ms {floor:>11.2f} ms {ours / floor:>7.0f}x")


if __name__ == "__main__":
    main()
