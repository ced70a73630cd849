"""For the servers the benchmarks start as child processes."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator

from aiohttp import web


async def exit_with_parent(_: web.Application) -> AsyncIterator[None]:
    """aiohttp cleanup context: leave when the benchmark that started us is gone."""
    parent = os.getppid()

    async def watch() -> None:
        while os.getppid() == parent:  # noqa: ASYNC110 - no event tells us the parent left
            await asyncio.sleep(1)
        os._exit(0)

    task = asyncio.create_task(watch())
    yield
    task.cancel()
