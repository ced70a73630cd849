"""*Size a decision*, the door's Workflow Builder step: sized and recorded as `/door` does,
its card posted in the step's channel (or the person's DM), the door handed on.

Inputs: `decision_text` (required), `channel_id`, `user_id` (who is deciding; also where
the card goes when no channel is given). Outputs: `door`, `confidence`, `decision_link`.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.complete.async_complete import AsyncComplete
from slack_sdk.web.async_client import AsyncWebClient

from bot.listeners import steps
from bot.listeners.context import services_of, team_of
from bot.slack.failures import SLACK_FAILURES, slack_error
from handlers.door import listeners, sharing
from handlers.door.ids import Step
from storage.models import TEXT_MAX

log = logging.getLogger(__name__)

NOWHERE = (
    "The step has no `channel_id` and no `user_id`, so Doorway has nowhere to post the "
    "decision's card: map a channel (or the person deciding) into the step."
)


async def on_size_decision(
    inputs: dict[str, Any],
    body: dict[str, Any],
    complete: AsyncComplete,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    services = services_of(context)
    team_id = team_of(context, body)
    text = steps.text(inputs, Step.DECISION_TEXT, limit=TEXT_MAX)
    channel = steps.channel(inputs, Step.CHANNEL)
    person = steps.user(inputs, Step.USER, required=False)
    if channel is None and person is None:
        raise steps.StepInputError(NOWHERE)
    if channel is None:
        assert person is not None
        opened = await client.conversations_open(users=person)
        channel = str(opened["channel"]["id"])
    execution = context.function_execution_id or ""
    decision, _ = await listeners.record(
        services,
        origin={
            "channel_id": channel,
            # Who decides, if the workflow says; else the decision is the workflow's, by Doorway.
            "user_id": person or context.bot_user_id or "USLACKBOT",
            "enterprise_id": context.enterprise_id,
        },
        team_id=team_id,
        text=text,
        context_text="",
        request_key=f"function:{execution}",
    )
    if not decision.permalink:  # a retried event finds it shared already
        try:
            decision = await sharing.share(services, client, decision) or decision
        except SLACK_FAILURES as exc:
            error = slack_error(exc)
            log.info("the step's card for decision %s was not posted: %s", decision.id, error)
            raise steps.StepInputError(
                f"Decision #{decision.id} was recorded, but Slack refused its card in "
                f"channel {channel} ({error}): invite Doorway with /invite @Doorway, then run the "
                "workflow again."
            ) from exc
    await complete(
        outputs={
            Step.DOOR: decision.door,
            Step.CONFIDENCE: round(decision.confidence, 2),
            Step.LINK: decision.permalink or "",
        }
    )
