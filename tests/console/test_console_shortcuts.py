"""`doorway console`: the shortcuts, as a person uses them on a message or from anywhere."""

from __future__ import annotations

from pathlib import Path

from tests.console.test_console import console


def test_size_this_decision_puts_the_card_in_the_messages_thread(tmp_path: Path) -> None:
    out = console(
        "/chair Move billing to the new provider\n"
        "shortcut size\nWe move billing to Stripe\n\n"
        "shortcut commit 99\nshortcut nonsense\nquit\n",
        tmp_path,
    )
    form, card = out.split("── #general · Doorway, in a thread ──", 1)
    assert "Sized from the message" in form
    assert "[now: The empty chair asks about Move billing to the new provider]" in form
    assert "We move billing to Stripe" in card and "shared in the channel" in card
    assert "There's no message showing [99]" in out
    assert "Use a shortcut like this" in out


def test_log_a_decision_with_nowhere_picked_comes_by_dm(tmp_path: Path) -> None:
    out = console("shortcut log\nTry a blue button\n\n\nquit\n", tmp_path)
    assert "Post the card in (optional)" in out
    dm = out.split("── DM from Doorway to @you ──", 1)
    assert len(dm) == 2 and "Two-way door" in dm[1] and "Try a blue button" in dm[1]
