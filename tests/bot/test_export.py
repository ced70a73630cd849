"""`doorway export`'s renderings: user text can't forge Markdown structure."""

from __future__ import annotations

import re
from typing import Any

from bot.export import md, render

FORGED = (
    "# hi <script>alert(1)</script> [click](javascript:alert(1)) ![x](http://t/x.png) "
    "*bold* _em_ `code` | a | table | ~~gone~~ &amp; \\# escaped\n## Forged heading\n- item"
)


def entry(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": 7,
        "team_id": "T1",
        "channel_id": "C1",
        "kind": "commit",
        "text": FORGED,
        "door": "one_way",
        "door_source": "rules",
        "author_id": "U1",
        "owner_id": "U1",
        "created_at": "2026-12-01T10:00:00+00:00",
        "review_at": "2026-12-15",
        "status": "open",
        "dissent": [
            {
                "user_id": "U2",
                "concern": "fine\n# Also forged",
                "expectation": None,
                "state": "committed",
                "committed_at": None,
            }
        ],
        "outcome": {"result": "held_up", "by": "U1", "at": None},
        "checkins": [
            {"user_id": "U2", "role": "dissenter", "answer": "<b>x</b>\n---", "answered_at": None}
        ],
    }
    return base | changes


def test_markdown_headings_and_lines_are_only_doorways_own() -> None:
    out = render([entry()], "md")
    lines = out.splitlines()
    assert [line for line in lines if line.startswith("#")] == [
        "# Decision log",
        "## #7: " + md(FORGED),
    ]
    assert all(line == "" or line.startswith(("#", "- ")) for line in lines), lines
    assert "<" not in out and ">" not in out
    assert not re.search(r"(?<!\\)\]\(", out), "a link survived"
    for raw in ("[click]", "*bold*", "_em_", "`code`", "~~gone~~", "| a |"):
        assert raw not in out, raw
    assert "&amp;amp;" in out  # the entity the person typed, shown as typed
    assert "\\\\\\#" in out  # a backslash typed before # stays a backslash, # stays inert


def test_md_keeps_the_words() -> None:
    shown = md("Ship v2.0 (beta) - 50% of users, e.g. the EU")
    assert shown == "Ship v2.0 (beta) - 50% of users, e.g. the EU"
    unescaped = re.sub(r"\\(.)", r"\1", md("a*b_c[d]e#f|g~h!i`j"))
    assert unescaped == "a*b_c[d]e#f|g~h!i`j"


def test_csv_cells_that_start_like_a_formula_stay_text() -> None:
    out = render([entry(text='=HYPERLINK("https://evil.example","Click")')], "csv")
    assert "'=HYPERLINK(" in out
    assert ",=HYPERLINK(" not in out and '"=HYPERLINK(' not in out


def test_csv_cells_that_look_like_a_formula_after_spaces_or_in_fullwidth_stay_text() -> None:
    for text in (" =1+1", "\uff1dHYPERLINK(A1)", "\u3000@SUM(A1)"):
        out = render([entry(text=text)], "csv")
        assert "'" + text in out, text


def test_no_export_carries_a_control_character_to_the_readers_terminal() -> None:
    # Rows stored before control characters were dropped on receipt: ESC, DEL, C1's CSI.
    stored = "ok\x1b[2J\x7f\x9b31m done"
    for fmt in ("json", "csv", "md"):
        out = render([entry(text=stored, kind="door")], fmt)
        assert not re.search(
            r"[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f]", out.replace("\r\n", "\n")
        ), fmt
        assert "2J31m done" in out, fmt
