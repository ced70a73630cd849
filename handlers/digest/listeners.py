"""The digest room's listener: `/digest on [day] [time] | off | now`."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.listeners import fields
from bot.listeners.context import services_of, team_of
from bot.listeners.people import timezone_of
from bot.services import Services
from handlers.digest import digest, messages, runs
from handlers.digest.schedule import Request, UsageError, Verb, parse
from storage.queries import digests as q
from storage.queries.jobs import cancel_jobs

log = logging.getLogger(__name__)


async def on_digest(
    ack: AsyncAck,
    command: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    services = services_of(context)
    team_id = team_of(context, command)
    channel_id, user_id = fields.text(command, "channel_id"), fields.user_id(command)
    try:
        request = parse(fields.text(command, "text", required=False))
    except UsageError as exc:
        await respond(text=f":warning: {exc}\n\n{messages.USAGE}")
        return
    if request.verb is Verb.ON:
        await respond(
            text=await _subscribe(
                services, client, request, team_id=team_id, channel_id=channel_id, user_id=user_id
            )
        )
    elif request.verb is Verb.OFF:
        async with services.db.session() as session:
            was_on = await q.unsubscribe(session=session, team_id=team_id, channel_id=channel_id)
            await cancel_jobs(
                session=session, team_id=team_id, key_prefix=runs.job_prefix(channel_id)
            )
        await respond(text=messages.unsubscribed(was_on))
    elif request.verb is Verb.NOW:
        await _preview(services, respond, team_id=team_id, channel_id=channel_id, user_id=user_id)
    else:
        async with services.db.session() as session:
            sub = await q.get_subscription(session=session, team_id=team_id, channel_id=channel_id)
        await respond(text=messages.status(sub))


async def _subscribe(
    services: Services,
    client: AsyncWebClient,
    request: Request,
    *,
    team_id: str,
    channel_id: str,
    user_id: str,
) -> str:
    zone = await timezone_of(services, team_id=team_id, user_id=user_id)
    now = services.clock.now()
    async with services.db.session() as session:
        sub = await q.subscribe(
            session=session,
            team_id=team_id,
            channel_id=channel_id,
            weekday=request.weekday,
            at_minute=request.minute,
            tz=zone.key,
            by=user_id,
            at=now,
        )
        await cancel_jobs(session=session, team_id=team_id, key_prefix=runs.job_prefix(channel_id))
        first = await runs.plan_next(session, sub, after=now)
    return messages.subscribed(sub, first, warning=await _membership_warning(client, channel_id))


async def _membership_warning(client: AsyncWebClient, channel_id: str) -> str | None:
    """Say so now if the bot can't post here, rather than on Friday."""
    try:
        info = await client.conversations_info(channel=channel_id)
    except SlackApiError as exc:
        if exc.response.get("error") in runs.REMOVED:
            return messages.NOT_A_MEMBER
        log.info("conversations.info for %s failed: %s", channel_id, exc.response.get("error"))
        return None
    channel = info.get("channel") or {}
    if channel.get("is_im") or channel.get("is_member", True):
        return None
    return messages.NOT_A_MEMBER


async def _preview(
    services: Services, respond: AsyncRespond, *, team_id: str, channel_id: str, user_id: str
) -> None:
    async with services.db.session() as session:
        sub = await q.get_subscription(session=session, team_id=team_id, channel_id=channel_id)
    tz = sub.tz if sub else (await timezone_of(services, team_id=team_id, user_id=user_id)).key
    window = runs.window_ending(services.clock.now(), team_id=team_id, channel_id=channel_id, tz=tz)
    sections = await runs.collect(services, window)
    if not sections:
        await respond(text=messages.NOTHING_YET)
        return
    await respond(
        text=digest.summary(sections), blocks=messages.digest(sections, window, preview=True)
    )
