"""The door room's shortcuts: *Size this decision* on a message (the card goes in its
thread) and *Log a decision* from anywhere (the card goes where the person picks, or to
their DM with Doorway).

Both open `/door`'s form. Its private_metadata is sealed (bot.listeners.sealed): the
channel and message a card may be posted to are the ones Slack named in the shortcut,
for the workspace and the person who used it, whatever a client sends back. A channel
picked in the global shortcut's form is checked: the person must be in it.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.decisions.metadata import decision_metadata
from bot.listeners import fields, forms, people, quoting, sealed
from bot.listeners.context import services_of, team_of
from bot.listeners.quoting import THREAD
from bot.schedule import reviews
from bot.services import Services
from bot.slack import delivery
from bot.slack import text as t
from bot.slack.failures import SLACK_FAILURES, slack_error
from handlers.door import messages
from handlers.door.cards import permalink_of, proposed_review, update_shared
from handlers.door.ids import Field
from storage.models import DoorDecision
from storage.queries import decisions as q
from storage.queries.log import mark_shared, note_post_error

log = logging.getLogger(__name__)

ANYWHERE = "anywhere"  # a sealed origin: the global shortcut (a message's is THREAD)
FROM_MESSAGE = "Sized from the message; its card goes in the message's thread. Edit freely."
NO_TEXT = (
    ":information_source: That message has no text I can read (a file or an attachment "
    "only): say what is being decided. The card goes in the message's thread."
)
MEMBERS_BUDGET = 1.5  # seconds of conversations.members before the form's ack
MEMBER_PAGES = 5
NOT_IN_CHANNEL = {"not_in_channel", "channel_not_found", "is_archived", "restricted_action"}


@dataclass(frozen=True)
class Target:
    """Where a shortcut's decision lives and its card goes: a thread (`thread_ts`), a
    channel, or, when `channel` is None, the person's DM with Doorway."""

    channel: str | None
    thread_ts: str | None = None
    source_ts: str | None = None  # the message itself (a reply, in a thread not its own)


async def on_size_message(
    ack: AsyncAck, shortcut: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    await ack()
    services = services_of(context)
    team_id, user_id = team_of(context, shortcut), fields.user_id(shortcut)
    quoted = quoting.quoted(shortcut)
    raw, channel, origin = quoted.raw, quoted.channel, quoted.origin()
    text = await quoting.plainly(services, team_id=team_id, text=raw) if raw else ""
    await client.views_open(
        trigger_id=fields.text(shortcut, "trigger_id"),
        view=messages.modal(
            channel_id=channel,
            initial=text,
            metadata=sealed.seal(services, team_id=team_id, user_id=user_id, origin=origin),
            note=FROM_MESSAGE if text else NO_TEXT,
        ),
    )


async def on_log_decision(
    ack: AsyncAck, shortcut: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    await ack()
    services = services_of(context)
    team_id, user_id = team_of(context, shortcut), fields.user_id(shortcut)
    metadata = sealed.seal(services, team_id=team_id, user_id=user_id, origin={"kind": ANYWHERE})
    await client.views_open(
        trigger_id=fields.text(shortcut, "trigger_id"),
        view=messages.modal(channel_id="", metadata=metadata, pick_channel=True),
    )


async def target_of(
    services: Services,
    client: AsyncWebClient,
    view: dict[str, Any],
    *,
    team_id: str,
    user_id: str,
) -> Target | dict[str, str]:
    """Where a shortcut's form sends its card; or the errors to show in the form."""
    origin = sealed.unseal(
        services,
        fields.text(view, "private_metadata", required=False),
        team_id=team_id,
        user_id=user_id,
    )
    if origin is None:
        log.info("a shortcut's form came back with metadata not sealed for %s", user_id)
        return {
            Field.DECISION: "This form can't be checked any more: close it and use the "
            "shortcut again."
        }
    if origin.get("kind") == THREAD and origin.get("channel") and origin.get("ts"):
        return Target(
            channel=origin["channel"],
            thread_ts=origin.get("thread") or origin["ts"],
            source_ts=origin["ts"],
        )
    picked = forms.element(view, Field.POST_IN).get("selected_conversation")
    if not picked:
        return Target(channel=None)
    if not isinstance(picked, str) or not picked.isalnum():
        raise fields.Incomplete("selected_conversation", "is not a conversation id")
    problem = await _cannot_post_in(client, picked, user_id)
    return {Field.POST_IN: problem} if problem else Target(channel=picked)


async def _cannot_post_in(client: AsyncWebClient, channel: str, user_id: str) -> str | None:
    """Why `user_id` may not have a card posted in `channel`; None when they may."""
    try:
        async with asyncio.timeout(MEMBERS_BUDGET):
            cursor = None
            for _ in range(MEMBER_PAGES):
                page = await client.conversations_members(
                    channel=channel, limit=1000, **({"cursor": cursor} if cursor else {})
                )
                if user_id in (page.get("members") or []):
                    return None
                cursor = (page.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    break
    except TimeoutError:
        return "Slack took too long to say who is in that channel; please submit again."
    except SLACK_FAILURES as exc:
        log.info("conversations.members for %s failed: %s", channel, slack_error(exc))
        return (
            "I can't see that channel: invite @Doorway to it (`/invite @Doorway`), or leave "
            "this empty to get the card in a DM."
        )
    return "You're not in that channel: pick one you're in, or leave this empty."


async def dm_channel(client: AsyncWebClient, user_id: str) -> str:
    """The person's DM with Doorway, where a card with nowhere else to go is posted."""
    opened = await client.conversations_open(users=user_id)
    return str(opened["channel"]["id"])


async def source_url(client: AsyncWebClient, target: Target) -> str | None:
    """The link to the message a decision was sized from, if it was."""
    if target.channel is None or target.source_ts is None:
        return None
    return await permalink_of(client, target.channel, target.source_ts)


async def deliver(
    services: Services,
    client: AsyncWebClient,
    decision: DoorDecision,
    target: Target,
    *,
    user_id: str,
) -> None:
    """Post a shortcut's card where it goes, and record what Slack did with it."""
    assert decision.id is not None
    if target.channel is None:
        await client.chat_postMessage(
            channel=decision.channel_id,
            text=messages.fallback(decision),
            blocks=messages.card(decision, for_channel=False),
        )
        return
    try:
        posted = await client.chat_postMessage(
            channel=target.channel,
            text=messages.fallback(decision),
            blocks=messages.card(decision, for_channel=True),
            metadata=decision_metadata(decision),
            thread_ts=target.thread_ts,
        )
    except SLACK_FAILURES as exc:
        await _not_posted(services, client, decision, target, user_id=user_id, exc=exc)
        return
    channel, ts = str(posted["channel"]), str(posted["ts"])
    permalink = await permalink_of(client, channel, ts)
    team_id = decision.team_id
    owner_zone = await people.timezone_of(services, team_id=team_id, user_id=decision.owner_id)
    now = services.clock.now()
    async with services.db.session() as session:
        await mark_shared(
            session=session,
            table=DoorDecision,
            team_id=team_id,
            decision_id=decision.id,
            channel=channel,
            ts=ts,
            permalink=permalink,
            at=now,
        )
        await q.propose_review_date(
            session=session,
            team_id=team_id,
            decision_id=decision.id,
            review_at=proposed_review(decision, now.astimezone(owner_zone).date()),
            at=now,
        )
        shared = await q.get_decision(session=session, team_id=team_id, decision_id=decision.id)
    assert shared is not None
    await reviews.schedule_review(services, decision=shared)
    await update_shared(shared, client)


async def _not_posted(
    services: Services,
    client: AsyncWebClient,
    decision: DoorDecision,
    target: Target,
    *,
    user_id: str,
    exc: BaseException,
) -> None:
    """Slack refused the card: the record says why, and the person learns how to fix it."""
    assert decision.id is not None and target.channel is not None
    error = slack_error(exc)
    log.info("the card of decision %s was not posted: %s", decision.id, error)
    async with services.db.session() as session:
        await note_post_error(
            session=session,
            table=DoorDecision,
            team_id=decision.team_id,
            decision_id=decision.id,
            error=error[:200],
        )
    where = "the message's thread" if target.thread_ts else f"<#{target.channel}>"
    if error in NOT_IN_CHANNEL:
        note = (
            f":warning: Decision #{decision.id} is recorded, but I couldn't post its card in "
            f"{where}: I'm not in that channel. Invite me with `/invite @Doorway`, then use "
            "the shortcut again."
        )
    else:
        note = (
            f":warning: Decision #{decision.id} is recorded, but Slack refused its card in "
            f"{where} ({t.safe(error, 100)}). Please try again."
        )
    await delivery.ephemeral_or_dm(
        client,
        channel=target.channel,
        user=user_id,
        text=note,
        blocks=messages.notice(note) + messages.card(decision, for_channel=False),
    )
