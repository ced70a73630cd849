"""*Do we build it?* on a PR/FAQ: `/door`'s form about it, and, once the decision is
recorded, the PR/FAQ linked to it (see bot.decisions.links)."""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.decisions.links import PRFAQ_DECIDED, decided_key
from bot.listeners import fields, sealed
from bot.listeners.context import services_of, team_of
from bot.services import Services
from bot.slack import text as t
from handlers.door import messages
from storage.models import DoorDecision
from storage.queries import prfaq as prfaqs
from storage.queries.jobs import schedule_job


def opened_in(
    services: Services, metadata: str, *, team_id: str, user_id: str
) -> tuple[str, int | None] | None:
    """Where /door's own form was opened, and its PR/FAQ; None if it isn't one sealed here
    for this person (a shortcut's form, or one that can't be trusted)."""
    origin = sealed.form_origin(services, metadata, team_id=team_id, user_id=user_id)
    if origin is None:
        return None
    prfaq = origin.get("prfaq", "")
    return origin["channel"], int(prfaq) if prfaq.isdigit() else None


async def on_from_prfaq(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    services, team_id = services_of(context), team_of(context, body)
    user_id = fields.user_id(body)
    prfaq_id = fields.whole(fields.text(action, "value"), "button value")
    async with services.db.session() as session:
        prfaq = await prfaqs.get_prfaq(session=session, team_id=team_id, prfaq_id=prfaq_id)
        sections = await prfaqs.sections_of(session=session, team_id=team_id, prfaq_id=prfaq_id)
    if prfaq is None or prfaq.author_id != user_id:
        await respond(
            text="Only the PR/FAQ's author makes it a decision.",
            response_type="ephemeral",
            replace_original=False,
        )
        return
    texts = {s.section: s.text for s in sections}
    heading = texts.get("heading") or prfaq.idea
    await client.views_open(
        trigger_id=fields.text(body, "trigger_id"),
        view=messages.modal(
            channel_id=prfaq.channel_id,
            initial=f"Build {heading}",
            # The customer's case, in the author's words: what the door is sized on, with
            # nothing of Doorway's own (a "PR/FAQ #1" would read as an editable document).
            context=t.cut(
                "\n".join(
                    texts[name].strip()
                    for name in ("subheading", "problem", "solution")
                    if texts.get(name, "").strip()
                ),
                3000,
            ),
            metadata=sealed.seal_form(
                services,
                team_id=team_id,
                user_id=user_id,
                channel_id=prfaq.channel_id,
                prfaq=str(prfaq_id),
            ),
        ),
    )


async def link(services: Services, decision: DoorDecision, prfaq_id: int) -> None:
    """Name the decision on its PR/FAQ (its author's only), and have its card drawn again."""
    assert decision.id is not None
    async with services.db.session() as session:
        prfaq = await prfaqs.get_prfaq(session=session, team_id=decision.team_id, prfaq_id=prfaq_id)
        if prfaq is None or prfaq.author_id != decision.author_id:
            return
        if await prfaqs.link_decision(
            session=session, team_id=decision.team_id, prfaq_id=prfaq_id, decision_id=decision.id
        ):
            await schedule_job(
                session=session,
                team_id=decision.team_id,
                kind=PRFAQ_DECIDED,
                key=decided_key(prfaq_id),
                due_at=services.clock.now(),
                payload={"prfaq_id": prfaq_id},
            )
