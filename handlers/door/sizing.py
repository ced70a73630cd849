"""Who sizes a decision: the model when one is configured and answers well, else the rules."""

from __future__ import annotations

import asyncio
import logging

from bot.judgment import Judgment
from bot.services import Services, Sizer
from handlers.door import rules

log = logging.getLogger(__name__)


def make_sizer(services: Services) -> Sizer:
    async def size(text: str, context: str = "") -> Judgment:
        if services.model is not None:
            judgment = await services.model.judge(text, context)
            if judgment is not None:
                return judgment
            log.info("model gave no usable answer; sizing with the built-in rules")
        # In a thread: however long a text makes the rules take, the acks of other
        # requests on the event loop never wait for it.
        return await asyncio.to_thread(rules.classify, text, context)

    return size
