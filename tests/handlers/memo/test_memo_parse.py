"""Reading `/memo <link or title> [minutes]` as Slack sends it (escaping on)."""

from __future__ import annotations

from handlers.memo.parse import USAGE, Memo, parse


def test_a_link_a_title_and_the_minutes_are_told_apart() -> None:
    assert parse("<https://docs.example.com/q3?a=1&amp;b=2> Q3 plan 15") == Memo(
        "Q3 plan", "https://docs.example.com/q3?a=1&b=2", 15
    )
    assert parse("<https://docs.example.com/q3|the memo>") == Memo(
        "", "https://docs.example.com/q3", 20
    )
    assert parse("Q3 plan https://docs.example.com/q3 30 min") == Memo(
        "Q3 plan", "https://docs.example.com/q3", 30
    )
    assert parse("Q3 plan 2026 20") == Memo("Q3 plan 2026", None, 20)
    assert parse("Q3 plan &amp; &lt;pricing&gt; 5m") == Memo("Q3 plan & <pricing>", None, 5)


def test_only_web_addresses_become_links() -> None:
    found = parse("<javascript:alert(1)> plan")
    assert isinstance(found, Memo) and found.url is None
    assert found.title == "<javascript:alert(1)> plan"  # shown as typed, escaped


def test_no_memo_or_impossible_minutes_say_why() -> None:
    assert parse("") == USAGE and parse("   ") == USAGE and parse("45") == USAGE
    for typed in ("plan 0", "plan 241", "plan -3", "plan +1000", "plan 123456789012345"):
        said = parse(typed)
        assert isinstance(said, str) and "from 1 to 240 minutes" in said, typed
