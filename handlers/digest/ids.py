"""The digest room's command."""

from enum import StrEnum


class Command(StrEnum):
    DIGEST = "/digest"
