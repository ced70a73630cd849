"""The fitted door model: its weights file, unseen decisions in every language, and the
honest cases (near the threshold, a language the rules don't read)."""

import json
import sys
from pathlib import Path

import pytest

import prompts
from bot.decisions.judgment import Door
from bot.decisions.rules import classify, judge, seen
from bot.decisions.rules.learned import WEIGHTS_FILE, Weights, fitted, telling_words
from bot.decisions.rules.lexicon import lexicon

ROOT = Path(__file__).resolve().parents[3]

# Written for this test, not taken from the corpus.
UNSEEN: list[tuple[str, Door]] = [
    ("permanently shut down the Lisbon warehouse and lay off its staff", Door.ONE_WAY),
    ("try the new onboarding checklist with two teams for a month", Door.TWO_WAY),
    ("résilier définitivement le bail du siège et licencier l'équipe", Door.ONE_WAY),
    ("tester une nouvelle couleur de bouton pendant une semaine", Door.TWO_WAY),
    ("Wir kündigen den Vertrag mit dem Logistikpartner und entlassen das Lagerteam", Door.ONE_WAY),
    ("Wir testen zwei Wochen lang ein neues Layout für das interne Wiki", Door.TWO_WAY),
    ("cerrar para siempre la oficina de Sevilla y despedir a todo el equipo", Door.ONE_WAY),
    ("probar una semana el nuevo formato de la reunión interna", Door.TWO_WAY),
    ("fechar definitivamente a loja do Porto e demitir os funcionários", Door.ONE_WAY),
    ("testar por uma semana um novo horário para a reunião interna", Door.TWO_WAY),
]


def test_the_weights_file_loads_and_is_what_the_fitting_script_writes() -> None:
    raw = json.loads(prompts.load(WEIGHTS_FILE))
    model = Weights.from_json(raw)
    assert model.as_json() == raw  # bench/door_fit.py writes as_json(), nothing else
    assert fitted() == model
    assert 0 < model.threshold < 0.5 and model.weights
    sys.path.insert(0, str(ROOT / "bench"))
    import door_fit

    assert door_fit.OUT == ROOT / "prompts" / WEIGHTS_FILE


@pytest.mark.parametrize(("text", "want"), UNSEEN)
def test_an_unseen_decision_is_sized_with_its_own_words_quoted(text: str, want: Door) -> None:
    judgment = classify(text)
    assert judgment.door is want and not judgment.unsure
    # The word the fitted weights leaned on hardest, as written, is on the card: in a
    # reason of its own, or inside the quote of a signal that agrees.
    s = seen(text)
    [strongest] = telling_words(s.found, s.written, want, fitted(), 1)
    assert strongest in text and strongest == judgment.evidence[0]
    assert any("“" in r and strongest in r for r in judgment.reasons)


def _flat(threshold: float) -> Weights:
    # Every decision scores 0, so its calibrated probability of one-way is exactly 0.5.
    return Weights(0.0, {}, 1.0, 0.0, threshold, unsure_below=0.0, near_threshold=0.1)


def test_near_the_threshold_the_card_asks() -> None:
    text = "switch the team lunch to Thursdays"
    assert judge(text, "", _flat(0.45)).unsure
    assert not judge(text, "", _flat(0.2)).unsure


def test_a_language_the_rules_do_not_read_is_said_so_and_leans_one_way() -> None:
    judgment = classify("顧客データを完全に削除する")
    assert judgment.door is Door.ONE_WAY and judgment.unsure and judgment.confidence == 0.5
    assert "language the built-in rules don't read" in judgment.reasons[0]


@pytest.mark.parametrize(
    "text",
    [
        "Try a blue Buy button on the pricing page for two weeks",
        "Sign the 3-year lease for the Berlin office",
        "Testons une nouvelle page de tarifs pendant deux semaines",
    ],
)
def test_a_quoted_word_pair_never_leans_on_a_function_word(text: str) -> None:
    judgment = classify(text)
    s = seen(text)
    quoted = telling_words(s.found, s.written, judgment.door, fitted(), 6)
    assert quoted
    for words in quoted:
        for word in words.casefold().split():
            assert len(word) >= 3, (words, judgment.reasons)
            assert not any(word in fw for fw in lexicon().function_words.values()), words
