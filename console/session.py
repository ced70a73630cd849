"""`doorway console`: read a line, send it to the bot as Slack would, show what comes back."""

from __future__ import annotations

import logging
import re
import uuid
from typing import IO

from bot.app import Settings
from console import events, modals, places, press, ticking, when
from console.harness import DATABASE_FILE, Harness
from console.help import HELP
from console.state import Console
from console.terminal import Terminal

log = logging.getLogger("doorway.console")

_NUMBER = re.compile(r"^\[?(\d{1,6})\]?(?:\s+(.*))?$")


async def run(console: Console) -> None:
    if console.harness.clock_restored:
        now = when.shown(console.services.clock.now(), console.zone())
        console.terminal.say(f"The clock is where the last session left it: {now}.")
    if console.terminal.interactive:
        console.terminal.say(
            "Doorway console: you are @you in #general. Type `help` for "
            "what works, `quit` to leave."
        )
    while True:
        prompt = f"{console.person.name} in {console.directory.where(console.channel)}> "
        # A slash command typed into a form or question cancelled it; it runs now.
        line = console.terminal.take_interrupted() or await console.terminal.read(prompt)
        if line is None or not await handle(console, line):
            break
    if console.terminal.interactive:
        console.terminal.say("Bye.")


async def handle(console: Console, line: str) -> bool:
    """Act on one line; False when it asks to leave. Never raises for bad input."""
    line = line.strip()
    try:
        return await _dispatch(console, line)
    except Exception as exc:
        error_id = uuid.uuid4().hex[:8]
        log.debug("console input failed (%s)", error_id, exc_info=True)
        log.error(
            "console could not handle a line (error %s): %s: %s",
            error_id,
            type(exc).__name__,
            exc,
        )
        console.terminal.say(f"Sorry, that went wrong on the console's side (error {error_id}).")
        return True


async def _dispatch(console: Console, line: str) -> bool:
    word, _, rest = line.partition(" ")
    verb, rest = word.casefold(), rest.strip()
    if not line or line.startswith("# "):
        return True
    if verb in ("quit", "exit", "bye"):
        return False
    if line.startswith("/"):
        await console.command(word, rest)
    elif match := _NUMBER.match(line):
        await press.press_number(console, int(match.group(1)), match.group(2) or "")
    elif verb == "press" and rest:
        await press.press_label(console, rest)
    elif verb in ("help", "?"):
        console.terminal.say(HELP)
    elif verb == "tick":
        await ticking.tick(console, rest)
    elif verb == "as":
        places.switch_user(console, rest)
    elif verb == "channel" or (line.startswith("#") and not rest):
        places.switch_channel(console, rest if verb == "channel" else line)
    elif verb == "react":
        await events.react(console, rest)
    elif verb == "shortcut":
        await events.shortcut(console, rest)
    elif verb == "home":
        await events.home(console)
    elif verb in ("people", "who"):
        places.show_people(console)
    else:
        console.terminal.say(
            f"I don't know {line[:40]!r}. Type a slash command like "
            "/door …, a number to press a button, or `help`."
        )
    await modals.run_open_forms(console)
    return not console.terminal.eof


async def run_console(
    settings: Settings, *, stdin: IO[str] | None = None, stdout: IO[str] | None = None
) -> None:
    """Run the console until `quit` or the end of input."""
    root = logging.getLogger()
    level = root.level
    if "doorway_log_level" not in settings.model_fields_set:
        # The conversation is the output: logs only for errors unless a level was asked for.
        # Bolt copies the root level into each logger it makes, so this comes first.
        root.setLevel(logging.ERROR)
    terminal = Terminal(stdin, stdout)
    terminal.say(f"Decisions are kept in ./{DATABASE_FILE}.")
    harness = Harness(settings)
    try:
        services = await harness.start()
        await run(Console(harness, services, terminal))
    finally:
        terminal.close()
        await harness.stop()
        root.setLevel(level)
