"""Exported text kept inert wherever it is read: a spreadsheet cell that won't run as a
formula, a Markdown line that won't become structure, a JSON line that stays one line."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

# What makes a spreadsheet read a cell as a formula, in ASCII and in fullwidth forms (which
# some spreadsheets fold to ASCII), after any leading spaces.
_FORMULA = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def inert(value: Any) -> Any:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading quote."""
    if isinstance(value, str) and value.lstrip(" \u00a0\u3000")[:1] in _FORMULA:
        return "'" + value
    return value


# What Markdown (and the HTML it may be rendered to) would read as structure inside a line:
# emphasis, code, links and images, headings, tables, strikethrough, raw HTML and entities.
_MD_PUNCTUATION = re.compile(r"([\\`*_\[\]#|~!])")


def md(value: object) -> str:
    """Stored text as one inert line of Markdown: `# hi`, `<script>` or `[x](y)` in a
    decision is shown as typed, and a newline in it can't start a heading or a list item."""
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_PUNCTUATION.sub(r"\\\1", text)


# Characters some readers take for line ends, though JSON leaves them raw.
_LINE_BREAKS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"}


def one_line(line: str) -> str:
    """A JSON Lines record that `str.splitlines()` keeps on one line."""
    for raw, escaped in _LINE_BREAKS.items():
        line = line.replace(raw, escaped)
    return line


def iso(value: Any) -> str | None:
    """A date or moment as ISO 8601, or None."""
    return value.isoformat() if value is not None else None


def when(value: str | None) -> str:
    """An exported moment (ISO 8601, in UTC) as people read it: `2026-12-03 12:47 UTC`."""
    return f"{value[:10]} {value[11:16]} UTC" if value else "not yet"


def csv_table(columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> str:
    """A CSV document with a header: each row's cells under `columns`, every one inert."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: inert(value) for key, value in row.items()})
    return out.getvalue()
