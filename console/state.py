"""The console's state: who you are, where you are, and how a request reaches the bot.

The console's verbs (bot commands, presses, ticks, forms) each take this state; the loop
that reads lines and picks a verb is console/session.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from typing import TypeVar
from zoneinfo import ZoneInfo

from bot.app import Services
from console import payloads
from console.harness import Harness, Reply
from console.people import DEFAULT_CHANNEL, YOU, Directory, Person
from console.surfaces import EPHEMERAL, Origin, Screen, Surface
from console.terminal import Terminal

T = TypeVar("T")


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
                "/commit, /coe, /prfaq, /memo, /chair or /digest, or type `help`."
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
