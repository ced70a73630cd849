"""`/memo` in the console, end to end: the reading's card, its buttons, the private
comment's form, and `tick` bringing the reveal into the thread."""

from __future__ import annotations

from pathlib import Path

from tests.console.test_console import console

SCRIPT = (
    "help\n"
    "/memo Q3 plan https://docs.example.com/q3 15\n"
    "press I'm reading\n"
    "as bob\n"
    "press I'm reading\n"
    "press Comment privately\n"
    "Pricing\n"  # which section
    "2\n"  # a question
    "Why is the price <so> high?\n"
    "press Extend +5\n"  # not his to extend
    "press I've finished\n"
    "as you\n"
    "press Extend +5\n"
    "tick +15m\n"  # the old end: extended, so nothing yet
    "tick +5m\n"
    "quit\n"
)


def test_a_silent_reading_in_the_console(tmp_path: Path) -> None:
    out = console(SCRIPT, tmp_path)
    assert "/memo <link or title> [minutes]" in out, "help mentions /memo"
    first, _, rest = out.partition("/memo Q3 plan")
    assert "=== 📝 Silent reading ===" in rest and "https://docs.example.com/q3" in rest
    assert "[1] I'm reading  [2] I've finished  [3] Comment privately" in rest
    before_reveal, _, reveal = rest.partition("Doorway, in a thread")
    assert "Extended: the reading now ends" in before_reveal
    first_tick, _, second_tick = before_reveal.partition("tick +5m")
    assert "tick +15m" in first_tick and second_tick.strip().startswith("⏰"), out
    # Bob alone sees his question before the reveal, in his own confirmation.
    assert before_reveal.count("Why is the price <so> high?") == 2  # typed, then echoed
    assert "only @bob can see this" in before_reveal
    assert "who started this reading, can extend it" in before_reveal
    assert "2 reading · 1 finished" in before_reveal
    assert "Reading until *" in before_reveal
    assert reveal, out
    assert "1 of 2 read to the end" in reveal and "*Pricing*" in reveal
    assert "*Question:* Why is the price &lt;so&gt; high?" not in reveal, "shown as typed"
    assert "Why is the price <so> high? — @bob" in reveal
    assert "Silent reading: over" in reveal
