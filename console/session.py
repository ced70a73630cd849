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
from console import modals, payloads, press, ticking, when
from console.harness import DATABASE_FILE, Harness, Reply
from console.people import DEFAULT_CHANNEL, YOU, Directory, Person
from console.surfaces import EPHEMERAL, MESSAGE, VIEW, Origin, Screen, Surface
from console.terminal import Terminal

log = logging.getLogger("doorway.console")
T = TypeVar("T")

HELP = """\
Doorway console: the same bot as in Slack, talking to a pretend workspace.
  /door <decision>        size a decision (just /door opens a form)
  /commit, /chair, /digest … and any other slash command, as in Slack
  3   or   3 2026-12-04   press control [3]; dates, people and options are asked for
  press <label>           press the newest control (you may press) whose label starts with that
  react :chair: [3]       react to the newest message here, or to the one showing [3]
  tick +3d | +2h | 2026-12-04T09:00
                          move the clock forward and run everything that comes due
  as bob                  type as someone else (you, alice, bob, carol)
  channel #product        type in another channel (a new name makes the channel)
  home                    open your App Home
  people                  who is here, and their local time
  help                    this list
  quit                    leave (so does the end of input)
In forms: Enter keeps what's shown, '-' clears a field, ':cancel' closes the form;
a /command typed there closes the form (or question) and runs."""

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
            await self.press_number(int(match.group(1)), match.group(2) or "")
        elif verb == "press" and rest:
            found = self.screen.find(rest, lambda c: self._owner(c.surface) in ("", self.user))
            if found is None:
                self.terminal.say(f"Nothing on screen is labelled {rest!r}.")
            else:
                await self.press_number(found.number, "")
        elif verb in ("help", "?"):
            self.terminal.say(HELP)
        elif verb == "tick":
            await ticking.tick(self, rest)
        elif verb == "as":
            self.switch_user(rest)
        elif verb == "channel" or (line.startswith("#") and not rest):
            self.switch_channel(rest if verb == "channel" else line)
        elif verb == "react":
            await self.react(rest)
        elif verb == "home":
            await self.home()
        elif verb in ("people", "who"):
            self.show_people()
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

    async def press_number(self, number: int, inline: str) -> None:
        control = self.screen.controls.get(number)
        if control is None:
            self.terminal.say(f"There's no [{number}] on screen.")
            return
        if control.stale:
            self.terminal.say(
                f"[{number}] was on a message that has changed since: press one "
                "of the numbers shown with its newest version."
            )
            return
        surface = control.surface
        owner = self._owner(surface)
        if owner and owner != self.user:
            name = self.directory.user(owner)
            self.terminal.say(f"Only @{name} can press [{number}]: type `as {name}` first.")
            return
        action = await press.action_for(
            control, inline, terminal=self.terminal, directory=self.directory, today=self.today()
        )
        if action is None:
            return
        if surface.kind == VIEW:
            payload = payloads.view_action(action, self.actor(), view=surface.view or {})
        else:
            slack = self.harness.slack
            stored = slack.messages.get((surface.channel, surface.ts))
            message = stored or {
                "type": "message",
                "ts": surface.ts,
                "user": slack.user_id,
                "bot_id": slack.bot_id,
                **surface.message,
            }
            payload = payloads.message_action(
                action,
                self.actor(),
                channel_id=surface.channel,
                channel_name=self.directory.channel(surface.channel),
                message_ts=surface.ts,
                response_url=self.response_url(Origin(surface.channel, self.user, surface)),
                message=message,
                ephemeral=surface.kind == EPHEMERAL,
            )
        reply, _ = await self.exchange(lambda: self.harness.interact(payload))
        if reply.status == 404:
            self.terminal.say(f"Nothing in Doorway answers [{number}] any more.")
        elif reply.status not in (200, 404):
            self.terminal.say(f"The bot turned that press down (HTTP {reply.status}).")

    def _owner(self, surface: Surface) -> str:
        """Who alone can press this: an ephemeral's viewer, a home's owner, a DM's person."""
        if surface.kind in (EPHEMERAL, VIEW):
            return surface.user
        if surface.channel.startswith("D") and surface.channel[1:] in self.directory.people:
            return surface.channel[1:]
        return ""

    async def react(self, text: str) -> None:
        """React to a message, as Slack sends it: a `reaction_added` event."""
        words = text.split()
        name = (words[0] if words else "chair").strip(":")
        number = words[1].strip("[]") if len(words) > 1 else ""
        if (
            not re.fullmatch(r"[a-z0-9_+-]+", name)
            or len(words) > 2
            or (number and not number.isdigit())
        ):
            self.terminal.say("React like this: react :chair:   or   react :chair: 3")
            return
        if number:
            control = self.screen.controls.get(int(number))
            target = control.surface if control is not None else None
            if target is None or target.kind != MESSAGE:
                self.terminal.say(
                    f"There's no message showing [{number}] to react to "
                    "(ephemerals and App Home take no reactions)."
                )
                return
        else:
            target = self.screen.latest_message(self.channel)
            if target is None:
                self.terminal.say(
                    f"No message in {self.directory.where(self.channel)} to "
                    "react to yet (ephemerals take no reactions)."
                )
                return
        event = payloads.reaction_added(
            self.actor(),
            name,
            channel_id=target.channel,
            message_ts=target.ts,
            item_user=self.harness.slack.user_id,
        )
        _, shown = await self.exchange(lambda: self.harness.event(event, self.actor()))
        if not shown:
            self.terminal.say(f"You reacted :{name}:; Doorway had nothing to say.")

    async def home(self) -> None:
        existing = self.screen.home_of(self.user)
        event = payloads.home_opened(self.actor(), view=existing)
        _, shown = await self.exchange(lambda: self.harness.event(event, self.actor()))
        if not shown:
            self.terminal.say("Your App Home has nothing new.")

    # -- who and where, switched -------------------------------------------------------------

    def switch_user(self, text: str) -> None:
        if not text:
            self.terminal.say(
                f"You are typing as @{self.person.name}. Others: {self.directory.names()}."
            )
            return
        found = self.directory.find_person(text)
        if found is None:
            self.terminal.say(f"No one here is called {text!r}: try {self.directory.names()}.")
            return
        self.user = found.id
        self.terminal.say(f"You are now typing as @{found.name} ({found.real_name}, {found.tz}).")

    def switch_channel(self, text: str) -> None:
        name = text.strip()
        if not name.lstrip("#"):
            channels = ", ".join(f"#{c['name']}" for c in self.harness.slack.channels.values())
            self.terminal.say(
                f"You are in {self.directory.where(self.channel)}. Channels: {channels}."
            )
            return
        found = self.directory.find_channel(name)
        if found is None:
            found = self.directory.add_channel(name)
            if found is None:
                self.terminal.say("Channel names are letters, numbers, - and _.")
                return
            self.terminal.say(f"Created {self.directory.where(found)}.")
        self.channel = found
        self.terminal.say(f"You are now in {self.directory.where(found)}.")

    def show_people(self) -> None:
        now = self.services.clock.now()
        for person in self.directory.people.values():
            you = " ← typing" if person.id == self.user else ""
            self.terminal.say(
                f"@{person.name:<6} {person.real_name:<12} "
                f"{when.shown(now, ZoneInfo(person.tz))}{you}"
            )


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
        await harness.stop()
        root.setLevel(level)
