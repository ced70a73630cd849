"""/decisions in `doorway console`: shared cards listed with their links, paged, filtered."""

from __future__ import annotations

from pathlib import Path

from tests.console.test_console import console


def test_decisions_lists_the_channels_decisions_and_filters_them(tmp_path: Path) -> None:
    out = console(
        "/door Sign a 3-year exclusive contract with Acme\npress Share\n"
        "/door Try a blue checkout button for a week\npress Share\n"
        "/decisions\n/decisions one-way\n/decisions since garbage\n/decisions help\nquit\n",
        tmp_path,
    )

    listed = out.split("Decisions in this channel", 1)[1]
    assert listed.index("Try a blue checkout button") < listed.index("Sign a 3-year")
    assert "open the card" in listed
    filtered = listed.split("Decisions in this channel", 1)[1]
    assert "Sign a 3-year" in filtered.split("I can't read", 1)[0]
    assert "blue checkout" not in filtered.split("I can't read", 1)[0]
    assert "I can't read `garbage` as a date" in out
    assert "since 2026-11-01" in out  # the help
