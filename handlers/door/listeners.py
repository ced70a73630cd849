"""The door room's listeners: /door, its modal, and the card's buttons."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.decisions import sizing
from bot.decisions.judgment import Door
from bot.listeners import fields, forms, people, sealed
from bot.listeners.context import services_of, team_of
from bot.schedule import reviews
from bot.services import Services
from bot.slack import delivery
from bot.slack.failures import SLACK_FAILURES
from bot.slack.text import as_typed
from handlers.door import asking, from_prfaq, messages, sharing, shortcuts
from handlers.door.cards import REVIEW_AFTER as REVIEW_AFTER
from handlers.door.cards import update_shared
from handlers.door.ids import Action, Field
from storage.models import TEXT_MAX, DecisionStatus, DoorDecision
from storage.queries import decisions as q

log = logging.getLogger(__name__)

HELP_WORDS = {"help", "?", "-h", "--help"}


async def on_door(
    ack: AsyncAck,
    command: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    text = as_typed(fields.text(command, "text", required=False))
    if text.strip().lower() in HELP_WORDS:
        await respond(text="How Doorway sizes decisions", blocks=messages.help_blocks())
        return
    trigger_id, origin = fields.text(command, "trigger_id"), _origin(command)
    if not text.strip():
        # The channel Slack named, sealed: the form's metadata comes back from the client.
        metadata = sealed.seal_form(
            services_of(context),
            team_id=team_of(context, command),
            user_id=origin["user_id"],
            channel_id=origin["channel_id"],
        )
        await client.views_open(
            trigger_id=trigger_id,
            view=messages.modal(channel_id=origin["channel_id"], metadata=metadata),
        )
        return
    if len(text) > TEXT_MAX:
        await respond(
            text=f":warning: That's {len(text):,} characters; Doorway keeps decisions "
            f"up to {TEXT_MAX:,}. Please shorten it and try again."
        )
        return
    decision, new = await record(
        services_of(context),
        origin=origin,
        team_id=team_of(context, command),
        text=text,
        context_text="",
        request_key=f"command:{trigger_id}",
    )
    if new:
        await delivery.answer_privately(
            respond,
            client,
            channel=origin["channel_id"],
            user=origin["user_id"],
            text=messages.fallback(decision),
            blocks=messages.card(decision, for_channel=False),
        )


async def on_modal(
    ack: AsyncAck,
    view: dict[str, Any],
    body: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    text = forms.text(view, Field.DECISION)
    extra = forms.text(view, Field.CONTEXT)
    if not text:
        await ack(
            response_action="errors",
            errors={Field.DECISION: "Tell me what you're deciding: a sentence is enough."},
        )
        return
    # Slack's form enforces the inputs' max_length; a forged submission does not.
    too_long = {
        f.value: f"Doorway keeps up to {TEXT_MAX:,} characters here."
        for f, value in ((Field.DECISION, text), (Field.CONTEXT, extra))
        if len(value) > TEXT_MAX
    }
    if too_long:
        await ack(response_action="errors", errors=too_long)
        return
    # Read before the ack: a submission lacking them is answered in the modal itself.
    user_id, services = fields.user_id(body), services_of(context)
    team_id, request_key = team_of(context, body), f"view:{fields.text(view, 'id')}"
    metadata = fields.text(view, "private_metadata", required=False)
    target: shortcuts.Target | None = None
    opened = from_prfaq.opened_in(services, metadata, team_id=team_id, user_id=user_id)
    if opened is not None:  # /door's own form, or a PR/FAQ's *Do we build it?*
        channel_id, prfaq_id = opened
    elif sealed.is_sealed(metadata):  # a shortcut's form: where its card goes was sealed
        found = await shortcuts.target_of(services, client, view, team_id=team_id, user_id=user_id)
        if isinstance(found, dict):
            await ack(response_action="errors", errors=found)
            return
        target, prfaq_id = found, None
        channel_id = target.channel or user_id
    else:  # unsealed (opened before forms were sealed, or doctored): never a channel it names
        log.info("a /door form came back with metadata not sealed for %s", user_id)
        channel_id, prfaq_id = user_id, None
    await ack()
    source_url = None
    if target is not None:
        if target.channel is None:
            channel_id = await shortcuts.dm_channel(client, user_id)
        source_url = await shortcuts.source_url(client, target)
    origin = {
        "channel_id": channel_id,
        "user_id": user_id,
        "enterprise_id": fields.enterprise_id(body),
    }
    decision, new = await record(
        services,
        origin=origin,
        team_id=team_id,
        text=text,
        context_text=extra,
        request_key=request_key,
        source_url=source_url,
    )
    if not new:
        return
    if target is not None:
        await shortcuts.deliver(services, client, decision, target, user_id=user_id)
        return
    if prfaq_id is not None:
        await from_prfaq.link(services, decision, prfaq_id)
    await delivery.ephemeral_or_dm(
        client,
        channel=channel_id,
        user=user_id,
        text=messages.fallback(decision),
        blocks=messages.card(decision, for_channel=False),
    )


async def on_share(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    services = services_of(context)
    team_id = team_of(context, body)
    decision_id = fields.number(action, "value")
    decision = await _pressed(
        services, respond, body=body, team_id=team_id, decision_id=decision_id
    )
    if decision is None:
        return
    if decision.status != DecisionStatus.OPEN:
        await _refresh(decision, body=body, respond=respond, client=client)
        return
    try:
        shared = await sharing.share(services, client, decision)
    except SLACK_FAILURES as exc:
        await respond(replace_original=False, text=_share_failed(decision_id, exc))
        return
    if shared is None:  # a press under way
        await _refresh(decision, body=body, respond=respond, client=client)
        return
    await respond(
        replace_original=True,
        text=messages.shared_note(shared),
        blocks=messages.notice(messages.shared_note(shared))
        + messages.card(shared, for_channel=False),
    )


NOT_HERE = "I can't find that decision here."


def may_press(decision: DoorDecision, *, body: dict[str, Any], user_id: str) -> bool:
    """Whether this press could have come from a door card this person can see.

    A signed request can name any decision id: the card's buttons only act on a /door
    decision of the channel they were pressed in, and on one not shared yet (whose card
    only its author sees) only for its author or owner.
    """
    if fields.pressed_in(body) not in {decision.channel_id, decision.message_channel} - {None}:
        return False
    if decision.status == DecisionStatus.OPEN:
        return user_id in {decision.author_id, decision.owner_id}
    return True


async def _pressed(
    services: Services,
    respond: AsyncRespond,
    *,
    body: dict[str, Any],
    team_id: str,
    decision_id: int,
) -> DoorDecision | None:
    """The card's decision, if this press may act on it; otherwise say so and give None."""
    async with services.db.session() as session:
        decision = await q.get_decision(session=session, team_id=team_id, decision_id=decision_id)
    if decision is None:
        await respond(text="That decision no longer exists.", replace_original=False)
        return None
    if not may_press(decision, body=body, user_id=fields.user_id(body)):
        log.info("a press on decision %s came from outside its card", decision_id)
        await respond(text=NOT_HERE, replace_original=False)
        return None
    return decision


def _share_failed(decision_id: int, exc: BaseException) -> str:
    """What to tell the person whose Share did not reach the channel (it can be pressed again)."""
    if not isinstance(exc, SlackApiError):
        log.info("sharing decision %s failed: %s", decision_id, type(exc).__name__)
        return (
            ":warning: Slack didn't answer, so the card was not shared. "
            "Please press *Share in channel* again."
        )
    error = exc.response.get("error")
    log.info("sharing decision %s failed: %s", decision_id, error)
    if error in {"not_in_channel", "channel_not_found", "is_archived"}:
        return (
            ":warning: I can't post in this channel yet. Invite me with `/invite @Doorway`, "
            "then press *Share in channel* again."
        )
    return f":warning: Slack refused the post ({error}). Please try again."


async def on_overrule(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    services = services_of(context)
    team_id = team_of(context, body)
    raw_id, _, target = fields.text(action, "value").partition(":")
    decision_id, door = fields.whole(raw_id, "value"), fields.member(Door, target, "value")
    user_id = fields.user_id(body)
    if (
        await _pressed(services, respond, body=body, team_id=team_id, decision_id=decision_id)
        is None
    ):
        return
    async with services.db.session() as session:
        changed = await q.overrule(
            session=session,
            team_id=team_id,
            decision_id=decision_id,
            door=door.value,
            by=user_id,
            at=services.clock.now(),
        )
        decision = await q.get_decision(session=session, team_id=team_id, decision_id=decision_id)
    if decision is None:
        return
    await _refresh(decision, body=body, respond=respond, client=client)
    if changed:
        await _tell_thread(
            decision,
            client,
            f"{messages.t.user(user_id)} overruled the door: it's a *{door.label.lower()}*.",
        )


async def _tell_thread(decision: DoorDecision, client: AsyncWebClient, text: str) -> None:
    """A note under the shared card, if it was shared."""
    if decision.message_ts and decision.message_channel:
        await client.chat_postMessage(
            channel=decision.message_channel, thread_ts=decision.message_ts, text=text
        )


# Read, add the answer, write only if nobody changed the row since: two people answering
# at once each keep their answer. A few rounds are plenty for a card's worth of clicks.
ANSWER_ROUNDS = 5


async def on_answer(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    services = services_of(context)
    team_id = team_of(context, body)
    # A question button's value is `<decision id>:<question>`.
    raw_id, _, raw_question = fields.text(action, "value").partition(":")
    decision_id = fields.whole(raw_id, "value")
    question = fields.member(asking.Question, raw_question, "value")
    answer = action["action_id"] == Action.ANSWER_YES
    user_id = fields.user_id(body)
    if (
        await _pressed(services, respond, body=body, team_id=team_id, decision_id=decision_id)
        is None
    ):
        return
    settled_now: Door | None = None  # the door this very answer settled
    for _ in range(ANSWER_ROUNDS):
        async with services.db.session() as session:
            decision = await q.get_decision(
                session=session, team_id=team_id, decision_id=decision_id
            )
            if decision is None:
                await respond(text="That decision no longer exists.", replace_original=False)
                return
            if not messages.asks(decision):
                break  # sized already (answers, an overrule, a review), or it never asked
            if question.value in (decision.answers or {}):  # the first answer stands
                break
            answers = {**(decision.answers or {}), question.value: answer}
            settled = asking.door_from(answers)
            if await q.record_answers(
                session=session,
                team_id=team_id,
                decision_id=decision_id,
                seen=decision.updated_at,
                answers=answers,
                door=settled.value if settled else None,
                by=user_id,
                at=services.clock.now(),
            ):
                settled_now = settled
                break
    else:
        log.info("answer to decision %s not stored: the card kept changing", decision_id)
        await respond(
            replace_original=False,
            text=":warning: Others were answering at the same moment; please press it again.",
        )
        return
    async with services.db.session() as session:
        decision = await q.get_decision(session=session, team_id=team_id, decision_id=decision_id)
    assert decision is not None
    await _refresh(decision, body=body, respond=respond, client=client)
    if settled_now is not None:
        await _tell_thread(
            decision,
            client,
            f"The card's questions are answered ({messages.t.user(user_id)}'s answer "
            f"settled it): it's a *{settled_now.label.lower()}*.",
        )


async def on_review_date(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    services = services_of(context)
    team_id = team_of(context, body)
    decision_id = _decision_id_of(action)
    picked = fields.day(action, "selected_date")
    now = services.clock.now()
    zone = await people.timezone_of(services, team_id=team_id, user_id=fields.user_id(body))
    if picked < now.astimezone(zone).date():
        await respond(replace_original=False, text=":calendar: Pick a review date from today on.")
        return
    if (
        await _pressed(services, respond, body=body, team_id=team_id, decision_id=decision_id)
        is None
    ):
        return
    async with services.db.session() as session:
        await q.set_review_date(
            session=session, team_id=team_id, decision_id=decision_id, review_at=picked, at=now
        )
        decision = await q.get_decision(session=session, team_id=team_id, decision_id=decision_id)
    if decision is None:
        return
    await reviews.schedule_review(services, decision=decision)
    await _refresh(decision, body=body, respond=respond, client=client)


def _origin(command: dict[str, Any]) -> dict[str, Any]:
    """Where a /door was typed, and by whom."""
    return {
        "channel_id": fields.text(command, "channel_id"),
        "user_id": fields.user_id(command),
        "enterprise_id": fields.enterprise_id(command),
    }


async def record(
    services: Services,
    *,
    origin: dict[str, Any],
    team_id: str,
    text: str,
    context_text: str,
    request_key: str,
    source_url: str | None = None,
) -> tuple[DoorDecision, bool]:
    """Size `text` and store it as a /door decision once per `request_key`; the decision,
    and whether this call stored it."""
    # No look-up first: the INSERT … ON CONFLICT that records it is what keeps a retry
    # (or a replay) from recording twice, and it costs the common case one session less.
    judgment = await sizing.size(text, context_text, model=services.model)
    now = services.clock.now()
    values = {
        "team_id": team_id,
        "enterprise_id": origin["enterprise_id"],
        "channel_id": origin["channel_id"],
        "author_id": origin["user_id"],
        "owner_id": origin["user_id"],
        "text": text,
        "context": context_text or None,
        "door": judgment.door.value,
        "door_source": judgment.source.value,
        "confidence": judgment.confidence,
        "reasons": list(judgment.reasons),
        "chair_question": judgment.chair_question,
        "unsure": judgment.unsure,
        "sizing_note": judgment.note,
        "status": DecisionStatus.OPEN,
        "request_key": request_key,
        "source_url": source_url,
        "created_at": now,
        "updated_at": now,
    }
    async with services.db.session() as session:
        return await q.record_decision(session=session, values=values)


def _decision_id_of(action: dict[str, Any]) -> int:
    """The decision a card belongs to: its actions block is `door_actions:<id>`."""
    return fields.whole(fields.text(action, "block_id").rpartition(":")[2], "block_id")


async def _refresh(
    decision: DoorDecision, *, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
) -> None:
    """Redraw the card where the button was pressed, and the channel's copy if shared."""
    container = body.get("container") or {}
    pressed_in_channel = (
        not container.get("is_ephemeral") and container.get("message_ts") == decision.message_ts
    )
    if not pressed_in_channel:
        await respond(
            replace_original=True,
            text=messages.fallback(decision),
            blocks=messages.card(decision, for_channel=False),
        )
    await update_shared(decision, client)
