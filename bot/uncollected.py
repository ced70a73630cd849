"""Imports made without the garbage collector (the `doorway` script's, and serve's).

Importing the bot makes a few hundred thousand objects, none of them garbage, and the
cyclic collector would walk them a dozen times over while they are made: about a fifth
of `doorway serve`'s start. So they are imported with it off, then frozen (moved where
later collections don't walk them, which also shortens every pause after), and the
collector is switched back on.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def uncollected() -> Iterator[None]:
    """Run the enclosed imports with the collector off; freeze what they made."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
