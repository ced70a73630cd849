"""Corrective actions chased until they are closed: the owner's Done, Not doing (with the
reason) and Move the date, from the DM Doorway sends on the due date and every week after."""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.listeners import fields
from bot.listeners.context import services_of, team_of
from bot.services import Services
from bot.slack import text as t
from bot.slack.delivery import say
from handlers.coe import flow, form, messages, modals
from handlers.coe.ids import Callback, Field
from handlers.coe.listeners import action_id_of
from storage.models import CoeAction, CoeActionState
from storage.queries import coe as q


async def _owned(
    services: Services, team_id: str, action_id: int, user_id: str, respond: AsyncRespond | None
) -> CoeAction | None:
    """The open action, if `user_id` may close or move it (its owner, or the review's)."""
    async with services.db.session() as session:
        found = await q.get_action(session=session, team_id=team_id, action_id=action_id)
        review = (
            await q.get_review(session=session, team_id=team_id, review_id=found.review_id)
            if found
            else None
        )
    problem = None
    if found is None or review is None:
        problem = "That corrective action is gone."
    elif found.state != CoeActionState.OPEN:
        problem = "That corrective action is already closed."
    elif user_id not in (found.owner_id, review.owner_id):
        problem = f"Only the action's owner, {t.user(found.owner_id)}, closes or moves it."
    if problem:
        if respond is not None:
            await say(respond, problem)
        return None
    return found


async def _close(
    services: Services,
    client: AsyncWebClient,
    action: CoeAction,
    *,
    state: CoeActionState,
    by: str,
    reason: str | None,
    respond: AsyncRespond | None,
) -> None:
    assert action.id is not None
    async with services.db.session() as session:
        closed = await q.close_action(
            session=session,
            team_id=action.team_id,
            action_id=action.id,
            state=state,
            by=by,
            reason=reason,
            at=flow.now(services),
        )
    if not closed:
        return
    action.state = state
    if respond is not None:  # the DM's buttons give way to what was decided
        await respond(replace_original=True, **messages.action_closed(action))
    await flow.action_closed(services, client, action)


async def on_done(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    services, team_id, user_id = services_of(context), team_of(context, body), fields.user_id(body)
    found = await _owned(services, team_id, action_id_of(action), user_id, respond)
    if found is not None:
        await _close(
            services,
            client,
            found,
            state=CoeActionState.DONE,
            by=user_id,
            reason=None,
            respond=respond,
        )


async def on_not_doing(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    services, team_id, user_id = services_of(context), team_of(context, body), fields.user_id(body)
    found = await _owned(services, team_id, action_id_of(action), user_id, respond)
    if found is not None:
        await client.views_open(
            trigger_id=fields.text(body, "trigger_id"),
            view=modals.reason(
                Callback.NOT_DOING,
                "Not doing",
                "Why won't it be done? (An honest close: the review keeps the reason.)",
                action=found.id,
            ),
        )


async def on_not_doing_form(
    ack: AsyncAck,
    view: dict[str, Any],
    body: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    services, team_id, user_id = services_of(context), team_of(context, body), fields.user_id(body)
    reason = form.reason(view)
    if isinstance(reason, dict):
        await ack(response_action="errors", errors=reason)
        return
    await ack()
    found = await _owned(services, team_id, form.meta_id(view, "action"), user_id, None)
    if found is not None:
        await _close(
            services,
            client,
            found,
            state=CoeActionState.NOT_DOING,
            by=user_id,
            reason=reason,
            respond=None,
        )
        await flow.tell(services, client, user_id=user_id, message=messages.action_closed(found))


async def on_move(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    services, team_id, user_id = services_of(context), team_of(context, body), fields.user_id(body)
    found = await _owned(services, team_id, action_id_of(action), user_id, respond)
    if found is not None and found.id is not None:
        await client.views_open(
            trigger_id=fields.text(body, "trigger_id"),
            view=modals.move(action_id=found.id, due=found.due),
        )


async def on_move_form(
    ack: AsyncAck,
    view: dict[str, Any],
    body: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    services, team_id, user_id = services_of(context), team_of(context, body), fields.user_id(body)
    due = form.due_of(view, today=await flow.today_of(services, team_id, user_id))
    if isinstance(due, str):
        await ack(response_action="errors", errors={Field.DUE: due})
        return
    await ack()
    found = await _owned(services, team_id, form.meta_id(view, "action"), user_id, None)
    if found is None or found.id is None:
        return
    async with services.db.session() as session:
        moved = await q.move_action(session=session, team_id=team_id, action_id=found.id, due=due)
    if not moved:
        return
    found.due = due
    await flow.schedule_action(services, found, due)
    await flow.refresh(services, client, team_id, found.review_id)
    await flow.tell(
        services,
        client,
        user_id=user_id,
        message=messages.notice(
            f":calendar: *{t.safe(found.title, 500)}* is now due {due.isoformat()}; "
            "Doorway reminds its owner that day."
        ),
    )
