"""`doorway console`: the real command with piped input, and its renderer on tricky text."""

from __future__ import annotations

import importlib.util
import io
import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from slack_sdk.signature import SignatureVerifier

from bot.app import signed_headers
from bot.settings import Settings
from console import payloads, run_console, when
from console.forms import Form
from console.localslack import LocalSlack
from console.modals import apply_response
from console.mrkdwn import EMOJI, readable
from console.people import Directory
from console.render import render_blocks
from console.terminal import Terminal

HAS_JOBS = importlib.util.find_spec("bot.schedule.jobs") is not None
JSON_HINTS = ('"type"', "block_id", "action_id", '{"', "plain_text")


def console_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment `doorway console` runs in here: nothing of Slack's, OpenAI's or ours."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "OPENAI_", "DOORWAY_", "DATABASE_"))
    }
    # A trap: the console must keep to its own ./doorway-console.db, never DATABASE_URL's.
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'serve.db'}"
    env["PYTHONIOENCODING"] = "utf-8"
    env["HOME"] = str(tmp_path)  # the line history, if any, is kept here
    return {**env, **extra}


def console(script: str, tmp_path: Path, *, timeout: float = 120, **env: str) -> str:
    """Run `doorway console` with `script` piped in; its stdout, after checking it exited well."""
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "console"],
        input=script,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=tmp_path,
        env=console_env(tmp_path, **env),
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert not (tmp_path / "serve.db").exists(), "the console used DATABASE_URL"
    for hint in JSON_HINTS:
        assert hint not in done.stdout, f"raw Block Kit ({hint}) on screen:\n{done.stdout}"
    return done.stdout


def test_door_prints_the_card_with_numbered_controls(tmp_path: Path) -> None:
    out = console("/door Sign a 3-year exclusive contract\nquit\n", tmp_path)

    assert "only @you can see this" in out
    assert "One-way door" in out
    assert "Sign a 3-year exclusive contract" in out
    assert "[1] Share in channel" in out
    assert "[2] Overrule: it's a two-way door" in out
    assert "[3] Review on… (date)" in out
    assert not out.startswith(("Doorway console", ">")), "no banner or prompts when piped"


def test_pressing_share_posts_the_card_in_the_channel(tmp_path: Path) -> None:
    out = console("/door Sign a 3-year exclusive contract\n1\n", tmp_path)

    channel_post = out.split("── #general · Doorway ──", 1)
    assert len(channel_post) == 2, out
    assert "One-way door" in channel_post[1]
    assert "(updated)" in channel_post[1] and "Shared in the channel" in channel_post[1]
    assert "[1]" not in channel_post[1], "the channel card's controls get new numbers"


def test_an_old_number_on_a_changed_message_is_refused(tmp_path: Path) -> None:
    # Once shared, the card no longer has its Share button: [1] is gone with it.
    out = console("/door Try a blue button\n1\n1\nas bob\n99\n", tmp_path)

    assert "[1] was on a message that has changed since" in out
    assert "There's no [99] on screen." in out


def test_a_redrawn_card_keeps_its_numbers(tmp_path: Path) -> None:
    out = console("/door Try a blue button\n1\n2\n", tmp_path)

    redrawn = out.split("only @you can see this (updated) ──", 1)[1]
    assert "[2] Overrule: it's a one-way door" in redrawn and "[1]" not in redrawn
    overruled = redrawn.split("you in #general> 2", 1)[1]
    assert "One-way door" in overruled and "changed since" not in overruled


def test_only_the_person_who_sees_an_ephemeral_can_press_it(tmp_path: Path) -> None:
    out = console("/door Try a blue button\nas @bob\n2\nas you\n2\n", tmp_path)

    assert "You are now typing as @bob" in out
    assert "Only @you can press [2]: type `as you` first." in out
    after = out.split("type `as you` first.", 1)[1]
    assert "One-way door" in after, "pressed as you, the overrule went through"


def test_empty_door_fills_the_modal_and_reprompts_after_its_error(tmp_path: Path) -> None:
    out = console("/door\n\n\nShip the blue button\nquit\n", tmp_path)

    assert "┌─ Size a decision" in out
    assert out.count("What are you deciding? (required)") == 2
    assert "Context (optional)" in out
    assert "has problems to fix" in out
    assert "Tell me what you're deciding" in out
    assert out.index("Tell me what you're deciding") < out.index("Ship the blue button")
    assert "Two-way door" in out


def test_datepicker_asks_for_a_date_and_the_card_shows_it(tmp_path: Path) -> None:
    out = console("/door Try a blue button\n3\n2031-02-03\n3 someday\n", tmp_path)

    assert "YYYY-MM-DD, or +14d" in out
    assert "review on Mon 03 Feb 2031" in out
    assert "I can't read 'someday' as a date" in out


def test_help_and_friendly_lines_for_what_it_does_not_know(tmp_path: Path) -> None:
    out = console(
        "help\nfrobnicate\n/nosuch thing\ntick whenever\nas nobody\n"
        "channel #launch\nchannel\npeople\nquit\n",
        tmp_path,
    )

    for taught in (
        "/door",
        "/coe",
        "tick +3d",
        "as bob",
        "channel #product",
        "react :chair:",
        "quit",
        "help",
    ):
        assert taught in out
    assert "I don't know 'frobnicate'" in out
    assert "/nosuch isn't a command this Doorway knows" in out
    assert "I can't read 'whenever' as a time" in out
    assert "No one here is called 'nobody'" in out
    assert "You are now in #launch." in out
    assert "@carol" in out and "JST" in out


def test_end_of_input_leaves_without_quit(tmp_path: Path) -> None:
    out = console("/chair pricing page", tmp_path)
    assert "The empty chair" in out


def test_commit_modal_and_a_dissenters_dm_buttons(tmp_path: Path) -> None:
    blank_lines = "\n" * 8  # Enter keeps each prefilled field; spare ones are ignored
    out = console(
        f"/commit @alice We ship on Friday\n{blank_lines}as bob\npress I disagree\n"
        f"as alice\npress I disagree\n{blank_lines}",
        tmp_path,
    )

    assert "[now: We ship on Friday]" in out and "[now: @alice]" in out
    assert "── DM from Doorway to @alice ──" in out
    assert "Only @alice can press" in out
    after = out.split("You are now typing as @alice", 1)[1]
    assert "── #general · Doorway (updated) ──" in after


@pytest.mark.skipif(
    not HAS_JOBS,
    reason="bot/schedule/jobs.py (the durable schedule) is not in this "
    "build yet, so `tick` has nothing to run",
)
def test_tick_past_the_review_date_shows_the_reminder_dm(tmp_path: Path) -> None:
    out = console("/door Try a blue button\n3 +14d\ntick +13d\ntick +2d\nquit\n", tmp_path)

    early, _, late = out.partition("⏰")[2].partition("⏰")
    assert "Nothing came due." in early
    reminder = late.split("DM from Doorway to @you", 1)
    assert len(reminder) == 2, out
    assert "Try a blue button" in reminder[1]
    assert "[" in reminder[1], "the reminder's buttons are numbered"


async def test_run_console_takes_its_own_streams(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=f"sqlite:///{tmp_path / 'serve.db'}",
    )
    out = io.StringIO()
    await run_console(settings, stdin=io.StringIO("/door help\nquit\n"), stdout=out)
    assert "Doorway sizes decisions" in out.getvalue()
    assert (tmp_path / "doorway-console.db").exists()
    assert not (tmp_path / "serve.db").exists()


def test_the_console_keeps_decisions_in_its_own_file(tmp_path: Path) -> None:
    out = console("/door Sign a 3-year exclusive contract\nquit\n", tmp_path)

    assert out.splitlines()[0] == "Decisions are kept in ./doorway-console.db."
    assert (tmp_path / "doorway-console.db").exists()


def test_a_slash_command_in_a_form_or_question_cancels_it_and_runs(tmp_path: Path) -> None:
    out = console("/door\n/door Ship the blue button\n3\n/chair pricing\nquit\n", tmp_path)

    assert "└ Closed without submitting: running /door instead." in out
    assert "*Decision:* Ship the blue button" in out
    assert "*Decision:* /door" not in out
    assert out.count("/door Ship") == 1, "only where it was typed (the transcript's echo)"
    assert "Nothing chosen, nothing pressed: running /chair instead." in out
    assert "The empty chair" in out


def test_press_by_label_prefers_a_control_you_may_press(tmp_path: Path) -> None:
    out = console(
        "/door Sign a contract\nas bob\n/door Sign a lease\nas you\npress Share\n", tmp_path
    )

    assert "Only @bob can press" not in out
    shared = out.split("── #general · Doorway ──", 1)
    assert len(shared) == 2, out
    assert "Sign a contract" in shared[1] and "Sign a lease" not in shared[1]


def test_a_chair_reaction_asks_once_in_the_thread(tmp_path: Path) -> None:
    out = console(
        "react :chair:\n/chair pricing page\nreact :chair:\nreact :chair:\nreact :chair: 99\n",
        tmp_path,
    )

    assert "No message in #general to react to yet" in out
    assert out.count("── #general · Doorway, in a thread ──") == 1
    assert "The empty chair asks:" in out
    assert "You reacted :chair:; Doorway had nothing to say." in out
    assert "There's no message showing [99]" in out


# -- rendering ---------------------------------------------------------------------------------


class Names:
    def user(self, user_id: str) -> str:
        return {"U0BOB": "bob"}.get(user_id, user_id)

    def channel(self, channel_id: str) -> str:
        return {"C0GENERAL": "general"}.get(channel_id, channel_id)


@pytest.mark.parametrize(
    ("mrkdwn", "shown"),
    [
        ("<!channel> look", "@channel look"),
        ("&lt;!channel&gt; typed", "<!channel> typed"),
        ("<https://x|y>", "y (https://x)"),
        ("&lt;https://x|y&gt;", "<https://x|y>"),
        ("<https://x>", "https://x"),
        ("<@U0BOB> and <@U0BOB|robert>", "@bob and @robert"),
        ("<#C0GENERAL> or <#C0GENERAL|general>", "#general or #general"),
        ("Tom &amp; Jerry &amp;lt;b&amp;gt;", "Tom & Jerry &lt;b&gt;"),
        ("*bold* _it_ `code`", "*bold* _it_ `code`"),
        (":door: :rocket: 🚀 :not_an_emoji_we_know:", "🚪 🚀 🚀 :not_an_emoji_we_know:"),
        ("نقل الفوترة إلى المزود الجديد", "نقل الفوترة إلى المزود الجديد"),
        ("שלום עולם and english", "שלום עולם and english"),
        ("evil\u202eeman.exe and \x1b[2Jclear", "evileman.exe and [2Jclear"),
        ("<!date^1700000000^{date}|Nov 14> at 09:00:00", "Nov 14 at 09:00:00"),
    ],
)
def test_mrkdwn_reads_as_slack_shows_it(mrkdwn: str, shown: str) -> None:
    assert readable(mrkdwn, Names()) == shown


def test_every_emoji_shortcode_the_bot_sends_is_shown_as_emoji() -> None:
    root = Path(__file__).resolve().parents[2]
    # `:name:` standing alone; not the middle of a key such as f"commit:{id}:remind:{user}".
    shortcode = re.compile(r"(?<![\w}]):([a-z0-9_+-]+):(?![\w{])")
    sources = [p for folder in ("handlers", "bot") for p in (root / folder).rglob("*.py")]
    sent = {name for p in sources for name in shortcode.findall(p.read_text("utf-8"))}
    assert {"door", "raised_hand", "dart", "zzz", "wave", "bar_chart"} <= sent
    assert sorted(sent - EMOJI.keys()) == []


def test_blocks_render_as_text_with_numbered_controls() -> None:
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": "Two-way door"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": "Hi <@U0BOB>\nsecond line"}},
        {
            "type": "context",
            "elements": [
                {"type": "mrkdwn", "text": "small"},
                {"type": "mrkdwn", "text": "print"},
            ],
        },
        {"type": "divider"},
        {
            "type": "actions",
            "block_id": "acts",
            "elements": [
                {
                    "type": "button",
                    "action_id": "a",
                    "value": "v",
                    "text": {"type": "plain_text", "text": "Go"},
                },
                {
                    "type": "datepicker",
                    "action_id": "d",
                    "initial_date": "2026-12-04",
                    "placeholder": {"type": "plain_text", "text": "Review on…"},
                },
                {"type": "users_select", "action_id": "u"},
            ],
        },
        {"type": "mystery_block", "secret": {"nested": True}},
    ]
    pressed: list[tuple[str, str]] = []

    def number(element: dict[str, Any], block_id: str) -> int:
        pressed.append((element["action_id"], block_id))
        return len(pressed)

    lines = render_blocks(blocks, Names(), number)
    assert lines == [
        "=== Two-way door ===",
        "Hi @bob",
        "second line",
        "  small  print",
        "-" * 40,
        "[1] Go  [2] Review on… (date: 2026-12-04)  [3] Choose… (person)",
        "[mystery_block]",
    ]
    assert pressed == [("a", "acts"), ("d", "acts"), ("u", "acts")]


# -- what the console sends ---------------------------------------------------------------------


def test_payloads_are_signed_so_bolt_accepts_them() -> None:
    body = payloads.interactive({"type": "block_actions", "actions": []})
    headers = signed_headers(body, "s3cret")
    assert SignatureVerifier("s3cret").is_valid_request(body, headers)
    assert not SignatureVerifier("other").is_valid_request(body, headers)


def test_command_text_is_escaped_and_linked_as_slack_sends_it() -> None:
    directory = Directory(LocalSlack())
    typed = payloads.as_typed(
        "@alice @Nobody <b> & #general #nowhere @channel https://x.io/a?b=1", directory
    )
    assert typed == (
        "<@U0ALICE|alice> @Nobody &lt;b&gt; &amp; <#C0GENERAL|general> #nowhere "
        "<!channel> <https://x.io/a?b=1>"
    )


def test_times_people_type() -> None:
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    assert when.parse_moment("+3d", now=now) == now + timedelta(days=3)
    assert when.parse_moment("+2h", now=now) == now + timedelta(hours=2)
    assert when.parse_moment("2026-12-04T09:00", now=now) == datetime(2026, 12, 4, 9, tzinfo=UTC)
    assert when.parse_date("+14d", today=date(2026, 12, 1)) == date(2026, 12, 15)
    assert when.parse_date("tomorrow", today=date(2026, 12, 1)) == date(2026, 12, 2)
    with pytest.raises(when.WhenError):
        when.parse_date("+2h", today=date(2026, 12, 1))


async def test_a_form_answers_the_way_slack_submits_state() -> None:
    view = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Commit"},
        "blocks": [
            {
                "type": "input",
                "block_id": "text",
                "label": {"type": "plain_text", "text": "What"},
                "element": {"type": "plain_text_input", "action_id": "t", "initial_value": "Ship"},
            },
            {
                "type": "input",
                "block_id": "who",
                "label": {"type": "plain_text", "text": "Who"},
                "element": {"type": "multi_users_select", "action_id": "w"},
            },
            {
                "type": "input",
                "block_id": "when",
                "label": {"type": "plain_text", "text": "When"},
                "element": {"type": "datepicker", "action_id": "d"},
            },
            {
                "type": "input",
                "block_id": "owner",
                "optional": True,
                "label": {"type": "plain_text", "text": "Owner"},
                "element": {"type": "users_select", "action_id": "o", "initial_user": "U0YOU"},
            },
        ],
    }
    out = io.StringIO()
    terminal = Terminal(io.StringIO("\n@bob, carol\nnot a date\n+7d\nbob carol\nalice\n"), out)
    form = Form(view, terminal, Directory(LocalSlack()), today=date(2026, 12, 1))

    assert await form.fill()
    assert form.values == {
        "text": {"t": {"type": "plain_text_input", "value": "Ship"}},
        "who": {"w": {"type": "multi_users_select", "selected_users": ["U0BOB", "U0CAROL"]}},
        "when": {"d": {"type": "datepicker", "selected_date": "2026-12-08"}},
        "owner": {"o": {"type": "users_select", "selected_user": "U0ALICE"}},
    }
    assert "I can't read 'not a date' as a date" in out.getvalue()
    assert "Name one person" in out.getvalue() and "[now: @you]" in out.getvalue()


def test_a_submission_answer_moves_the_modal_stack_as_slack_does() -> None:
    first = {"id": "V1", "type": "modal", "callback_id": "a"}
    stack = [first]
    apply_response(
        stack, first, {"response_action": "update", "view": {"type": "modal", "callback_id": "b"}}
    )
    assert [(v["id"], v["callback_id"]) for v in stack] == [("V1", "b")]
    apply_response(
        stack, stack[0], {"response_action": "push", "view": {"type": "modal", "callback_id": "c"}}
    )
    assert [v["callback_id"] for v in stack] == ["b", "c"] and stack[1]["id"] != "V1"
    apply_response(stack, stack[1], {})
    assert [v["callback_id"] for v in stack] == ["b"]
    apply_response(stack, stack[0], {"response_action": "clear"})
    assert stack == []


def test_a_rich_text_block_is_drawn_as_its_words() -> None:
    from console import render

    block = {
        "type": "rich_text",
        "elements": [
            {"type": "rich_text_section", "elements": [{"type": "text", "text": "first"}]},
            {"type": "rich_text_section", "elements": [{"type": "text", "text": "second"}]},
        ],
    }
    drawn = render.BLOCKS["rich_text"](block, {}, lambda _e, _b: 1)  # type: ignore[arg-type]
    assert "first" in "\n".join(drawn) and "second" in "\n".join(drawn)
