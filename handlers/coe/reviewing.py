"""The bar raiser's review of a Correction of Error: asked for by the owner, approved or
sent back by the reviewer, and the document posted in the thread once approved."""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.listeners import fields
from bot.listeners.context import services_of, team_of
from bot.listeners.people import profile
from bot.slack import text as t
from bot.slack.delivery import say
from handlers.coe import flow, form, messages, modals
from handlers.coe.ids import Callback, Field
from handlers.coe.listeners import review_id_of
from storage.models import CoeActionState, CoeState
from storage.queries import coe as q


async def on_ask_review(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    services, team_id = services_of(context), team_of(context, body)
    review, _, _ = await flow.facts(services, team_id, review_id_of(action))
    if review is None or review.state != CoeState.DRAFTING:
        await say(respond, "That review isn't being drafted any more.")
        return
    if fields.user_id(body) != review.owner_id:
        await say(respond, f"Only the review's owner, {t.user(review.owner_id)}, asks for review.")
        return
    await client.views_open(
        trigger_id=fields.text(body, "trigger_id"), view=modals.reviewer(review)
    )


async def on_reviewer(
    ack: AsyncAck,
    view: dict[str, Any],
    body: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    services = services_of(context)
    user_id, team_id = fields.user_id(body), team_of(context, body)
    review_id = form.meta_id(view, "review")
    reviewer = form.person(view, Field.REVIEWER)
    review, answers, actions = await flow.facts(services, team_id, review_id)
    problem = None
    if not reviewer.isalnum():
        problem = "Pick the bar raiser."
    elif review is not None and (reviewer == review.owner_id or reviewer in review.writers):
        problem = (
            "The bar raiser is someone other than the owner and the writers, outside the team."
        )
    else:
        person = await profile(services, team_id=team_id, user_id=reviewer)
        if person.is_bot or person.deleted:
            problem = "Pick a person who can read it (not a bot or a deactivated account)."
    if problem:
        await ack(response_action="errors", errors={Field.REVIEWER: problem})
        return
    await ack()
    if review is None or user_id != review.owner_id:
        return
    async with services.db.session() as session:
        moved = await q.move(
            session=session,
            team_id=team_id,
            review_id=review_id,
            from_states=[CoeState.DRAFTING],
            to=CoeState.IN_REVIEW,
            reviewer_id=reviewer,
        )
    if not moved:
        return
    review.reviewer_id = reviewer
    gaps = messages.missing(answers, actions)
    await flow.tell(
        services, client, user_id=reviewer, message=messages.review_request(review, gaps)
    )
    await flow.refresh(services, client, team_id, review_id)


async def on_approve(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    services, team_id = services_of(context), team_of(context, body)
    review_id = review_id_of(action)
    review, answers, actions = await flow.facts(services, team_id, review_id)
    if review is None or review.state != CoeState.IN_REVIEW:
        await say(respond, "That review isn't waiting for review any more.")
        return
    if fields.user_id(body) != review.reviewer_id:
        await say(respond, "Only the review's bar raiser approves it.")
        return
    gaps = messages.missing(answers, actions)
    if gaps:
        await say(
            respond,
            ":no_entry: Not yet: approval needs every question answered and at least one "
            "corrective action. Missing: " + ", ".join(t.escape(g) for g in gaps) + ". "
            "Send it back with what's missing.",
        )
        return
    async with services.db.session() as session:
        moved = await q.move(
            session=session,
            team_id=team_id,
            review_id=review_id,
            from_states=[CoeState.IN_REVIEW],
            # Every action closed while it was drafted: nothing is left to chase.
            to=(
                CoeState.APPROVED
                if any(a.state == CoeActionState.OPEN for a in actions)
                else CoeState.ACTIONS_CLOSED
            ),
            approved_at=flow.now(services),
            sent_back=None,
        )
    if not moved:
        return
    await flow.refresh(services, client, team_id, review_id)
    await flow.post_document(services, client, team_id, review_id)
    await say(respond, f":white_check_mark: You approved *{t.safe(review.title, 200)}*.")
    await flow.tell(
        services,
        client,
        user_id=review.owner_id,
        message=messages.notice(
            f":white_check_mark: {t.user(review.reviewer_id or '')} approved the Correction of "
            f"Error *{t.safe(review.title, 200)}*. The whole document is in its thread; Doorway "
            "chases each corrective action until it is closed."
        ),
    )


async def on_send_back(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    services, team_id = services_of(context), team_of(context, body)
    review_id = review_id_of(action)
    review, _, _ = await flow.facts(services, team_id, review_id)
    if review is None or review.state != CoeState.IN_REVIEW:
        await say(respond, "That review isn't waiting for review any more.")
        return
    if fields.user_id(body) != review.reviewer_id:
        await say(respond, "Only the review's bar raiser sends it back.")
        return
    await client.views_open(
        trigger_id=fields.text(body, "trigger_id"),
        view=modals.reason(
            Callback.SEND_BACK,
            "Send it back",
            "What does it need before you can approve it?",
            review=review_id,
        ),
    )


async def on_send_back_form(
    ack: AsyncAck,
    view: dict[str, Any],
    body: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    services = services_of(context)
    user_id, team_id = fields.user_id(body), team_of(context, body)
    review_id = form.meta_id(view, "review")
    reason = form.reason(view)
    if isinstance(reason, dict):
        await ack(response_action="errors", errors=reason)
        return
    await ack()
    async with services.db.session() as session:
        review = await q.get_review(session=session, team_id=team_id, review_id=review_id)
        if review is None or review.reviewer_id != user_id:
            return
        moved = await q.move(
            session=session,
            team_id=team_id,
            review_id=review_id,
            from_states=[CoeState.IN_REVIEW],
            to=CoeState.DRAFTING,
            sent_back=reason,
        )
    if not moved:
        return
    await flow.refresh(services, client, team_id, review_id)
    await flow.tell(
        services,
        client,
        user_id=review.owner_id,
        message=messages.notice(
            f":leftwards_arrow_with_hook: {t.user(user_id)} sent the Correction of Error "
            f"*{t.safe(review.title, 200)}* back: {t.safe(reason, 1000)}"
        ),
    )
