"""The search room's listeners: /decisions, and its *Next* and *Previous* buttons.

Both answer through the response_url, after the ack: the search may read many rows.
"""

from __future__ import annotations

import logging
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond

from bot.listeners import fields, people
from bot.listeners.context import services_of, team_of
from bot.services import Services
from handlers.search import messages, pages, parse
from handlers.search.pages import Forged, Page
from storage.queries import people as people_q
from storage.queries.search import Filters, Scope, search_decisions

log = logging.getLogger(__name__)

NOT_THIS_SEARCH = (
    ":warning: That button belongs to a search run somewhere else, so nothing was shown. "
    "Run `/decisions` again here."
)


async def on_decisions(
    ack: AsyncAck,
    command: dict[str, Any],
    respond: AsyncRespond,
    context: AsyncBoltContext,
) -> None:
    await ack()
    services = services_of(context)
    team_id, user_id = team_of(context, command), fields.user_id(command)
    channel_id = fields.text(command, "channel_id")
    zone = await people.timezone_of(services, team_id=team_id, user_id=user_id)
    today = services.clock.now().astimezone(zone).date()
    try:
        query = parse.parse(fields.text(command, "text", required=False), today=today)
        if query.help:
            text, blocks = messages.help_message()
            await respond(text=text, blocks=blocks)
            return
        if query.owner_name is not None:
            query = await _with_owner(services, team_id, query)
    except parse.UsageError as exc:
        text, blocks = messages.refused(f":warning: {exc}")
        await respond(text=text, blocks=blocks)
        return
    page = Page(team_id=team_id, channel_id=channel_id, user_id=user_id, query=query)
    await _show(services, respond, page, zone, replace=False)


async def on_page(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: AsyncRespond,
    context: AsyncBoltContext,
) -> None:
    await ack()
    services = services_of(context)
    team_id, user_id = team_of(context, body), fields.user_id(body)
    try:
        page = pages.decode(fields.text(action, "value"))
    except Forged as exc:
        log.info("a /decisions page button's value was not Doorway's: %s", exc)
        await respond(replace_original=False, text=NOT_THIS_SEARCH)
        return
    # The search runs for whoever pressed, where they pressed: a value naming another
    # workspace, channel or person is not a page of a search they ran.
    if (page.team_id, page.channel_id, page.user_id) != (
        team_id,
        fields.pressed_in(body),
        user_id,
    ):
        log.info("a /decisions page button was pressed outside its search")
        await respond(replace_original=False, text=NOT_THIS_SEARCH)
        return
    zone = await people.timezone_of(services, team_id=team_id, user_id=user_id)
    await _show(services, respond, page, zone, replace=True)


async def _with_owner(services: Services, team_id: str, query: parse.Query) -> parse.Query:
    """The query with its `@name` made a person's id, or UsageError saying why not."""
    name = query.owner_name or ""
    async with services.db.session() as session:
        found = await people_q.people_named(session=session, team_id=team_id, name=name)
    if len(found) != 1:
        who = parse.quoted("@" + name)
        raise parse.UsageError(
            f"I don't know who {who} is{' (several people go by it)' if found else ''}: "
            "pick them from Slack's @-menu as you type, so Slack sends who they are."
        )
    return parse.Query(
        words=query.words,
        door=query.door,
        owner_id=found[0],
        closed=query.closed,
        since=query.since,
    )


async def _show(
    services: Services, respond: AsyncRespond, page: Page, zone: ZoneInfo, *, replace: bool
) -> None:
    q = page.query
    since = datetime.combine(q.since, time(0), tzinfo=zone) if q.since else None
    scope = Scope(
        team_id=page.team_id,
        viewer=page.user_id,
        channel_id=None if page.own else page.channel_id,
    )
    filters = Filters(words=q.words, door=q.door, owner_id=q.owner_id, closed=q.closed, since=since)
    async with services.db.session() as session:
        found = await search_decisions(
            session=session,
            scope=scope,
            filters=filters,
            limit=pages.PAGE_SIZE + 1,
            offset=page.offset,
        )
    text, blocks = messages.results(
        page, found[: pages.PAGE_SIZE], more=len(found) > pages.PAGE_SIZE, zone=zone
    )
    await respond(text=text, blocks=blocks, replace_original=replace)
