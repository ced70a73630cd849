"""The door-sizing corpus: frozen held-out split, coverage, and the figures as floors.

The floors are the figures the built-in rules scored when the split was frozen; raise them as
the rules improve. Nothing here prints a held-out item.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from bot.decisions import rules
from bot.decisions.judgment import Judgment

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data" / "door_eval"
sys.path.insert(0, str(ROOT / "bench"))
door_eval: Any = importlib.import_module("door_eval")

FROZEN_HELD_OUT = "f2231310c30d2f2ff0debd5458320d4443079498e5d6767fd6fbcf37a7dc43cf"


def rows() -> list[dict]:
    return [json.loads(line) for line in (DATA / "corpus.jsonl").read_text("utf-8").splitlines()]


def test_the_held_out_split_is_frozen() -> None:
    held = "".join(
        json.dumps(r, ensure_ascii=False) + "\n" for r in rows() if r["split"] == "heldout"
    )
    assert hashlib.sha256(held.encode()).hexdigest() == FROZEN_HELD_OUT
    agreement = json.loads((DATA / "agreement.json").read_text("utf-8"))
    assert agreement["heldout_sha256"] == FROZEN_HELD_OUT


def test_the_corpus_covers_languages_domains_and_both_doors() -> None:
    corpus = rows()
    assert len(corpus) >= 600 and len({r["id"] for r in corpus}) == len(corpus)
    assert sum(r["split"] == "heldout" for r in corpus) >= 250
    languages = Counter(r["lang"] for r in corpus)
    assert set(languages) == {"en", "fr", "de", "es", "pt"}
    assert all(n >= 60 for lang, n in languages.items() if lang != "en")
    assert len({r["domain"] for r in corpus}) >= 10
    assert {r["door"] for r in corpus} == {"one_way", "two_way"}


async def _figures(split: str) -> Any:
    async def by_rules(text: str) -> Judgment:
        return rules.classify(text)

    return door_eval.figures(await door_eval.score(door_eval.load(split), by_rules))


async def test_tuning_split_regression() -> None:
    # The tuning split (rounds 1 to 4, 2,015), which the weights were fitted on, so these
    # are in-sample. Leave-one-round-out figures, the honest ones for rounds 1-4, are
    # bench/door_fit.py --cv's; round 5 (held out) is the evaluation.
    figures = await _figures("tune")
    assert figures.accuracy >= 0.95
    assert figures.recall[door_eval.Door.ONE_WAY] >= 0.98


async def test_held_out_floor() -> None:
    # Held out: round 5 (419), frozen before anything was measured on it and measured once
    # with the fitted sizer: 91.6% accuracy, 98.1% one-way recall; by language at worst
    # 90.0% accuracy (es, fr) and 96.7% one-way recall (de, fr). Floors: about two points less.
    figures = await _figures("heldout")
    assert figures.accuracy >= 0.89
    assert figures.recall[door_eval.Door.ONE_WAY] >= 0.96
    for _n, accuracy, one_way_recall in figures.by_language.values():
        assert accuracy >= 0.87
        assert one_way_recall >= 0.94


async def test_the_script_evaluates_the_model_on_the_same_split() -> None:
    # A model that calls everything a confident two-way door: the script must score what
    # /door would show, so the rules' strong one-way signals still make the card ask.
    import asyncio
    import os

    from tests.fakes.openai_server import FakeOpenAI

    reply = {"reasons": ["It can be undone"], "door": "two_way", "confidence": 0.9}
    async with FakeOpenAI(content=json.dumps(reply | {"chair_question": "Will I notice?"})) as fake:
        env = os.environ | {"OPENAI_API_KEY": "test-key", "OPENAI_BASE_URL": fake.base_url}
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            str(ROOT / "bench" / "door_eval.py"),
            "--model",
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(process.communicate(), timeout=120)
        asked = len(fake.requests)
    assert process.returncode == 0, err.decode()
    printed = out.decode()
    assert "## model, heldout split: 419 decisions" in printed
    assert asked == 419  # every held-out decision went to the model
    one_way_found = int(printed.split("| one-way door | ")[1].split(" |")[0])
    assert one_way_found > 50  # the rules' one-way doors survive the model's "two-way"
    assert "the card asked its three questions on" in printed
