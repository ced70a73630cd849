"""Widening the circle: a few reviewers, a wider circle, then the channel."""

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
from handlers.prfaq import flow, form, messages, modals
from handlers.prfaq.ids import Circle, Field
from handlers.prfaq.listeners import author_only
from handlers.prfaq.membership import may_share_in
from storage.queries import prfaq as q


async def on_share(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    found = await author_only(services_of(context), respond, context, body, action)
    if found is None:
        return
    if found.prfaq.circle >= Circle.CHANNEL:
        await say(respond, "It's already shared with the channel: its widest circle.")
        return
    await client.views_open(
        trigger_id=fields.text(body, "trigger_id"),
        view=modals.share(found.prfaq, Circle(found.prfaq.circle + 1)),
    )


async def on_share_form(
    ack: AsyncAck,
    view: dict[str, Any],
    body: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    user_id = fields.user_id(body)
    shared = form.shared(view, author=user_id)
    if isinstance(shared, dict):
        await ack(response_action="errors", errors=shared)
        return
    services, team_id = services_of(context), team_of(context, body)
    found = await flow.facts(services, team_id, shared.prfaq_id)
    if found is None or found.prfaq.author_id != user_id:
        await ack(
            response_action="errors", errors={_field(shared.to): "Only its author shares it."}
        )
        return
    asked = {r.user_id for r in found.readers}
    if shared.readers and asked.issuperset(shared.readers):
        await ack(
            response_action="errors",
            errors={Field.READERS: "Already asked to read it: pick someone new for this circle."},
        )
        return
    await ack()
    prfaq = found.prfaq
    if shared.channel_id and not await may_share_in(client, shared.channel_id, user_id):
        await flow.tell(
            services,
            client,
            user_id=user_id,
            message=messages.notice(
                ":warning: Doorway couldn't confirm you're in that private channel, so the "
                "PR/FAQ wasn't shared there: press *Share in the channel…* again and pick one "
                "you're in."
            ),
        )
        return
    extra = {"channel_id": shared.channel_id} if shared.channel_id else {}
    async with services.db.session() as session:
        moved = await q.widen(
            session=session,
            team_id=team_id,
            prfaq_id=shared.prfaq_id,
            from_circle=int(shared.to) - 1,
            to_circle=int(shared.to),
            **extra,
        )
    if not moved:
        return  # a retried or stale submission: that circle was already asked
    if shared.to is Circle.CHANNEL:
        await _share_in_channel(services, client, team_id, shared.prfaq_id)
        return
    unreachable = await flow.ask_readers(services, client, found, shared.readers, shared.to)
    await flow.refresh(services, client, team_id, shared.prfaq_id)
    if unreachable:
        await flow.tell(
            services,
            client,
            user_id=prfaq.author_id,
            message=messages.notice(
                f":warning: Doorway couldn't DM {', '.join(t.user(u) for u in unreachable)}: "
                "send them the link yourself."
            ),
        )


def _field(to: Circle) -> str:
    return Field.CHANNEL if to is Circle.CHANNEL else Field.READERS


async def _share_in_channel(
    services: Services, client: AsyncWebClient, team_id: str, prfaq_id: int
) -> None:
    """Post the card and the document in the channel; if the card can't be posted there,
    the circle goes back one, so *Share in the channel…* is there to try again."""
    await flow.refresh(services, client, team_id, prfaq_id)
    found = await flow.facts(services, team_id, prfaq_id)
    if found is None:
        return
    if not any(p.place == messages.CHANNEL and p.piece == messages.CARD for p in found.posts):
        async with services.db.session() as session:
            await q.widen(
                session=session,
                team_id=team_id,
                prfaq_id=prfaq_id,
                from_circle=int(Circle.CHANNEL),
                to_circle=int(Circle.WIDER),
            )
        await flow.refresh(services, client, team_id, prfaq_id)
        return
    await flow.write_canvas(services, client, found)
