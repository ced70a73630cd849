"""The readers' side: the whole document, "I've read it", questions for the internal
FAQ, and the document's history."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.listeners import fields
from bot.listeners.context import services_of, team_of
from bot.listeners.people import timezone_of
from bot.services import Services
from bot.slack import text as t
from bot.slack.delivery import say
from bot.slack.failures import SLACK_FAILURES, slack_error
from handlers.prfaq import flow, form, messages, modals
from handlers.prfaq.drafting import gap
from handlers.prfaq.flow import Facts
from handlers.prfaq.ids import Circle, Field, Section
from handlers.prfaq.listeners import reader_only
from storage.queries import prfaq as q

log = logging.getLogger(__name__)


async def on_read(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    found = await reader_only(services_of(context), respond, context, body, action)
    if found is not None:
        await client.views_open(
            trigger_id=fields.text(body, "trigger_id"),
            view=messages.document_view(found.prfaq, found.sections),
        )


async def on_done_reading(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    services = services_of(context)
    found = await reader_only(services, respond, context, body, action)
    if found is None:
        return
    prfaq, user_id = found.prfaq, fields.user_id(body)
    assert prfaq.id is not None
    if user_id == prfaq.author_id:
        await say(respond, "You wrote it: *Read by* counts the people you asked.")
        return
    now = services.clock.now()
    async with services.db.session() as session:
        await q.add_reader(
            session=session,
            team_id=prfaq.team_id,
            prfaq_id=prfaq.id,
            user_id=user_id,
            circle=int(Circle.CHANNEL),
            at=now,
        )
        await q.set_reader(
            session=session, team_id=prfaq.team_id, prfaq_id=prfaq.id, user_id=user_id, read_at=now
        )
    await say(respond, f":white_check_mark: Thanks: {t.user(prfaq.author_id)} sees you've read it.")
    await _mark_read(client, body, found, user_id)
    await flow.refresh(services, client, prfaq.team_id, prfaq.id)


async def _mark_read(
    client: AsyncWebClient, body: dict[str, Any], found: Facts, user_id: str
) -> None:
    """The reader's own DM drawn again without *I've read it* (a channel's card keeps it for
    the others). Only the bot's DM with this reader is touched, whatever the press claims."""
    reader = next((r for r in found.readers if r.user_id == user_id), None)
    pressed, ts = fields.pressed_in(body), (body.get("message") or {}).get("ts")
    if reader is None or reader.circle >= Circle.CHANNEL or not pressed or not isinstance(ts, str):
        return
    try:
        opened = await client.conversations_open(users=user_id)
        if opened["channel"]["id"] != pressed:
            return
        message = messages.ask_to_read(
            found.prfaq, found.sections, Circle(reader.circle), read=True
        )
        await client.chat_update(channel=pressed, ts=ts, **message)
    except SLACK_FAILURES as exc:
        log.info("prfaq %s: the reader's DM wasn't redrawn: %s", found.prfaq.id, slack_error(exc))


async def on_ask(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    services = services_of(context)
    found = await reader_only(services, respond, context, body, action)
    if found is None:
        return
    prfaq, user_id = found.prfaq, fields.user_id(body)
    assert prfaq.id is not None
    if user_id != prfaq.author_id and found.reader(user_id) is None:
        # Let in by the channel Slack says they pressed in: noted here, since the form's
        # metadata comes back from the client and can name any channel.
        async with services.db.session() as session:
            await q.add_reader(
                session=session,
                team_id=prfaq.team_id,
                prfaq_id=prfaq.id,
                user_id=user_id,
                circle=int(Circle.CHANNEL),
                at=services.clock.now(),
            )
    view = modals.ask(prfaq, messages.heading_of(prfaq, found.sections))
    await client.views_open(trigger_id=fields.text(body, "trigger_id"), view=view)


async def on_ask_form(
    ack: AsyncAck,
    view: dict[str, Any],
    body: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    asked = form.question(view)
    if isinstance(asked, dict):
        await ack(response_action="errors", errors=asked)
        return
    prfaq_id, question = asked
    services, team_id, user_id = services_of(context), team_of(context, body), fields.user_id(body)
    found = await flow.facts(services, team_id, prfaq_id)
    # Its author or a reader, of whom *Ask a question* in the channel made one.
    if found is None or not flow.may_read(found, user_id):
        await ack(
            response_action="errors",
            errors={Field.QUESTION: "That PR/FAQ hasn't been shared with you."},
        )
        return
    prfaq = found.prfaq
    heading = t.safe(messages.heading_of(prfaq, found.sections), 200)
    await ack(response_action="update", view=modals.asked(prfaq, heading, question))
    await add_question(services, found, user_id, question)
    if user_id != prfaq.author_id:
        await flow.tell(
            services,
            client,
            user_id=prfaq.author_id,
            message=messages.notice(
                f":question: {t.user(user_id)} asked about *{heading}*: "
                f"“{t.safe(question, 1000)}”. It's in the internal FAQ: *Revise* it to answer."
            ),
        )
    await flow.refresh(services, client, team_id, prfaq_id, changed={Section.INTERNAL_FAQ.value})


QUESTION_TRIES = 5


async def add_question(services: Services, found: Facts, user_id: str, question: str) -> None:
    """The question at the end of the internal FAQ, its answer a gap for the author; a
    revision like any other (a version saved meanwhile is read again, then written over)."""
    prfaq = found.prfaq
    assert prfaq.id is not None
    limit = Section.INTERNAL_FAQ.spec.limit
    for _ in range(QUESTION_TRIES):
        async with services.db.session() as session:
            sections = await q.sections_of(
                session=session, team_id=prfaq.team_id, prfaq_id=prfaq.id
            )
            faq = next((s for s in sections if s.section == Section.INTERNAL_FAQ.value), None)
            if faq is None:
                return
            added = f"Q: {question}\nA: {gap('an answer')}"
            text = f"{faq.text.rstrip()}\n\n{added}" if faq.text.strip() else added
            if len(text) > limit:
                text = text[-limit:]  # the newest questions are kept; history keeps the rest
            if await q.revise(
                session=session,
                team_id=prfaq.team_id,
                prfaq_id=prfaq.id,
                section=Section.INTERNAL_FAQ.value,
                text=text,
                seen_version=faq.version,
                by=user_id,
                note="a reader's question",
                at=services.clock.now(),
            ):
                await q.count_question(
                    session=session, team_id=prfaq.team_id, prfaq_id=prfaq.id, user_id=user_id
                )
                return


async def on_history(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    services = services_of(context)
    found = await reader_only(services, respond, context, body, action)
    if found is None:
        return
    prfaq = found.prfaq
    assert prfaq.id is not None
    async with services.db.session() as session:
        revisions = await q.history(session=session, team_id=prfaq.team_id, prfaq_id=prfaq.id)
    zone = await timezone_of(services, team_id=prfaq.team_id, user_id=fields.user_id(body))
    await client.views_open(
        trigger_id=fields.text(body, "trigger_id"), view=messages.history_view(revisions, zone)
    )
