"""`doorway console`: read a line, send it to the bot as Slack would, show what comes back."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from typing import IO, TypeVar
from zoneinfo import ZoneInfo

from bot.app import Services, Settings
from console import events, modals, payloads, places, press, ticking, when
from console.harness import DATABASE_FILE, Harness, Reply
from console.help import HELP
from console.people import DEFAULT_CHANNEL, YOU, Directory, Person
from console.surfaces import EPHEMERAL, Origin, Screen, Surface
from console.terminal import Terminal

log = logging.getLogger("doorway.console")
T = TypeVar("T")

_NUMBER = re.compile(r"^\[?(\d{1,6})\]?(?:\s+(.*))?$")


class Console:
    def __init__(self, harness: Harness, services: Services, terminal: Terminal) -> None:
        self.harness = harness
        self.services = services
        self.terminal = terminal
        self.directory = Directory(harness.slack)
        self.screen = Screen(harness.slack, self.directory)
        self.user = YOU
        self.channel = DEFAULT_CHANNEL

    # -- who and where ----------------------------------------------------------------------

    @property
    def person(self) -> Person:
        return self.directory.people[self.user]

    def actor(self) -> payloads.Actor:
        return payloads.Actor(
            team_id=self.harness.slack.team_id,
            team_domain=self.harness.slack.workspace.team_domain,
            user_id=self.user,
            user_name=self.person.name,
            channel_id=self.channel,
            channel_name=self.directory.channel(self.channel),
        )

    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.person.tz)

    def today(self) -> date:
        return self.services.clock.now().astimezone(self.zone()).date()

    def response_url(self, origin: Origin) -> str:
        name = f"console-{uuid.uuid4().hex[:10]}"
        self.screen.origins[name] = origin
        return self.harness.slack.response_url(name, channel=origin.channel)

    # -- the loop ------------------------------------------------------------------------------

    async def run(self) -> None:
        if self.harness.clock_restored:
            now = when.shown(self.services.clock.now(), self.zone())
            self.terminal.say(f"The clock is where the last session left it: {now}.")
        if self.terminal.interactive:
            self.terminal.say(
                "Doorway console: you are @you in #general. Type `help` for "
                "what works, `quit` to leave."
            )
        while True:
            prompt = f"{self.person.name} in {self.directory.where(self.channel)}> "
            # A slash command typed into a form or question cancelled it; it runs now.
            line = self.terminal.take_interrupted() or await self.terminal.read(prompt)
            if line is None or not await self.handle(line):
                break
        if self.terminal.interactive:
            self.terminal.say("Bye.")

    async def handle(self, line: str) -> bool:
        """Act on one line; False when it asks to leave. Never raises for bad input."""
        line = line.strip()
        try:
            return await self._dispatch(line)
        except Exception as exc:
            error_id = uuid.uuid4().hex[:8]
            log.debug("console input failed (%s)", error_id, exc_info=True)
            log.error(
                "console could not handle a line (error %s): %s: %s",
                error_id,
                type(exc).__name__,
                exc,
            )
            self.terminal.say(f"Sorry, that went wrong on the console's side (error {error_id}).")
            return True

    async def _dispatch(self, line: str) -> bool:
        word, _, rest = line.partition(" ")
        verb, rest = word.casefold(), rest.strip()
        if not line or line.startswith("# "):
            return True
        if verb in ("quit", "exit", "bye"):
            return False
        if line.startswith("/"):
            await self.command(word, rest)
        elif match := _NUMBER.match(line):
            await press.press_number(self, int(match.group(1)), match.group(2) or "")
        elif verb == "press" and rest:
            await press.press_label(self, rest)
        elif verb in ("help", "?"):
            self.terminal.say(HELP)
        elif verb == "tick":
            await ticking.tick(self, rest)
        elif verb == "as":
            places.switch_user(self, rest)
        elif verb == "channel" or (line.startswith("#") and not rest):
            places.switch_channel(self, rest if verb == "channel" else line)
        elif verb == "react":
            await events.react(self, rest)
        elif verb == "home":
            await events.home(self)
        elif verb in ("people", "who"):
            places.show_people(self)
        else:
            self.terminal.say(
                f"I don't know {line[:40]!r}. Type a slash command like "
                "/door …, a number to press a button, or `help`."
            )
        await modals.run_open_forms(self)
        return not self.terminal.eof

    # -- talking to the bot ---------------------------------------------------------------------

    async def exchange(
        self, send: Callable[[], Awaitable[T]], on_reply: Callable[[T], None] | None = None
    ) -> tuple[T, int]:
        """Send, show the immediate answer, wait until the bot is done, show what it sent."""
        before = self.harness.busy_marker()
        result = await send()
        if on_reply is not None:
            on_reply(result)
        await self.harness.settle(before)
        return result, self.show_new()

    def show_new(self) -> int:
        batch = self.screen.take()
        for surface in batch:
            self.terminal.say(*self.screen.show(surface))
        return len(batch)

    async def command(self, word: str, text: str) -> None:
        command = word.casefold()
        url = self.response_url(Origin(self.channel, self.user))
        typed = payloads.as_typed(text, self.directory)
        body = payloads.slash_command(command, typed, self.actor(), response_url=url)
        await self.exchange(
            lambda: self.harness.send(body), lambda reply: self._show_ack(reply, command)
        )

    def _show_ack(self, reply: Reply, command: str) -> None:
        if reply.status == 404:
            self.terminal.say(
                f"{command} isn't a command this Doorway knows. Try /door, "
                "/commit, /chair or /digest, or type `help`."
            )
        elif reply.status != 200:
            self.terminal.say(f"The bot turned that down (HTTP {reply.status}).")
        else:
            answer = reply.json() or ({"text": reply.body} if reply.body.strip() else None)
            if answer and (answer.get("text") or answer.get("blocks")):
                surface = Surface(
                    EPHEMERAL,
                    channel=self.channel,
                    user=self.user,
                    ts=self.harness.slack.workspace.next_ts(),
                    message={k: answer[k] for k in ("text", "blocks") if answer.get(k)},
                )
                self.terminal.say(*self.screen.show(surface))


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
        await Console(harness, services, terminal).run()
    finally:
        terminal.close()
        await harness.stop()
        root.setLevel(level)
