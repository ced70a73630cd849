"""The empty-chair question bank: topic choice, determinism and messy input."""

import tomllib

import pytest

import prompts
from bot.decisions.questions import (
    FALLBACK_TOPIC,
    chair_question,
    chair_questions,
    normalize,
    pick_topic,
    topic_names,
)

BANK = tomllib.loads(prompts.load("chair_bank.toml"))["topics"]

WEIRD_INPUTS = [
    "",
    "   ",
    "\x00\x01",
    "🎉" * 500,
    "<!channel> <@U1> <#C1|pricing> <https://x.example|raise prices>",
    "\u202eprivacy\u202c \u200f",
    "שינוי מחיר ללקוחות",
    "ＰＲＩＣＩＮＧ",
    "pricing " * 2_000,
    "\ud800",
]


def test_bank_has_every_topic_with_four_to_six_customer_questions() -> None:
    expected = {
        "pricing",
        "onboarding",
        "reliability",
        "data_privacy",
        "performance",
        "ui_design",
        "support",
        "people",
        "internal_tooling",
        "launch_marketing",
        FALLBACK_TOPIC,
    }
    assert expected <= set(topic_names())
    for name, topic in BANK.items():
        assert 4 <= len(topic["questions"]) <= 6, name
        assert all(q.strip().endswith("?") for q in topic["questions"]), name
        assert name == FALLBACK_TOPIC or topic["keywords"], name


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Raise prices 10% for the Pro tier", "pricing"),
        ("Start charging overage fees on API usage", "pricing"),
        ("Redo the onboarding checklist for new signups", "onboarding"),
        ("Add a failover region after last week's outage", "reliability"),
        ("Delete customer data older than 2019 per GDPR", "data_privacy"),
        ("The dashboard is slow, add a cache to cut latency", "performance"),
        ("Redesign the settings page layout", "ui_design"),
        ("Outsource tier-1 support tickets to an agency", "support"),
        ("Hire a VP of Sales", "people"),
        ("Switch from Jira to Linear", "internal_tooling"),
        ("Announce the launch on Product Hunt", "launch_marketing"),
    ],
)
def test_clear_cases_pick_their_topic(text: str, topic: str) -> None:
    assert pick_topic(text) == topic


@pytest.mark.parametrize("text", ["let's go with option B", "", "ok 👍", "zzz qqq"])
def test_unknown_text_falls_back_to_general(text: str) -> None:
    assert pick_topic(text) == FALLBACK_TOPIC
    assert chair_question(text) in BANK[FALLBACK_TOPIC]["questions"]


def test_keywords_match_whole_words_only() -> None:
    assert pick_topic("the priceless moment") == FALLBACK_TOPIC


def test_questions_come_from_the_picked_topic() -> None:
    text = "Raise prices 10% for the Pro tier"
    assert chair_question(text) in BANK["pricing"]["questions"]


def test_same_text_same_questions() -> None:
    text = "Move billing to the new provider"
    assert chair_questions(text) == chair_questions(text)
    assert chair_question(text) == chair_questions(text, 1)[0]
    assert chair_question(text) == chair_question(f"  {text.upper()} ")


def test_questions_vary_across_texts() -> None:
    texts = [f"Change the refund policy for plan {n}" for n in range(12)]
    assert len({chair_question(text) for text in texts}) >= 3


@pytest.mark.parametrize("n", [0, 1, 3, 6, 12])
def test_asks_for_n_distinct_questions(n: int) -> None:
    questions = chair_questions("Raise prices for the Pro tier", n)
    assert len(questions) == n
    assert len(set(questions)) == n


def test_more_questions_than_a_topic_holds_borrow_from_general() -> None:
    questions = chair_questions("Raise prices for the Pro tier", 9)
    assert set(questions) - set(BANK["pricing"]["questions"]) <= set(
        BANK[FALLBACK_TOPIC]["questions"]
    )


def test_negative_n_gives_nothing() -> None:
    assert chair_questions("anything", -2) == []


@pytest.mark.parametrize("text", WEIRD_INPUTS)
def test_weird_input_never_raises(text: str) -> None:
    assert pick_topic(text) in topic_names()
    assert chair_question(text).strip()
    assert len(chair_questions(text, 3)) == 3


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("<https://x.example/doc|the doc> here", "the doc here"),
        ("<!channel> ship it", "ship it"),
        ("<@U0123ABC> can you look", "@someone can you look"),
        ("<#C0123|general> channel", "general channel"),
        ("a &amp; b &lt;c&gt;", "a & b <c>"),
        ("done :white_check_mark: 🎉", "done"),
        ("ＰＲＩＣＩＮＧ", "PRICING"),
        ("it\u2019s \u201cfine\u201d", 'it\'s "fine"'),
        ("\u202eabc\u202c\u200f", "abc"),
        ("move standup to 9:30", "move standup to 9:30"),
        ("  lots \n of\t space ", "lots of space"),
    ],
)
def test_normalize_reads_slack_text_as_plain_text(raw: str, clean: str) -> None:
    assert normalize(raw) == clean


def test_normalize_tolerates_non_strings_and_caps_length() -> None:
    assert normalize(None) == ""
    assert normalize(42) == "42"
    assert len(normalize("x" * 100_000)) <= 12_000  # the longest decision Doorway keeps
