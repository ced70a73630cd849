"""Who writes a Correction of Error with its owner: the owner adds them, and they may
answer the questions and add corrective actions."""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.listeners import fields
from bot.listeners.context import services_of, team_of
from bot.slack import text as t
from bot.slack.delivery import say
from handlers.coe import flow, form, messages, modals
from handlers.coe.ids import Field
from handlers.coe.listeners import review_id_of
from storage.queries import coe as q


async def on_writers(
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
    if review is None:
        return
    if fields.user_id(body) != review.owner_id:
        await say(
            respond, f"Only the review's owner, {t.user(review.owner_id)}, adds who writes it."
        )
        return
    await client.views_open(trigger_id=fields.text(body, "trigger_id"), view=modals.writers(review))


async def on_writers_form(
    ack: AsyncAck,
    view: dict[str, Any],
    body: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    services = services_of(context)
    user_id, team_id = fields.user_id(body), team_of(context, body)
    review_id = form.meta_id(view, "review")
    people = form.people(view, Field.WRITERS)
    if len(people) > modals.MAX_WRITERS:
        await ack(
            response_action="errors",
            errors={Field.WRITERS: f"Up to {modals.MAX_WRITERS} people."},
        )
        return
    await ack()
    async with services.db.session() as session:
        review = await q.get_review(session=session, team_id=team_id, review_id=review_id)
        if review is None or review.owner_id != user_id:
            return
        before = set(review.writers or [])
        # The bar raiser reviews from outside: they don't write what they approve.
        kept = [p for p in people if p not in (review.owner_id, review.reviewer_id)]
        await q.set_writers(session=session, team_id=team_id, review_id=review_id, writers=kept)
    await flow.refresh(services, client, team_id, review_id)
    for person in kept:
        if person not in before:
            await flow.tell(
                services,
                client,
                user_id=person,
                message=messages.notice(
                    f"{t.user(user_id)} added you to write the Correction of Error "
                    f"*{t.safe(review.title, 200)}* in <#{review.channel_id}>: answer its "
                    "questions and add corrective actions from its message."
                ),
            )
