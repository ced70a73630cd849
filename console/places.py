"""Who is typing and where: `as bob`, `channel #product`, `people`."""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from console import when

if TYPE_CHECKING:
    from console.state import Console


def switch_user(console: Console, text: str) -> None:
    say, directory = console.terminal.say, console.directory
    if not text:
        say(f"You are typing as @{console.person.name}. Others: {directory.names()}.")
        return
    found = directory.find_person(text)
    if found is None:
        say(f"No one here is called {text!r}: try {directory.names()}.")
        return
    console.user = found.id
    say(f"You are now typing as @{found.name} ({found.real_name}, {found.tz}).")


def switch_channel(console: Console, text: str) -> None:
    say, directory = console.terminal.say, console.directory
    name = text.strip()
    if not name.lstrip("#"):
        say(f"You are in {directory.where(console.channel)}. Channels: {directory.channel_list()}.")
        return
    found = directory.find_channel(name)
    if found is None:
        found = directory.add_channel(name)
        if found is None:
            say("Channel names are letters, numbers, - and _.")
            return
        say(f"Created {directory.where(found)}.")
    console.channel = found
    say(f"You are now in {directory.where(found)}.")


def show_people(console: Console) -> None:
    now = console.services.clock.now()
    for person in console.directory.people.values():
        you = " ← typing" if person.id == console.user else ""
        console.terminal.say(
            f"@{person.name:<6} {person.real_name:<12} {when.shown(now, ZoneInfo(person.tz))}{you}"
        )
