"""Who sizes a decision: the model when one is configured and answers well, else the rules.

With a model, the rules still read every decision. Calling a one-way door two-way is the
costly mistake, so when the rules see a strong one-way signal and the model says two-way,
neither wins: the card says so and asks its three questions, keeping one-way as the guess.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Protocol

from bot.decisions import rules
from bot.decisions.judgment import Door, Judgment

log = logging.getLogger(__name__)


# How sure the rules must be of a one-way door to hold out against the model.
STRONG_ONE_WAY = 0.8
# A model answer below this is a guess: the card asks, as it does for unsure rules.
MODEL_SURE = 0.6


class Judge(Protocol):
    """A model that can size a decision (bot.model.client.ModelClient), or say it can't."""

    async def judge(self, text: str, context: str = "") -> Judgment | None: ...


def _by_rules(text: str, context: str) -> asyncio.Future[Judgment]:
    # In a thread: however long a text makes the rules take, the acks of other requests on
    # the event loop never wait for it.
    return asyncio.ensure_future(asyncio.to_thread(rules.classify, text, context))


def reconcile(model: Judgment, by_rules: Judgment) -> Judgment:
    """The model's judgment, unless the rules saw a strong one-way signal it calls two-way."""
    if (
        model.door is Door.TWO_WAY
        and by_rules.door is Door.ONE_WAY
        and (by_rules.guarded or (not by_rules.unsure and by_rules.confidence >= STRONG_ONE_WAY))
    ):
        saw = " … ".join(by_rules.evidence[:2]) or "a one-way signal"
        return by_rules.model_copy(
            update={
                "unsure": True,
                "confidence": min(by_rules.confidence, 0.6),
                "note": f"The model says two-way; the rules saw “{saw}”.",
                "reasons": [*by_rules.reasons[:3], *model.reasons[:2]],
            }
        )
    if model.confidence < MODEL_SURE:
        return model.model_copy(update={"unsure": True})
    return model


async def size(text: str, context: str = "", *, model: Judge | None) -> Judgment:
    """Size a decision, as /door and /commit both do: by `model` when it answers, else the rules.

    `model` is passed at each call rather than held, so whichever client the process has at
    that moment sizes the decision.
    """
    by_rules = _by_rules(text, context)
    if model is not None:
        judgment = await model.judge(text, context)
        if judgment is not None:
            return reconcile(judgment, await by_rules)
        log.info("model gave no usable answer; sizing with the built-in rules")
    return await by_rules
