"""What `doorway export --kind` writes besides the decision log: a room's own records
(CoE reviews, PR/FAQs, memo readings), each room saying how its records read."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.export_text import csv_table
from bot.slack.text import drop_control_characters
from storage.engine import Database

ROOM_FORMATS = ("json", "csv", "md")


@dataclass(frozen=True)
class Export:
    """Another kind `doorway export --kind` writes (a room's own records): the room collects
    them as plain data (JSON as it is), and says how one becomes a CSV row under `columns`
    and how they all read as a Markdown document."""

    collect: Callable[[Database, str | None, datetime | None], Awaitable[list[dict[str, Any]]]]
    columns: Sequence[str]
    row: Callable[[dict[str, Any]], dict[str, Any]]
    markdown: Callable[[list[dict[str, Any]]], str]
    formats: tuple[str, ...] = ROOM_FORMATS

    def render(self, entries: list[dict[str, Any]], fmt: str) -> str:
        drop_control_characters(entries)
        if fmt == "json":
            return json.dumps(entries, ensure_ascii=False, indent=2) + "\n"
        if fmt == "csv":
            return csv_table(self.columns, (self.row(entry) for entry in entries))
        if fmt == "md":
            return self.markdown(entries)
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(self.formats)}")


async def write_other(
    other: Export, database_url: str, *, team: str | None, since: datetime | None, fmt: str
) -> str:
    """Another kind's records, collected and rendered in `fmt`."""
    db = Database(database_url)
    try:
        return other.render(await other.collect(db, team, since), fmt)
    finally:
        await db.dispose()
