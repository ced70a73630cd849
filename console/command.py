"""`doorway console`, as the platform's CLI finds it: the `doorway.commands` entry point."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.app import Settings


async def run(settings: Settings) -> None:
    """The same bot in your terminal: no Slack needed. Type `help` inside."""
    # Imported here: `doorway serve` loads this module to list the command, nothing more.
    from console.session import run_console

    await run_console(settings)
