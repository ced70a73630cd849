"""What the console sends as Events API deliveries (a reaction, opening App Home) and
the shortcuts people use on a message or from anywhere."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from console import payloads
from console.surfaces import MESSAGE, Surface

if TYPE_CHECKING:
    from console.state import Console


# The shortcuts in manifest.yml, by the word the console takes for each.
SHORTCUTS = {
    "size": "door_size_message",
    "commit": "commit_on_message",
    "log": "door_log_decision",
}
SHORTCUT_USAGE = (
    "Use a shortcut like this: shortcut size [3]   shortcut commit [3]   or   shortcut log"
)


def _message(console: Console, number: str, what: str) -> Surface | None:
    """The message showing [number], or the newest one here; None (said why) if none."""
    say, screen = console.terminal.say, console.screen
    if number:
        control = screen.controls.get(int(number))
        target = control.surface if control is not None else None
        if target is None or target.kind != MESSAGE:
            say(
                f"There's no message showing [{number}] to {what} "
                "(ephemerals and App Home take none)."
            )
            return None
        return target
    target = screen.latest_message(console.channel)
    if target is None:
        say(
            f"No message in {console.directory.where(console.channel)} to "
            f"{what} yet (ephemerals take none)."
        )
    return target


async def react(console: Console, text: str) -> None:
    """React to a message, as Slack sends it: a `reaction_added` event."""
    say = console.terminal.say
    words = text.split()
    name = (words[0] if words else "chair").strip(":")
    number = words[1].strip("[]") if len(words) > 1 else ""
    if (
        not re.fullmatch(r"[a-z0-9_+-]+", name)
        or len(words) > 2
        or (number and not number.isdigit())
    ):
        say("React like this: react :chair:   or   react :chair: 3")
        return
    target = _message(console, number, "react to")
    if target is None:
        return
    actor = console.actor()
    event = payloads.reaction_added(
        actor,
        name,
        channel_id=target.channel,
        message_ts=target.ts,
        item_user=console.harness.slack.user_id,
    )
    _, shown = await console.exchange(lambda: console.harness.event(event, actor))
    if not shown:
        say(f"You reacted :{name}:; Doorway had nothing to say.")


async def home(console: Console) -> None:
    actor = console.actor()
    event = payloads.home_opened(actor, view=console.screen.home_of(console.user))
    _, shown = await console.exchange(lambda: console.harness.event(event, actor))
    if not shown:
        console.terminal.say("Your App Home has nothing new.")


async def shortcut(console: Console, text: str) -> None:
    """Use a message shortcut on the newest message here (or the one showing [3]), or the
    global one, as Slack sends them."""
    words = text.split()
    name = words[0].casefold() if words else ""
    number = words[1].strip("[]") if len(words) > 1 else ""
    if (
        name not in SHORTCUTS
        or len(words) > 2
        or (number and not number.isdigit())
        or (name == "log" and number)
    ):
        console.terminal.say(SHORTCUT_USAGE)
        return
    actor = console.actor()
    if name == "log":
        payload = payloads.shortcut(actor, SHORTCUTS[name])
    else:
        target = _message(console, number, "use a shortcut on")
        if target is None:
            return
        stored = console.harness.slack.messages.get((target.channel, target.ts)) or {}
        message = {"type": "message", "text": "", **stored, "ts": target.ts}
        payload = payloads.shortcut(actor, SHORTCUTS[name], message=message)
    await console.exchange(lambda: console.harness.interact(payload))
