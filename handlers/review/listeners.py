"""The review room's listeners: the owner's answer to the review reminder."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError

from bot import fields, followups
from bot.context import services_of, team_of
from bot.pacing import post_message
from bot.people import timezone_of
from bot.services import Services
from handlers.review import messages
from handlers.review.ids import OUTCOME_OF, Action
from storage.models import Decision
from storage.queries import decisions as dq
from storage.queries import reviews as rq
from storage.queries.jobs import cancel_jobs

log = logging.getLogger(__name__)

GONE = "That decision no longer exists."


async def on_outcome(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: AsyncRespond,
    context: AsyncBoltContext,
) -> None:
    await ack()
    services = services_of(context)
    team_id = team_of(context, body)
    decision_id = fields.number(action, "value")
    outcome = OUTCOME_OF[Action(action["action_id"])]
    async with services.db.session() as session:
        recorded = await rq.record_outcome(
            session=session,
            team_id=team_id,
            decision_id=decision_id,
            outcome=outcome,
            by=fields.user_id(body),
            at=services.clock.now(),
        )
        decision = await dq.get_decision(session=session, team_id=team_id, decision_id=decision_id)
        if decision is not None:
            # A reminder still waiting (after *Too early*) has nothing left to ask.
            await cancel_jobs(
                session=session, team_id=team_id, key_prefix=followups.review_prefix(decision_id)
            )
    if decision is None:
        await respond(text=GONE, replace_original=False)
        return
    await respond(
        replace_original=True,
        text=messages.thread_note(decision),
        blocks=messages.answered(decision),
    )
    if recorded:
        await _tell_thread(services, decision)


async def on_too_early(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: AsyncRespond,
    context: AsyncBoltContext,
) -> None:
    await ack()
    services = services_of(context)
    team_id = team_of(context, body)
    decision_id = fields.number(action, "value")
    async with services.db.session() as session:
        decision = await dq.get_decision(session=session, team_id=team_id, decision_id=decision_id)
    if decision is None:
        await respond(text=GONE, replace_original=False)
        return
    if decision.outcome:
        await respond(
            replace_original=True,
            text=messages.thread_note(decision),
            blocks=messages.answered(decision),
        )
        return
    zone = await timezone_of(services, team_id=team_id, user_id=fields.user_id(body))
    now = services.clock.now()
    # From today in the owner's zone, so a second press the same day changes nothing.
    later = now.astimezone(zone).date() + timedelta(days=messages.POSTPONE_DAYS)
    async with services.db.session() as session:
        await dq.set_review_date(
            session=session, team_id=team_id, decision_id=decision_id, review_at=later, at=now
        )
        decision = await dq.get_decision(session=session, team_id=team_id, decision_id=decision_id)
    assert decision is not None
    await followups.schedule_review(services, decision=decision)
    await respond(
        replace_original=True,
        text=f"I'll ask again on {messages.day(later)}.",
        blocks=messages.postponed(decision),
    )


async def _tell_thread(services: Services, decision: Decision) -> None:
    """Post the outcome under the decision's card, if it was shared."""
    if not (decision.message_channel and decision.message_ts):
        return
    try:
        await post_message(
            services.slack,
            services.pacer,
            channel=decision.message_channel,
            thread_ts=decision.message_ts,
            text=messages.thread_note(decision),
        )
    except SlackApiError as exc:
        # The outcome is stored; a channel the bot has left only misses the note.
        log.info(
            "outcome of decision %s not posted in its thread: %s",
            decision.id,
            exc.response.get("error"),
        )
