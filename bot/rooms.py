"""The rituals Doorway serves, in the order their listeners are registered."""

from __future__ import annotations

from typing import Protocol

from slack_bolt.async_app import AsyncApp

from bot.services import Services
from handlers import chair, commit, digest, door, home, review


class Room(Protocol):
    def register(self, app: AsyncApp, services: Services) -> None: ...


ROOMS: tuple[Room, ...] = (door, chair, commit, home, review, digest)
