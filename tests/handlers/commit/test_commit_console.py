"""/commit in `doorway console`: the form, a dissenter's answer, and `tick` to the check-back."""

from __future__ import annotations

from pathlib import Path

from tests.console.test_console import console


def test_commit_then_tick_brings_the_check_back(tmp_path: Path) -> None:
    keep = "\n" * 5  # Enter keeps each prefilled field of the /commit form
    out = console(
        f"/commit @bob We ship on Friday\n{keep}"
        "as bob\npress I disagree\nTests are thin\nA hotfix\n"
        "tick +15d\npress The concerns were right\n"
        "as you\npress The decision held up\nquit\n",
        tmp_path,
    )

    assert "── DM from Doorway to @bob ──" in out
    assert "Tests are thin" in out.split("#general · Doorway (updated)", 1)[1]
    check_back = out.split("⏰", 1)[1]
    assert "── DM from Doorway to @bob ──" in check_back
    assert "── DM from Doorway to @you ──" in check_back
    assert "How did it turn out?" in check_back
    assert "Thanks: you answered *the concerns were right*" in check_back
    summary = check_back.split("Thanks: you answered *the decision held up*", 1)[1]
    assert "How it turned out" in summary and "2 of 2 answered" in summary
