"""`doorway console`: the real bot in a terminal, talking to a local stand-in for Slack."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from console.session import run_console

__all__ = ["run_console"]


def __getattr__(name: str) -> Any:
    # Loaded on first use: `doorway serve` imports this package only to list the command,
    # and the session brings in the whole bot.
    if name == "run_console":
        from console.session import run_console

        return run_console
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
