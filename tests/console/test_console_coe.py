"""`/coe` in the console, end to end: its form's pickers, the review's menu, rich text answers."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from console.forms import Form
from console.localslack import LocalSlack
from console.people import Directory
from console.press import action_for
from console.surfaces import MESSAGE, Control, Surface
from console.terminal import Terminal
from tests.console.test_console import console, console_env

FORM = (
    "/coe Checkout was down\n"
    "\n"  # the title: keep the command's text
    "2026-03-02 9:30\n"  # started, in the person's zone (Tokyo)
    "2026-03-02 09:00\n"  # detected: before it started, which the bot turns down
    "ninety\n95\n"  # minutes: the console wants a whole number
    "2\n"  # severity, by its number in the list
    "product\n"  # where it was handled
    "\n\n\n\n"  # owner, writers, draft due, decisions: as they are
    "2026-03-02 09:45\n"  # detected, asked again after the bot's error
)
ANSWERS = (
    "press Answer a question what happened\n"  # the menu, with the option's words
    "The deploy at 09:30 broke <checkout> & payments\n"
    "press Answer a question\n"  # the menu, its options listed, one picked by number
    "2\n120\n95\n$3,000\nCustomers saw errors at checkout\n"
    "1 1\n:cancel\n"  # what happened again, to see the answer kept
    "press Add a corrective action\n"
    "Add a canary stage\nbob\n\nhigh\n"
    "quit\n"
)


def exported(tmp_path: Path) -> list[dict[str, Any]]:
    """The console's reviews, as `doorway export --kind coe` writes them."""
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "export", "--kind", "coe", "--format", "json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=tmp_path,
        env=console_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'doorway-console.db'}"),
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    found: list[dict[str, Any]] = json.loads(done.stdout)
    return found


def test_coe_form_menu_answers_and_an_action(tmp_path: Path) -> None:
    out = console(FORM + ANSWERS, tmp_path, TZ="Asia/Tokyo")

    form, _, rest = out.partition("└ Save")
    assert "When it started (optional) — a day and a time in your zone" in form
    assert "That isn't a whole number, 0 or more." in form
    assert "2. SEV2: a major part is broken" in form
    assert "Where it was handled (required) — a channel: #general, #product" in form
    assert "[now: #general]" in form, "the channel the command was typed in"
    assert "! When it was detected: It can't have been detected before it started." in rest

    card = rest.split("── #product · Doorway ──", 1)
    assert len(card) == 2, out
    assert "Correction of Error: Checkout was down" in card[1] and "SEV2" in card[1]
    assert "Answer a question (menu)" in card[1]
    answered = card[1].split("── #product · Doorway (updated) ──")
    assert "1 of 6 questions answered" in answered[1]
    assert "2. Impact on customers and the business" in answered[1]
    assert "1. ✓ What happened" in answered[1], "the menu shows what is answered"
    assert "2 of 6 questions answered" in answered[2]
    assert "[now: The deploy at 09:30 broke <checkout> & payments]" in answered[2]
    assert "1 corrective action (1 open)" in answered[-1]
    assert "• Add a canary stage — @bob" in answered[-1] and "high priority" in answered[-1]

    [review] = exported(tmp_path)
    assert review["channel_id"] == "C0PRODUCT" and review["severity"] == "sev2"
    assert review["started_at"] == "2026-03-02T00:30:00+00:00"  # 09:30 in Tokyo
    assert review["detected_at"] == "2026-03-02T00:45:00+00:00"
    assert review["duration_minutes"] == 95
    happened = review["answers"]["what_happened"]["text"]
    assert happened == "The deploy at 09:30 broke &lt;checkout&gt; &amp; payments"
    impact = review["answers"]["impact"]
    assert (impact["customers"], impact["minutes"], impact["cost"]) == (120, 95, "$3,000")
    assert impact["text"] == "Customers saw errors at checkout"
    [action] = review["actions"]
    assert (action["title"], action["owner_id"], action["priority"]) == (
        "Add a canary stage",
        "U0BOB",
        "high",
    )


# -- the state each new element sends --------------------------------------------------------

SEVERITIES = [
    {"text": {"type": "plain_text", "text": "SEV1: down"}, "value": "sev1"},
    {"text": {"type": "plain_text", "text": "SEV2: broken"}, "value": "sev2"},
]


def _input(block_id: str, element: dict[str, Any], *, optional: bool = False) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": {"type": "plain_text", "text": block_id.capitalize()},
        "element": {**element, "action_id": block_id},
    }


async def test_each_picker_answers_with_the_state_slack_submits() -> None:
    rich = {
        "type": "rich_text",
        "elements": [{"type": "rich_text_section", "elements": [{"type": "text", "text": "Was"}]}],
    }
    view = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Review"},
        "blocks": [
            _input("started", {"type": "datetimepicker"}, optional=True),
            _input("ended", {"type": "datetimepicker", "initial_date_time": 1772400000}),
            _input("minutes", {"type": "number_input", "is_decimal_allowed": False}),
            _input("spare", {"type": "number_input", "is_decimal_allowed": False}, optional=True),
            _input("severity", {"type": "static_select", "options": SEVERITIES}),
            _input("unsure", {"type": "static_select", "options": SEVERITIES}, optional=True),
            _input(
                "channel", {"type": "conversations_select", "initial_conversation": "C0GENERAL"}
            ),
            _input("answer", {"type": "rich_text_input"}),
            _input("notes", {"type": "rich_text_input", "initial_value": rich}, optional=True),
        ],
    }
    typed = [
        "tomorrow 9:30",  # started, in Tokyo
        "",  # ended: kept
        "4.5",
        "45",
        "",  # spare: left empty
        "3",
        "broken",
        "",  # unsure: left empty
        "#product",
        "It broke & <b>",
        "-",  # notes: cleared
    ]
    out = io.StringIO()
    terminal = Terminal(io.StringIO("\n".join(typed) + "\n"), out)
    form = Form(
        view,
        terminal,
        Directory(LocalSlack()),
        today=date(2026, 3, 1),
        zone=ZoneInfo("Asia/Tokyo"),
    )

    assert await form.fill()
    assert form.values == {
        "started": {"started": {"type": "datetimepicker", "selected_date_time": 1772411400}},
        "ended": {"ended": {"type": "datetimepicker", "selected_date_time": 1772400000}},
        "minutes": {"minutes": {"type": "number_input", "value": "45"}},
        "spare": {"spare": {"type": "number_input", "value": None}},
        "severity": {"severity": {"type": "static_select", "selected_option": SEVERITIES[1]}},
        "unsure": {"unsure": {"type": "static_select", "selected_option": None}},
        "channel": {
            "channel": {"type": "conversations_select", "selected_conversation": "C0PRODUCT"}
        },
        "answer": {
            "answer": {
                "type": "rich_text_input",
                "rich_text_value": {
                    "type": "rich_text",
                    "elements": [
                        {
                            "type": "rich_text_section",
                            "elements": [{"type": "text", "text": "It broke & <b>"}],
                        }
                    ],
                },
            }
        },
        "notes": {
            "notes": {
                "type": "rich_text_input",
                "rich_text_value": {"type": "rich_text", "elements": []},
            }
        },
    }
    shown = out.getvalue()
    assert "[now: 2026-03-02 06:20 JST]" in shown, "a moment in the zone of who fills it"
    assert "That isn't a whole number." in shown
    assert "Pick one by its number, 1 to 2" in shown
    assert "[now: #general]" in shown and "[now: Was]" in shown


async def test_a_menu_in_a_message_sends_the_option_picked() -> None:
    element = {
        "type": "static_select",
        "action_id": "coe_question",
        "placeholder": {"type": "plain_text", "text": "Answer a question"},
        "options": SEVERITIES,
    }
    surface = Surface(MESSAGE, channel="C0GENERAL", ts="1.2")
    control = Control(1, surface, 0, element, "coe_card:1", "Answer a question (menu)")
    out = io.StringIO()
    terminal = Terminal(io.StringIO("SEV2\n"), out)
    directory = Directory(LocalSlack())

    action = await action_for(
        control, "", terminal=terminal, directory=directory, today=date(2026, 3, 1)
    )
    assert action is not None and action.pop("action_ts")
    assert action == {
        "type": "static_select",
        "action_id": "coe_question",
        "block_id": "coe_card:1",
        "selected_option": SEVERITIES[1],
        "placeholder": {"type": "plain_text", "text": "Answer a question"},
    }
    assert "1. SEV1: down" in out.getvalue() and "2. SEV2: broken" in out.getvalue()
    picked = await action_for(
        control, "sev", terminal=terminal, directory=directory, today=date(2026, 3, 1)
    )
    assert picked is None and "'sev' fits more than one: pick 1 or 2." in out.getvalue()
