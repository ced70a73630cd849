"""How well /door sizes decisions nobody tuned it on: the held-out split of the corpus.

    python bench/door_eval.py                 # the built-in rules on the held-out split
    python bench/door_eval.py --model         # the model named by OPENAI_*, as /door uses it
    python bench/door_eval.py --split tune    # the tuning split (its misses may be listed)

The corpus (tests/data/door_eval/) was written and labelled by people who never saw the rules;
its held-out split was frozen before any signal was changed. This script prints figures for the
held-out split and never its misses: a split whose misses you read is a split you tune on.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.decisions.judgment import Door, Judgment

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "door_eval" / "corpus.jsonl"
BANDS = ((0.0, 0.5), (0.5, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.01))
LANGUAGES = ("en", "fr", "de", "es", "pt")


@dataclass(frozen=True)
class Item:
    id: str
    lang: str
    domain: str
    text: str
    door: Door
    split: str


@dataclass(frozen=True)
class Scored:
    item: Item
    said: Door
    confidence: float
    asked: bool = False  # the card asked its three questions rather than decide

    @property
    def right(self) -> bool:
        return self.said is self.item.door


def load(split: str, path: Path = CORPUS) -> list[Item]:
    """The corpus's items of one split ("heldout" or "tune")."""
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["split"] == split:
            items.append(
                Item(
                    row["id"],
                    row["lang"],
                    row["domain"],
                    row["text"],
                    Door(row["door"]),
                    row["split"],
                )
            )
    return items


async def score(items: Iterable[Item], size: Callable[[str], Awaitable[Judgment]]) -> list[Scored]:
    scored = []
    for item in items:
        judgment = await size(item.text)
        scored.append(Scored(item, judgment.door, judgment.confidence, judgment.unsure))
    return scored


@dataclass(frozen=True)
class Figures:
    n: int
    accuracy: float
    precision: dict[Door, float]
    recall: dict[Door, float]
    confusion: dict[tuple[Door, Door], int]  # (labelled, said) -> count
    by_language: dict[str, tuple[int, float, float]]  # n, accuracy, one-way recall
    by_domain: dict[str, tuple[int, float]]
    calibration: list[tuple[str, int, float, float]]  # band, n, mean confidence, accuracy
    asked: tuple[int, float, float]  # how many the card asked on; accuracy asked / decided


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else float("nan")


def figures(scored: list[Scored]) -> Figures:
    confusion = Counter((s.item.door, s.said) for s in scored)
    precision = {d: _ratio(confusion[(d, d)], sum(confusion[(t, d)] for t in Door)) for d in Door}
    recall = {d: _ratio(confusion[(d, d)], sum(confusion[(d, s)] for s in Door)) for d in Door}
    groups: dict[str, list[Scored]] = defaultdict(list)
    domains: dict[str, list[Scored]] = defaultdict(list)
    for s in scored:
        groups[s.item.lang].append(s)
        domains[s.item.domain].append(s)
    by_language = {}
    for lang, group in sorted(groups.items()):
        one_way = [s for s in group if s.item.door is Door.ONE_WAY]
        by_language[lang] = (
            len(group),
            _ratio(sum(s.right for s in group), len(group)),
            _ratio(sum(s.right for s in one_way), len(one_way)),
        )
    by_domain = {
        d: (len(g), _ratio(sum(s.right for s in g), len(g))) for d, g in sorted(domains.items())
    }
    calibration = []
    for low, high in BANDS:
        band = [s for s in scored if low <= s.confidence < high]
        mean = _ratio(int(round(sum(s.confidence for s in band) * 1000)), len(band)) / 1000
        calibration.append(
            (
                f"{low:.1f}–{min(high, 1.0):.1f}",
                len(band),
                mean,
                _ratio(sum(s.right for s in band), len(band)),
            )
        )
    asked = [s for s in scored if s.asked]
    decided = [s for s in scored if not s.asked]
    return Figures(
        len(scored),
        _ratio(sum(s.right for s in scored), len(scored)),
        precision,
        recall,
        dict(confusion),
        by_language,
        by_domain,
        calibration,
        (
            len(asked),
            _ratio(sum(s.right for s in asked), len(asked)),
            _ratio(sum(s.right for s in decided), len(decided)),
        ),
    )


def report(f: Figures, title: str) -> str:
    pct = lambda x: "—" if x != x else f"{100 * x:.1f}%"  # noqa: E731 - nan prints as a dash
    lines = [
        f"## {title}: {f.n} decisions",
        "",
        f"accuracy {pct(f.accuracy)}; one-way precision {pct(f.precision[Door.ONE_WAY])}, "
        f"recall {pct(f.recall[Door.ONE_WAY])}; two-way precision "
        f"{pct(f.precision[Door.TWO_WAY])}, recall {pct(f.recall[Door.TWO_WAY])}",
        "",
        f"the card asked its three questions on {f.asked[0]} ({pct(_ratio(f.asked[0], f.n))}); "
        f"its best guess was right on {pct(f.asked[1])} of those, and on {pct(f.asked[2])} "
        "of the ones it decided",
        "",
        "| labelled \\ sized | one-way | two-way |",
        "|---|---:|---:|",
    ]
    for labelled in Door:
        lines.append(
            f"| {labelled.label.lower()} | {f.confusion.get((labelled, Door.ONE_WAY), 0)}"
            f" | {f.confusion.get((labelled, Door.TWO_WAY), 0)} |"
        )
    lines += ["", "| language | n | accuracy | one-way recall |", "|---|---:|---:|---:|"]
    lines += [
        f"| {lang} | {n} | {pct(acc)} | {pct(rec)} |"
        for lang, (n, acc, rec) in f.by_language.items()
    ]
    lines += ["", "| domain | n | accuracy |", "|---|---:|---:|"]
    lines += [f"| {d} | {n} | {pct(acc)} |" for d, (n, acc) in f.by_domain.items()]
    lines += ["", "| confidence shown | n | mean shown | right |", "|---|---:|---:|---:|"]
    lines += [
        f"| {band} | {n} | {pct(mean)} | {pct(acc)} |" for band, n, mean, acc in f.calibration
    ]
    return "\n".join(lines)


async def _sizer(use_model: bool) -> Callable[[str], Awaitable[Judgment]]:
    from bot.decisions import rules

    if not use_model:

        async def by_rules(text: str) -> Judgment:
            return rules.classify(text)

        return by_rules
    from bot.model.client import model_client_from
    from bot.settings import load_settings

    settings = load_settings()
    client = model_client_from(
        settings.openai_api_key, settings.openai_base_url, settings.openai_model
    )
    if client is None:
        raise SystemExit(
            "door_eval: --model needs OPENAI_API_KEY (and OPENAI_BASE_URL for a local server)"
        )

    from bot.decisions.sizing import reconcile

    async def by_model(text: str) -> Judgment:
        # As /door does: the model, checked against the rules' strong one-way signals.
        by_rules = rules.classify(text)
        judged = await client.judge(text)
        return reconcile(judged, by_rules) if judged is not None else by_rules

    return by_model


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("heldout", "tune"), default="heldout")
    parser.add_argument("--model", action="store_true", help="size with the configured model")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--misses", action="store_true", help="list the misses (tuning split only)")
    args = parser.parse_args()
    if args.misses and args.split != "tune":
        raise SystemExit("door_eval: misses are listed for the tuning split only")
    scored = await score(load(args.split, args.corpus), await _sizer(args.model))
    who = "model" if args.model else "built-in rules"
    print(report(figures(scored), f"{who}, {args.split} split"))
    if args.misses:
        print("\n## misses")
        for s in scored:
            if not s.right:
                print(
                    f"- [{s.item.id} {s.item.lang}] labelled {s.item.door.value}, sized "
                    f"{s.said.value} ({s.confidence:.2f}): {s.item.text}"
                )


if __name__ == "__main__":
    asyncio.run(main())
