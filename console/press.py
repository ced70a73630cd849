"""Pressing a control, by number (`3`, `3 2026-12-04`, `3 2` for a menu's second option) or
by label (`press Review 2026-12-20`): the `block_actions` Slack would send, asking for a value
first when the control needs one (a date, a person, an option) and none was typed."""

from __future__ import annotations

from datetime import UTC, date, tzinfo
from typing import TYPE_CHECKING, Any

from console import answers, payloads
from console.people import Directory
from console.surfaces import EPHEMERAL, VIEW, Control, Origin, Surface
from console.terminal import Terminal

if TYPE_CHECKING:
    from console.state import Console

BUTTONS = frozenset({"button"})
_ECHOED = {"datepicker": ("initial_date",), "static_select": ("placeholder", "initial_option")}


async def action_for(
    control: Control,
    inline: str,
    *,
    terminal: Terminal,
    directory: Directory,
    today: date,
    zone: tzinfo = UTC,
) -> dict[str, Any] | None:
    """The action for pressing `control`, or None if the person backed out."""
    element = control.element
    kind = str(element.get("type", ""))
    action: dict[str, Any] = {
        "type": kind,
        "action_id": str(element.get("action_id", "")),
        "block_id": control.block_id,
        "action_ts": payloads.action_ts(),
    }
    if kind in BUTTONS:
        action["text"] = element.get("text")
        for key in ("value", "style"):
            if key in element:
                action[key] = element[key]
        return action
    field = answers.Field(
        block_id=control.block_id,
        action_id=action["action_id"],
        element=element,
        label=control.label,
        optional=False,
        hint="",
    )
    answer = inline.strip()
    if not answer:
        hint = answers.hint(element, directory) or "text"
        terminal.ask(f"{control.label} — {hint}:")
        terminal.say(*("  " + line for line in answers.choices(element)))
        answer = (await terminal.answer("› ") or "").strip()
    if not answer:
        terminal.say(terminal.stopped("Nothing chosen, nothing pressed."))
        return None
    try:
        state = answers.parse(field, answer, directory, today=today, zone=zone)
    except answers.FormError as exc:
        terminal.say(f"{exc} Nothing pressed.")
        return None
    action.update({k: v for k, v in state.items() if k != "type"})
    # Slack repeats some of the element in the action: a date picker's initial date, a
    # menu's placeholder and initial option.
    for key in _ECHOED.get(kind, ()):
        if element.get(key):
            action[key] = element[key]
    return action


async def press_label(console: Console, text: str) -> None:
    """`press <label> [value]`: the longest run of leading words that names a control is
    its label; the rest is the value (a date, a person), as after a number."""
    words = text.split()
    for cut in range(len(words), 0, -1):
        found = console.screen.find(
            " ".join(words[:cut]), lambda c: owner(console, c.surface) in ("", console.user)
        )
        if found is not None:
            await press_number(console, found.number, " ".join(words[cut:]))
            return
    console.terminal.say(f"Nothing on screen is labelled {text!r}.")


async def press_number(console: Console, number: int, inline: str) -> None:
    say = console.terminal.say
    control = console.screen.controls.get(number)
    if control is None:
        say(f"There's no [{number}] on screen.")
        return
    if control.stale:
        say(
            f"[{number}] was on a message that has changed since: press one "
            "of the numbers shown with its newest version."
        )
        return
    surface = control.surface
    only = owner(console, surface)
    if only and only != console.user:
        name = console.directory.user(only)
        say(f"Only @{name} can press [{number}]: type `as {name}` first.")
        return
    action = await action_for(
        control,
        inline,
        terminal=console.terminal,
        directory=console.directory,
        today=console.today(),
        zone=console.zone(),
    )
    if action is None:
        return
    payload = _payload(console, surface, action)
    reply, _ = await console.exchange(lambda: console.harness.interact(payload))
    if reply.status == 404:
        say(f"Nothing in Doorway answers [{number}] any more.")
    elif reply.status != 200:
        say(f"The bot turned that press down (HTTP {reply.status}).")


def _payload(console: Console, surface: Surface, action: dict[str, Any]) -> dict[str, Any]:
    if surface.kind == VIEW:
        return payloads.view_action(action, console.actor(), view=surface.view or {})
    slack = console.harness.slack
    message = slack.messages.get((surface.channel, surface.ts)) or {
        "type": "message",
        "ts": surface.ts,
        "user": slack.user_id,
        "bot_id": slack.bot_id,
        **surface.message,
    }
    return payloads.message_action(
        action,
        console.actor(),
        channel_id=surface.channel,
        channel_name=console.directory.channel(surface.channel),
        message_ts=surface.ts,
        response_url=console.response_url(Origin(surface.channel, console.user, surface)),
        message=message,
        ephemeral=surface.kind == EPHEMERAL,
    )


def owner(console: Console, surface: Surface) -> str:
    """Who alone can press this: an ephemeral's viewer, a home's owner, a DM's person."""
    if surface.kind in (EPHEMERAL, VIEW):
        return surface.user
    if surface.channel.startswith("D") and surface.channel[1:] in console.directory.people:
        return surface.channel[1:]
    return ""
