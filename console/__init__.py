"""`doorway console`: the real bot in a terminal, talking to a local stand-in for Slack."""

from console.session import run_console

__all__ = ["run_console"]
