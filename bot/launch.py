"""The `doorway` script's entry point: the CLI, imported without the garbage collector
(bot/uncollected.py), which is back on before any command runs."""

from __future__ import annotations

from bot.uncollected import uncollected


def main() -> None:
    with uncollected():
        from bot.cli import main as cli

    cli()
