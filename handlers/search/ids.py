"""Every action and block id of the search room."""

from enum import StrEnum


class Action(StrEnum):
    # A page button's value is the search itself (handlers/search/pages.py).
    NEXT = "decisions_next"
    PREVIOUS = "decisions_previous"


class Block(StrEnum):
    PAGES = "decisions_pages"
