"""The silent-reading room's listeners: /memo, the reading's buttons, the private comment.

What a comment says is never logged and never shown before the reveal: the one message
that repeats it goes to its writer alone (an ephemeral message, or a DM where Slack
refuses that).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.listeners import fields
from bot.listeners.context import services_of, team_of
from bot.services import Services
from bot.slack import delivery
from bot.slack import text as t
from bot.slack.delivery import say
from handlers.memo import flow, messages, modals
from handlers.memo.ids import EXTENDS, Action, Field
from handlers.memo.parse import HELP_WORDS, MAX_MINUTES, Memo, parse
from storage.models import MemoComment, MemoEnd, MemoSession, MemoState
from storage.queries import events
from storage.queries import memo as q

OVER = ":checkered_flag: The reading is over: its comments are in the reading's thread."
CLOSING = ":checkered_flag: The reading is over: its comments are being posted in its thread."
GONE = "That reading is gone."
NOT_OPENED = (
    "Doorway didn't open this form for that reading: press *Comment privately* on the "
    "reading's message."
)


def session_id_of(action: dict[str, Any]) -> int:
    return fields.number(action, "value")


async def on_memo(
    ack: AsyncAck,
    command: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    raw = fields.text(command, "text", required=False).strip()
    if raw.lower() in HELP_WORDS:
        await say(respond, messages.HELP)
        return
    found = parse(raw)
    if isinstance(found, str):
        await say(respond, found)
        return
    services = services_of(context)
    team_id, user_id = team_of(context, command), fields.user_id(command)
    channel_id = fields.text(command, "channel_id")
    session = await _record(
        services,
        found,
        team_id=team_id,
        user_id=user_id,
        channel_id=channel_id,
        enterprise_id=fields.enterprise_id(command),
        request_key=f"command:{fields.text(command, 'trigger_id')}",
    )
    if session is None:
        return  # Slack sent the command again: it was handled the first time
    await flow.schedule_end(services, session)
    error = await flow.post_card(services, client, session)
    if error:
        assert session.id is not None
        async with services.db.session() as db:
            await q.cancel(session=db, team_id=team_id, session_id=session.id)
        await say(
            respond,
            f":warning: Doorway couldn't post the reading in this channel ({t.escape(error)}), "
            "so it hasn't started. Invite Doorway here (`/invite @Doorway`) and run `/memo` "
            "again.",
        )


async def _record(
    services: Services, memo: Memo, *, team_id: str, user_id: str, channel_id: str,
    enterprise_id: str | None, request_key: str,
) -> MemoSession | None:  # fmt: skip
    started = services.clock.now().replace(microsecond=0)  # the card shows whole seconds
    async with services.db.session() as db:
        session, new = await q.record_session(
            session=db,
            values={
                "team_id": team_id,
                "enterprise_id": enterprise_id,
                "channel_id": channel_id,
                "owner_id": user_id,
                "title": memo.title,
                "url": memo.url,
                "minutes": memo.minutes,
                "started_at": started,
                "ends_at": started + timedelta(minutes=memo.minutes),
                "state": MemoState.READING,
                "reveal_pages": 0,
                "request_key": request_key,
                "created_at": started,
            },
        )
    return session if new else None


async def _running(
    services: Services, respond: AsyncRespond, team_id: str, session_id: int, body: dict[str, Any]
) -> MemoSession | None:
    """The reading, if it runs on; else the presser is told why not. Its buttons are on its
    message: a press anywhere else names a reading it made up, and learns nothing of it."""
    found, _ = await flow.facts(services, team_id, session_id)
    if found is None or fields.pressed_in(body) != (found.message_channel or found.channel_id):
        await say(respond, GONE)
        return None
    if found.state != MemoState.READING:
        await say(respond, CLOSING if found.state == MemoState.CLOSING else OVER)
        return None
    return found


async def on_reading(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    services, team_id = services_of(context), team_of(context, body)
    user_id, session_id = fields.user_id(body), session_id_of(action)
    if await _running(services, respond, team_id, session_id, body) is None:
        return
    async with services.db.session() as db:
        new = await q.start_reading(
            session=db, team_id=team_id, session_id=session_id, user_id=user_id,
            at=services.clock.now(),
        )  # fmt: skip
    await say(
        respond,
        ":eyes: Enjoy the read. Questions and comments go to Doorway with *Comment privately*, "
        "and nobody sees them until the end. Press *I've finished* when you're done."
        if new
        else "You're already reading: press *I've finished* when you're done.",
    )
    if new:
        await flow.refresh(services, client, team_id, session_id)


async def on_finished(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    services, team_id = services_of(context), team_of(context, body)
    user_id, session_id = fields.user_id(body), session_id_of(action)
    if await _running(services, respond, team_id, session_id, body) is None:
        return
    async with services.db.session() as db:
        new = await q.finish_reading(
            session=db, team_id=team_id, session_id=session_id, user_id=user_id,
            at=services.clock.now(),
        )  # fmt: skip
    if not new:
        await say(respond, "You've already finished: the comments come when the reading ends.")
        return
    _, readers = await flow.facts(services, team_id, session_id)
    if flow.all_finished(readers):
        await _reveal(services, client, team_id, session_id, reason=MemoEnd.ALL_FINISHED)
        return
    await say(respond, ":white_check_mark: Thanks: the comments come when the reading ends.")
    await flow.refresh(services, client, team_id, session_id)


async def _reveal(
    services: Services,
    client: AsyncWebClient,
    team_id: str,
    session_id: int,
    *,
    reason: MemoEnd,
    by: str | None = None,
) -> None:
    """Reveal now; a failure (recorded on the reading) is left to the end job to retry."""
    try:
        await flow.reveal(
            services, client, team_id=team_id, session_id=session_id, reason=reason, by=by
        )
    except flow.SlackFailure:
        found, _ = await flow.facts(services, team_id, session_id)
        if found is not None:
            await flow.retry_soon(services, found)
        raise


async def on_comment(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    services, team_id = services_of(context), team_of(context, body)
    found = await _running(services, respond, team_id, session_id_of(action), body)
    if found is None:
        return
    opened = await client.views_open(
        trigger_id=fields.text(body, "trigger_id"), view=modals.comment(found)
    )
    # The form's metadata comes back from the client and can name any reading: its
    # submission is taken only for the reading, the person and the view opened here.
    view_id = str((opened.get("view") or {}).get("id") or "")
    async with services.db.session() as db:
        await events.first_time(
            session=db,
            team_id=team_id,
            key=flow.form_key(found, view_id, fields.user_id(body)),
            at=services.clock.now(),
        )


async def on_comment_form(
    ack: AsyncAck,
    view: dict[str, Any],
    body: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    services = services_of(context)
    user_id, team_id = fields.user_id(body), team_of(context, body)
    session_id = modals.session_of(view)
    found = modals.written(view)
    if isinstance(found, dict):
        await ack(response_action="errors", errors=found)
        return
    now, view_id = services.clock.now(), fields.text(view, "id")
    comment: MemoComment | None = None
    new = False
    async with services.db.session() as db:
        reading = await q.get_session(session=db, team_id=team_id, session_id=session_id)
        opened = reading is not None and await q.form_opened(
            session=db, team_id=team_id, key=flow.form_key(reading, view_id, user_id)
        )
        if opened:
            comment, new = await q.add_comment(
                session=db,
                team_id=team_id,
                session_id=session_id,
                values={
                    "user_id": user_id,
                    "section": found.section,
                    "kind": found.kind.value,
                    "text": found.text,
                    "request_key": f"view:{view_id}",
                },
                at=now,
            )
            reading = await q.get_session(session=db, team_id=team_id, session_id=session_id)
    if reading is not None and reading.state == MemoState.READING and comment is None:
        await ack(response_action="errors", errors={Field.TEXT: NOT_OPENED})
        return
    if comment is None or reading is None:
        # Comments are kept for the reveal only; after it, the thread is where to talk.
        await ack(
            response_action="errors",
            errors={
                Field.TEXT: "The reading is over and its comments were shown in its thread: "
                "reply there instead."
                if reading
                else GONE
            },
        )
        return
    await ack()
    if not new:
        return  # Slack sent the submission again: it was confirmed the first time
    zone = await flow.zone_of(services, reading)
    await delivery.ephemeral_or_dm(
        client,
        channel=reading.message_channel or reading.channel_id,
        user=user_id,
        **messages.received(reading, comment, zone=zone),
    )
    await flow.refresh(services, client, team_id, session_id)


async def on_extend(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    services, team_id = services_of(context), team_of(context, body)
    user_id, session_id = fields.user_id(body), session_id_of(action)
    minutes = EXTENDS.get(fields.member(Action, fields.text(action, "action_id"), "action id"))
    if minutes is None:
        raise fields.Incomplete("action id", "is not an Extend button")
    found = await _running(services, respond, team_id, session_id, body)
    if found is None or not await _owner(respond, found, user_id):
        return
    now = services.clock.now().replace(microsecond=0)
    ends_at = max(found.ends_at, now) + timedelta(minutes=minutes)
    if ends_at - now > timedelta(minutes=MAX_MINUTES):
        await say(respond, f"A reading ends within {MAX_MINUTES} minutes: it can't go longer.")
        return
    async with services.db.session() as db:
        moved = await q.extend(session=db, team_id=team_id, session_id=session_id, ends_at=ends_at)
    if not moved:
        await say(respond, OVER)
        return
    found.ends_at = ends_at
    await flow.schedule_end(services, found)
    zone = await flow.zone_of(services, found)
    await say(
        respond, f":hourglass: Extended: the reading now ends {messages.until(ends_at, zone)}."
    )
    await flow.refresh(services, client, team_id, session_id)


async def on_end_now(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    services, team_id = services_of(context), team_of(context, body)
    user_id, session_id = fields.user_id(body), session_id_of(action)
    found = await _running(services, respond, team_id, session_id, body)
    if found is None or not await _owner(respond, found, user_id):
        return
    await _reveal(services, client, team_id, session_id, reason=MemoEnd.OWNER, by=user_id)


async def _owner(respond: AsyncRespond, session: MemoSession, user_id: str) -> bool:
    """Only the person who started the reading extends or ends it."""
    if user_id == session.owner_id:
        return True
    await say(
        respond,
        f"Only {t.user(session.owner_id)}, who started this reading, can extend it or end it "
        "early: ask them if the group needs more time.",
    )
    return False
