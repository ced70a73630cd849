"""What the console sends as Events API deliveries: a reaction, opening App Home."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from console import payloads
from console.surfaces import MESSAGE

if TYPE_CHECKING:
    from console.state import Console


async def react(console: Console, text: str) -> None:
    """React to a message, as Slack sends it: a `reaction_added` event."""
    say, screen = console.terminal.say, console.screen
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
    if number:
        control = screen.controls.get(int(number))
        target = control.surface if control is not None else None
        if target is None or target.kind != MESSAGE:
            say(
                f"There's no message showing [{number}] to react to "
                "(ephemerals and App Home take no reactions)."
            )
            return
    else:
        target = screen.latest_message(console.channel)
        if target is None:
            say(
                f"No message in {console.directory.where(console.channel)} to "
                "react to yet (ephemerals take no reactions)."
            )
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
