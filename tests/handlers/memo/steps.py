"""Steps of a silent reading as Slack performs them, for the /memo tests."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from datetime import UTC, datetime
from typing import Any

from console.localslack import Call
from handlers.memo.ids import Action, Callback, Field
from tests.driver import ALICE, CHANNEL, TEAM, BotDriver, blocks_of, text_of

# A Monday, 15:00 UTC (10:00 in New York, where Alice is).
MONDAY = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
# Every call that shows something to someone.
SHOWN = (
    "chat.postMessage",
    "chat.postEphemeral",
    "chat.update",
    "views.publish",
    "views.open",
    "response_url",
)


async def start(bot: BotDriver, text: str, *, user: str = ALICE) -> str:
    """Type `/memo <text>`; the response_url's name (where any refusal goes)."""
    status, body, name = await bot.command("/memo", text, user=user)
    assert (status, body) == (200, ""), body
    return name


async def answer(bot: BotDriver, name: str) -> str:
    """What the bot said privately at the response_url `name`."""
    return text_of(await bot.response(name))


def card_posts(bot: BotDriver, channel: str = CHANNEL) -> list[Call]:
    return [
        c
        for c in bot.slack.calls("chat.postMessage")
        if c.args.get("channel") == channel
        and not c.args.get("thread_ts")
        and "Silent reading" in str(c.args.get("text"))
        and c.response
        and c.response.get("ok")
    ]


def the_card(bot: BotDriver, channel: str = CHANNEL) -> tuple[str, dict[str, Any]]:
    """The reading's message as it stands in Slack now: (ts, message)."""
    posts = card_posts(bot, channel)
    assert posts, "no reading was posted"
    ts = posts[-1].ts
    return ts, bot.slack.messages[(channel, ts)]


def shown(message: dict[str, Any]) -> str:
    return json.dumps(message.get("blocks", []), ensure_ascii=False) + str(message.get("text"))


async def press(
    bot: BotDriver, action: Action, *, user: str = ALICE, team: str = TEAM, settle: bool = True
) -> str:
    """Press one of the reading's buttons, on its message as it is now; the response name."""
    ts, message = the_card(bot)
    _, _, name = await bot.click(
        message["blocks"], action, user=user, team=team, message_ts=ts, settle=settle
    )
    return name


def comment_state(text: str, *, section: str | None = None, kind: str = "comment") -> dict:
    return {
        Field.SECTION: {Field.SECTION: {"type": "plain_text_input", "value": section}},
        Field.KIND: {
            Field.KIND: {
                "type": "static_select",
                "selected_option": {
                    "value": kind,
                    "text": {"type": "plain_text", "text": kind},
                },
            }
        },
        Field.TEXT: {Field.TEXT: {"type": "plain_text_input", "value": text}},
    }


async def comment(
    bot: BotDriver,
    text: str,
    *,
    user: str = ALICE,
    section: str | None = None,
    kind: str = "comment",
) -> tuple[int, str]:
    """Press *Comment privately* and send the form; the submission's (status, body)."""
    before = len(bot.slack.calls("views.open"))
    await press(bot, Action.COMMENT, user=user)
    opened = await bot.slack.wait_for("views.open", count=before + 1)
    view: dict[str, Any] = opened[-1].args["view"]
    assert view["callback_id"] == Callback.COMMENT
    return await bot.submit(
        view["callback_id"],
        comment_state(text, section=section, kind=kind),
        user=user,
        private_metadata=view["private_metadata"],
        view_id=opened[-1].response["view"]["id"] if opened[-1].response else "",
    )


def thread(bot: BotDriver, channel: str = CHANNEL) -> list[Call]:
    """What Doorway posted in the reading's thread, as Slack took it."""
    ts, _ = the_card(bot, channel)
    return [
        c
        for c in bot.slack.calls("chat.postMessage")
        if c.args.get("thread_ts") == ts and c.response and c.response.get("ok")
    ]


def revealed_text(bot: BotDriver) -> str:
    return "\n".join(text_of(c) for c in thread(bot))


def calls_showing(bot: BotDriver, words: str) -> list[Call]:
    """Every call that showed `words` to anyone, whatever the method."""
    return [
        c
        for c in bot.slack.calls()
        if c.method in SHOWN and words in json.dumps(c.args, ensure_ascii=False)
    ]


async def run_export(bot: BotDriver, *args: str, team: str = TEAM) -> str:
    """`doorway export …` over the test's database; its stdout."""
    env = {"DATABASE_URL": bot.services.settings.database_url, "PATH": "/usr/bin:/bin"}
    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "bot.cli", "export", "--team", team, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


__all__ = ["blocks_of"]
