"""How user text is shown back in Slack: readable, escaped, within limits."""

from __future__ import annotations

import pytest

from bot.slack.text import cut, safe


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("<!channel> drop it", "@channel drop it"),
        ("<!here>", "@here"),
        ("Ask <@U0BOB|bob> and <@U0CAROL> in <#C1|product>", "Ask @bob and @U0CAROL in #product"),
        ("<https://evil.example|read the docs>", "read the docs (https://evil.example)"),
        ("<!subteam^S1|@eng> look", "@eng look"),
        ("a & b <b>", "a &amp; b &lt;b&gt;"),
        ("a &amp; b &lt;b&gt;", "a &amp; b &lt;b&gt;"),  # Slack's own escaping is not doubled
    ],
)
def test_user_text_is_readable_and_can_ping_no_one(typed: str, shown: str) -> None:
    assert safe(typed) == shown
    assert "<" not in safe(typed) and ">" not in safe(typed)


def test_cut_never_splits_an_entity() -> None:
    text = safe("&" * 50, 12)
    assert len(text) <= 12 and text.endswith("…")
    assert text.removesuffix("…").replace("&amp;", "") == ""
    assert cut("short", 10) == "short"
