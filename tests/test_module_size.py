"""No module in the platform (bot/) over 300 lines: one that grows past it is split by concept."""

from __future__ import annotations

from pathlib import Path

import bot

LIMIT = 300


def test_platform_modules_stay_readable_in_one_sitting() -> None:
    root = Path(bot.__file__).parent
    lines = {
        path.relative_to(root).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in root.rglob("*.py")
    }
    assert lines and not {name: n for name, n in lines.items() if n > LIMIT}
