"""The console's pretend workspace: you, a few teammates in other time zones, some channels."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from console.localslack import LocalSlack

TEAM_ID = "T0CONSOLE"
TEAM_DOMAIN = "console"
YOU = "U0YOU"
DEFAULT_CHANNEL = "C0GENERAL"


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    real_name: str
    tz: str


def local_zone() -> str:
    """This machine's IANA time zone, so `you` live where the terminal does."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        import tzlocal  # comes with APScheduler

        candidates.append(tzlocal.get_localzone_name() or "")
    except Exception:  # noqa: BLE001 - any trouble finding the zone means UTC
        pass
    for name in candidates:
        try:
            if name:
                ZoneInfo(name)
                return name
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return "UTC"


def teammates() -> tuple[Person, ...]:
    return (
        Person(YOU, "you", "You", local_zone()),
        Person("U0ALICE", "alice", "Alice Adams", "America/New_York"),
        Person("U0BOB", "bob", "Bob Brown", "Europe/London"),
        Person("U0CAROL", "carol", "Carol Chen", "Asia/Tokyo"),
    )


CHANNELS = (
    ("C0GENERAL", "general", False),
    ("C0PRODUCT", "product", False),
    ("G0SECRET", "secret-project", True),
)
_SEPARATORS = re.compile(r"[\s,]+")


class Directory:
    """Names for ids and ids for names, backed by LocalSlack's users and channels."""

    def __init__(self, slack: LocalSlack) -> None:
        self.slack = slack
        self.people: dict[str, Person] = {}
        for person in teammates():
            self.people[person.id] = person
            slack.add_user(person.id, name=person.name, real_name=person.real_name, tz=person.tz)
        for channel_id, name, private in CHANNELS:
            slack.add_channel(channel_id, name=name, is_private=private)

    # -- ids to names (render.Names) ----------------------------------------------------

    def user(self, user_id: str) -> str:
        person = self.people.get(user_id)
        if person:
            return person.name
        known = self.slack.users.get(user_id)
        return str(known["name"]) if known else user_id

    def channel(self, channel_id: str) -> str:
        if channel_id[:1] == "D" and channel_id[1:] in self.people:
            return f"DM with @{self.user(channel_id[1:])}"
        known = self.slack.channels.get(channel_id)
        return str(known["name"]) if known else channel_id

    def where(self, channel_id: str) -> str:
        """A channel as a heading: `#general`, or `DM with @bob`."""
        name = self.channel(channel_id)
        return name if name.startswith("DM with") or name == channel_id else f"#{name}"

    # -- names to ids ---------------------------------------------------------------

    def find_person(self, text: str) -> Person | None:
        wanted = text.strip().lstrip("@").casefold()
        if not wanted:
            return None
        for person in self.people.values():
            if wanted in (
                person.id.casefold(),
                person.name,
                person.real_name.casefold(),
                person.real_name.split()[0].casefold(),
            ):
                return person
        return None

    def find_people(self, text: str) -> tuple[list[Person], list[str]]:
        """People named in `alice, @bob carol`, and the names nobody answers to."""
        found: list[Person] = []
        unknown: list[str] = []
        for word in filter(None, _SEPARATORS.split(text)):
            person = self.find_person(word)
            if person is None:
                unknown.append(word)
            elif person not in found:
                found.append(person)
        return found, unknown

    def find_channel(self, text: str) -> str | None:
        wanted = text.strip().lstrip("#").casefold()
        for channel_id, config in self.slack.channels.items():
            if wanted in (channel_id.casefold(), str(config.get("name", "")).casefold()):
                return channel_id
        return None

    def add_channel(self, name: str) -> str | None:
        """A new public channel named like `name` (as Slack would slug it), or None."""
        slug = re.sub(r"[^\w-]", "-", name.strip().lstrip("#").casefold())[:80].strip("-")
        if not slug:
            return None
        channel_id = "C0" + (re.sub(r"[^A-Z0-9]", "", slug.upper())[:9] or "NEW")
        while channel_id in self.slack.channels:
            channel_id += "X"
        self.slack.add_channel(channel_id, name=slug, is_private=False)
        return channel_id

    def names(self) -> str:
        return ", ".join(p.name for p in self.people.values())

    def channel_list(self) -> str:
        """The channels, as `#general, #product, …`."""
        return ", ".join(f"#{c['name']}" for c in self.slack.channels.values())
