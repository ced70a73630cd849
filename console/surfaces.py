"""What is on screen: the messages, ephemerals, homes and modals the bot has sent.

LocalSlack records every Web API call and response_url post; `Screen.take()` turns the
new ones into surfaces, folding a post and its immediate updates into one, and
`Screen.show()` renders them with numbers for their controls. A control keeps its number
when its message is redrawn (the same block, action and value); a number whose control
the new version no longer has is refused, as in Slack, where the old button is gone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from console.localslack import RESPONSE_URL, Call, LocalSlack
from console.people import Directory
from console.render import Number, element_label, render_message

MESSAGE, EPHEMERAL, VIEW = "message", "ephemeral", "view"
_MESSAGE_KEYS = ("text", "blocks")


@dataclass(eq=False)
class Surface:
    kind: str
    channel: str = ""
    ts: str = ""
    user: str = ""  # who sees an ephemeral; whose App Home
    thread_ts: str = ""
    message: dict[str, Any] = field(default_factory=dict)
    view: dict[str, Any] | None = None
    version: int = 0
    shown: bool = False
    # The number each control got, by what makes it the same control in a new version.
    numbers: dict[tuple[str, str, str, int], int] = field(default_factory=dict)

    def change(self, args: dict[str, Any], *, replace: bool = False) -> None:
        """chat.update keeps what it isn't given; a response_url replace_original does not."""
        if replace:
            self.message = _message(args)
        else:
            self.message.update(_message(args))
        self.version += 1


@dataclass(frozen=True)
class Control:
    number: int
    surface: Surface
    version: int
    element: dict[str, Any]
    block_id: str
    label: str
    drawn: int = 0  # when it was last drawn: the newest is the one a label finds

    @property
    def stale(self) -> bool:
        return self.version != self.surface.version


@dataclass
class Origin:
    """Where a response_url was handed out: who pressed or typed, in which channel, on what."""

    channel: str
    user: str
    surface: Surface | None = None


class Screen:
    def __init__(self, slack: LocalSlack, directory: Directory) -> None:
        self.slack = slack
        self.directory = directory
        self.controls: dict[int, Control] = {}
        self.origins: dict[str, Origin] = {}
        self.modals: list[dict[str, Any]] = []  # the open modal stack, top last
        self._messages: dict[tuple[str, str], Surface] = {}
        self._homes: dict[str, Surface] = {}
        self._seen = 0
        self._next_number = 1
        self._drawn = 0

    # -- taking in what the bot sent -----------------------------------------------------

    def take(self) -> list[Surface]:
        """Surfaces that appeared or changed since last time, in the order they first did."""
        batch: list[Surface] = []
        calls = self.slack.calls()
        while self._seen < len(calls) and calls[self._seen].answered:
            surface = self._apply(calls[self._seen])
            self._seen += 1
            if surface is not None and surface not in batch:
                batch.append(surface)
        return batch

    def _apply(self, call: Call) -> Surface | None:
        answer = call.response or {}
        if call.status != 200 or not answer.get("ok"):
            return None
        args = call.args
        method = call.method
        if method == "chat.postMessage":
            surface = Surface(
                MESSAGE,
                channel=str(answer.get("channel") or args.get("channel")),
                ts=str(answer.get("ts", "")),
                thread_ts=str(args.get("thread_ts") or ""),
                message=_message(args),
            )
            self._messages[(surface.channel, surface.ts)] = surface
            return surface
        if method == "chat.postEphemeral":
            return Surface(
                EPHEMERAL,
                channel=str(args.get("channel")),
                user=str(args.get("user")),
                ts=str(answer.get("message_ts", "")),
                message=_message(args),
            )
        if method == "chat.update":
            key = (str(args.get("channel")), str(args.get("ts")))
            known = self._messages.get(key)
            if known is None:
                known = Surface(MESSAGE, channel=key[0], ts=key[1], message=_message(args))
                self._messages[key] = known
            else:
                known.change(args)
            return known
        if method == RESPONSE_URL:
            return self._respond(call)
        if method == "views.open":
            self.modals = [answer.get("view") or {}]
            return None
        if method == "views.publish":
            user = str(args.get("user_id"))
            home = self._homes.setdefault(user, Surface(VIEW, user=user))
            home.view = answer.get("view") or args.get("view")
            home.version += 1
            return home
        return None

    def _respond(self, call: Call) -> Surface | None:
        args = call.args
        origin = self.origins.get(call.url_name or "")
        if origin is None:
            return None
        target = origin.surface
        if _true(args.get("replace_original")) and target is not None:
            target.change(args, replace=True)
            return target
        if args.get("response_type") == "in_channel":
            # LocalSlack posted it in the channel, with a timestamp the bot never hears of.
            surface = Surface(
                MESSAGE,
                channel=origin.channel,
                ts=call.posted_ts or self.slack.workspace.next_ts(),
                message=_message(args),
            )
            self._messages[(surface.channel, surface.ts)] = surface
        else:
            surface = Surface(
                EPHEMERAL,
                channel=origin.channel,
                user=origin.user,
                ts=self.slack.workspace.next_ts(),
                message=_message(args),
            )
        if origin.surface is None:  # a command's later replace_original replaces this one
            origin.surface = surface
        return surface

    def home_of(self, user: str) -> dict[str, Any] | None:
        home = self._homes.get(user)
        return home.view if home else None

    # -- showing it ----------------------------------------------------------------------

    def show(self, surface: Surface) -> list[str]:
        """A heading saying where and for whom, then the content, controls numbered."""
        heading = self._heading(surface)
        updated = " (updated)" if surface.shown else ""
        surface.shown = True
        content = surface.view if surface.kind == VIEW and surface.view else surface.message
        lines = render_message(content, self.directory, self._numberer(surface))
        return [f"── {heading}{updated} ──"] + ["  " + line for line in lines]

    def _heading(self, surface: Surface) -> str:
        who = self.directory.user
        if surface.kind == VIEW:
            return f"App Home of @{who(surface.user)}"
        where = self.directory.where(surface.channel)
        if surface.kind == EPHEMERAL:
            return f"{where} · only @{who(surface.user)} can see this"
        if where.startswith("DM with"):
            return f"DM from Doorway to {where.removeprefix('DM with ')}"
        thread = ", in a thread" if surface.thread_ts else ""
        return f"{where} · Doorway{thread}"

    def _numberer(self, surface: Surface) -> Number:
        seen: dict[tuple[str, str, str], int] = {}

        def number(element: dict[str, Any], block_id: str) -> object:
            same = (block_id, str(element.get("action_id", "")), str(element.get("value", "")))
            seen[same] = seen.get(same, 0) + 1
            key = (*same, seen[same])
            n = surface.numbers.get(key)
            if n is None:
                n = surface.numbers[key] = self._next_number
                self._next_number += 1
            label = element_label(element, self.directory)
            self._drawn += 1
            self.controls[n] = Control(
                n, surface, surface.version, element, block_id, label, self._drawn
            )
            return n

        return number

    def find(
        self, words: str, may_press: Callable[[Control], bool] = lambda _: True
    ) -> Control | None:
        """The newest live control whose label starts with (or else contains) `words`: one
        `may_press` allows if there is such, else any (so the refusal can say whose it is)."""
        wanted = words.strip().casefold()
        newest_first = sorted(self.controls.values(), key=lambda c: c.drawn, reverse=True)
        live = [c for c in newest_first if not c.stale]
        allowed = [c for c in live if may_press(c)]
        for controls in (allowed, live):
            found = next(
                (c for c in controls if c.label.casefold().startswith(wanted)), None
            ) or next((c for c in controls if wanted in c.label.casefold()), None)
            if found is not None:
                return found
        return None

    def latest_message(self, channel: str) -> Surface | None:
        """The newest message still in `channel`, outside threads (ephemerals take no
        reactions)."""
        return next(
            (
                m
                for m in reversed(self._messages.values())
                if m.channel == channel and not m.thread_ts
            ),
            None,
        )


def _message(args: dict[str, Any]) -> dict[str, Any]:
    return {k: args[k] for k in _MESSAGE_KEYS if args.get(k) is not None}


def _true(value: Any) -> bool:
    return value is True or str(value).lower() == "true"
