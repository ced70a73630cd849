"""`/prfaq` in the console, end to end: the five questions as a form, the draft in the
author's DM, a reviewer reading and asking, the history, and the CLI export of it all."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from tests.console.test_console import console, console_env

SCRIPT = (
    "help\n"
    "/prfaq Instant refunds\n"
    "\n"  # the idea: keep the command's text
    "Small shops that sell to returning customers\n"
    "Refunds take a week\n"
    "Money back the moment a return is scanned\n"
    "40% of support tickets ask where a refund is\n"
    "Drop the parcel off, and the money lands\n"
    "press Revise\n"  # the newest section's own button: the internal FAQ's
    "Q: What will it cost? A: One engineer for a quarter\n"
    "press Share with reviewers\n"
    "bob\n"
    "as bob\n"
    "press I've read it\n"
    "press Ask a question\n"
    "What stops a <fraudster> returning an empty box?\n"
    "as you\n"
    "press History\n"
    "quit\n"
)


def export(tmp_path: Path, fmt: str) -> str:
    """The console's PR/FAQs, as `doorway export --kind prfaq` writes them."""
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "export", "--kind", "prfaq", "--format", fmt],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=tmp_path,
        env=console_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'doorway-console.db'}"),
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_prfaq_drafted_read_and_asked_about_in_the_console(tmp_path: Path) -> None:
    out = console(SCRIPT, tmp_path)
    assert "/prfaq <idea>" in out, "help mentions /prfaq"
    _, _, rest = out.partition("you in #general> /prfaq Instant refunds")
    form, _, rest = rest.partition("└ Draft it")
    assert "Who is the customer? (required)" in form
    assert "What does the customer experience look like? (required)" in form

    draft, _, rest = rest.partition("press Share with reviewers")
    assert "── DM from Doorway to @you ──" in draft
    assert "=== PR/FAQ: Instant refunds ===" in draft
    assert "Doorway's template (no model is configured)" in draft
    assert "within a page" in draft and "marked gaps left to write" in draft
    assert "Refunds take a week" in draft and "[TO WRITE: city]" in draft
    revised = draft.partition("press Revise")[2]
    assert "┌─ Revise: Internal FAQ" in revised and "A: One engineer for a quarter" in revised
    assert "Version 2, by @you." in revised

    shared, _, rest = rest.partition("as bob")
    assert "── DM from Doorway to @bob ──" in shared and "asks you to read" in shared

    asked, _, history = rest.partition("press History")
    assert "@bob asked about *Instant refunds*" in asked
    assert "Q: What stops a <fraudster> returning an empty box?" in asked
    assert "*Read by:* @bob" in asked

    assert "*Internal FAQ*, version 3: @bob" in history and "a reader's question" in history
    assert "*Internal FAQ*, version 2: @you" in history
    assert "*Problem*, version 1: the template" in history
    # A view to read: closed, not submitted (there is nothing to send).
    assert "┌─ History\n" in history and "└ Close" in history
    assert "turned the form down" not in history

    [prfaq] = json.loads(export(tmp_path, "json"))
    assert prfaq["idea"] == "Instant refunds" and prfaq["written_by"] == "template"
    faq = prfaq["sections"]["internal_faq"]
    assert faq["version"] == 3 and "What stops a <fraudster>" in faq["text"]
    [row] = list(csv.DictReader(io.StringIO(export(tmp_path, "csv"))))
    assert row["idea"] == "Instant refunds" and "Refunds take a week" in row["problem"]
    markdown = export(tmp_path, "md")
    assert "## Instant refunds" in markdown and "### Problem\n\nRefunds take a week" in markdown
    # A question and its answer are paragraphs of their own, not one run-on line.
    assert "Q: What stops a &lt;fraudster&gt; returning an empty box?\n\nA: " in markdown
    assert "- **Who is the customer?** Small shops that sell" in markdown
    assert "### Readers\n\n- U0BOB (reviewers): read 20" in markdown
    assert "- Internal FAQ, version 3: U0BOB," in markdown and "(a reader's question)" in markdown
    assert "- Problem, version 1: the template," in markdown
