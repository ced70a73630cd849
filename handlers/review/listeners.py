"""The review room's listeners: the owner's answers to the review reminder."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError

from bot import dates
from bot.decisions import followups
from bot.listeners import fields
from bot.listeners.context import services_of, team_of
from bot.listeners.people import timezone_of
from bot.schedule import reviews
from bot.services import Services
from bot.slack import text as t
from bot.slack.pacing import post_message
from handlers.review import messages
from handlers.review.ids import OUTCOME_OF, UNDO_OF, Action
from storage.models import DoorDecision
from storage.queries import decisions as dq
from storage.queries import reviews as rq
from storage.queries.jobs import cancel_jobs, schedule_job

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
    user_id = fields.user_id(body)
    outcome = OUTCOME_OF[Action(action["action_id"])]
    if not await _answerable(
        services, respond, team_id=team_id, decision_id=decision_id, user_id=user_id
    ):
        return
    async with services.db.session() as session:
        recorded = await rq.record_outcome(
            session=session,
            team_id=team_id,
            decision_id=decision_id,
            outcome=outcome,
            by=user_id,
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
    await _answered(services, respond, decision, messages.thread_note(decision), recorded, user_id)


async def on_undo_as_said(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: AsyncRespond,
    context: AsyncBoltContext,
) -> None:
    """Was it as easy to undo as the card said? Answered apart from the outcome, once."""
    await ack()
    services = services_of(context)
    team_id = team_of(context, body)
    decision_id = fields.number(action, "value")
    user_id = fields.user_id(body)
    answer = UNDO_OF[Action(action["action_id"])]
    if not await _answerable(
        services, respond, team_id=team_id, decision_id=decision_id, user_id=user_id
    ):
        return
    async with services.db.session() as session:
        recorded = await rq.record_undo_as_said(
            session=session,
            team_id=team_id,
            decision_id=decision_id,
            answer=answer,
            by=user_id,
            at=services.clock.now(),
        )
        decision = await dq.get_decision(session=session, team_id=team_id, decision_id=decision_id)
    if decision is None:
        await respond(text=GONE, replace_original=False)
        return
    if recorded and decision.message_ts:
        # The answer sets the door: the door room draws the card in the channel again.
        async with services.db.session() as session:
            await schedule_job(
                session=session,
                team_id=team_id,
                kind=followups.CARD_KIND,
                key=followups.card_key(decision_id, services.clock.now()),
                due_at=services.clock.now(),
                payload={"decision_id": decision_id},
            )
    await _answered(services, respond, decision, messages.undo_note(decision), recorded, user_id)


async def _answered(
    services: Services,
    respond: AsyncRespond,
    decision: DoorDecision,
    note: str,
    recorded: bool,
    user_id: str,
) -> None:
    """Redraw the review DM with what is answered, and say a new answer under the card."""
    today = await _today(services, decision.team_id, user_id)
    await respond(replace_original=True, text=note, blocks=messages.review(decision, today=today))
    if recorded:
        await _tell_thread(services, decision, note)


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
    user_id = fields.user_id(body)
    decision = await _answerable(
        services, respond, team_id=team_id, decision_id=decision_id, user_id=user_id
    )
    if decision is None:
        return
    today = await _today(services, team_id, user_id)
    if decision.outcome:
        await respond(
            replace_original=True,
            text=messages.thread_note(decision),
            blocks=messages.review(decision, today=today),
        )
        return
    now = services.clock.now()
    # From today in the owner's zone, so a second press the same day changes nothing.
    later = today + timedelta(days=messages.POSTPONE_DAYS)
    moved = decision.review_at != later
    async with services.db.session() as session:
        await dq.set_review_date(
            session=session, team_id=team_id, decision_id=decision_id, review_at=later, at=now
        )
        decision = await dq.get_decision(session=session, team_id=team_id, decision_id=decision_id)
    assert decision is not None
    await reviews.schedule_review(services, decision=decision)
    await respond(
        replace_original=True,
        text=f"I'll ask again on {dates.day(later)}.",
        blocks=messages.review(decision, today=today),
    )
    if moved:
        await _tell_thread(services, decision, messages.too_early_note(decision, user_id))


async def _answerable(
    services: Services, respond: AsyncRespond, *, team_id: str, decision_id: int, user_id: str
) -> DoorDecision | None:
    """The decision, if this person may answer its review; otherwise tell them why not.

    The review is the owner's: the reminder goes to them alone, and only they answer it.
    """
    async with services.db.session() as session:
        decision = await dq.get_decision(session=session, team_id=team_id, decision_id=decision_id)
    if decision is None:
        await respond(text=GONE, replace_original=False)
        return None
    if user_id != decision.owner_id:
        await respond(
            text=f"Only {t.user(decision.owner_id)} can answer this review: it's their decision.",
            replace_original=False,
        )
        return None
    return decision


async def _today(services: Services, team_id: str, user_id: str) -> date:
    """Today in this person's zone: the review day is a day on their calendar."""
    zone = await timezone_of(services, team_id=team_id, user_id=user_id)
    return services.clock.now().astimezone(zone).date()


async def _tell_thread(services: Services, decision: DoorDecision, note: str) -> None:
    """Post what the review heard under the decision's card, if it was shared."""
    if not (decision.message_channel and decision.message_ts):
        return
    try:
        await post_message(
            await services.slack_for(decision.team_id),
            services.pacer,
            channel=decision.message_channel,
            thread_ts=decision.message_ts,
            text=note,
        )
    except SlackApiError as exc:
        # The answer is stored; a channel the bot has left only misses the note.
        log.info(
            "review of decision %s not posted in its thread: %s",
            decision.id,
            exc.response.get("error"),
        )
