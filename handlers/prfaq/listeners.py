"""The PR/FAQ room's listeners: /prfaq and its form, revising a section, widening the
circle of readers, reading, questions and the document's history."""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.listeners import fields, forms
from bot.listeners.context import services_of, team_of
from bot.listeners.people import timezone_of
from bot.services import Services
from bot.slack import text as t
from bot.slack.delivery import say
from bot.slack.text import as_typed
from handlers.prfaq import drafting, flow, form, modals
from handlers.prfaq.flow import Facts
from handlers.prfaq.ids import Circle, Field
from handlers.prfaq.membership import may_share_in
from storage.queries import prfaq as q

HELP_WORDS = {"help", "?", "-h", "--help"}
NOT_SHARED = "That PR/FAQ hasn't been shared with you."
HELP = (
    "*Working backwards*: `/prfaq [idea]` asks the five customer questions, then drafts the "
    "press release announcing the finished product, and its FAQ, in your DM with Doorway "
    "(*Revise* on any section). Share it in widening circles: a few "
    "reviewers, then a wider circle, then the channel. Readers' questions go into the "
    "internal FAQ, and *Do we build it?* makes it a `/door` decision."
)


def prfaq_id_of(action: dict[str, Any]) -> int:
    """The PR/FAQ a button belongs to, from its block (`prfaq_…:<id>[:<section>]`)."""
    parts = str(action.get("block_id") or "").split(":")
    return fields.whole(parts[1] if len(parts) > 1 else "", "block id")


async def on_prfaq(
    ack: AsyncAck,
    command: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    text = as_typed(fields.text(command, "text", required=False)).strip()
    if text.lower() in HELP_WORDS:
        await respond(text=HELP, response_type="ephemeral")
        return
    await client.views_open(
        trigger_id=fields.text(command, "trigger_id"),
        view=modals.open_prfaq(
            channel_id=fields.text(command, "channel_id"), idea=text[: modals.IDEA_MAX]
        ),
    )


async def on_open(
    ack: AsyncAck,
    view: dict[str, Any],
    body: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    found = form.opened(view)
    if isinstance(found, dict):
        await ack(response_action="errors", errors=found)
        return
    services, user_id, team_id = services_of(context), fields.user_id(body), team_of(context, body)
    channel_id = forms.metadata(view).get("channel")
    if not isinstance(channel_id, str) or not channel_id.isalnum():
        channel_id = user_id
    await ack()  # the card arrives in the author's DM with Doorway, drafted
    if channel_id != user_id and not await may_share_in(client, channel_id, user_id):
        channel_id = user_id  # a forged channel: the PR/FAQ (and its decision) stay theirs
    async with services.db.session() as session:
        prfaq, new = await q.record_prfaq(
            session=session,
            values={
                "team_id": team_id,
                "enterprise_id": fields.enterprise_id(body),
                "channel_id": channel_id,
                "author_id": user_id,
                "idea": found.idea,
                "answers": found.answers,
                "written_by": "",
                "circle": int(Circle.AUTHOR),
                "request_key": f"view:{fields.text(view, 'id')}",
            },
        )
        assert prfaq.id is not None
        drafted = await q.sections_of(session=session, team_id=team_id, prfaq_id=prfaq.id)
    if not new and (drafted or prfaq.author_id != user_id):
        return  # Slack retried the submission (handled the first time), or a forged view id
    today = (
        services.clock.now()
        .astimezone(await timezone_of(services, team_id=team_id, user_id=user_id))
        .date()
    )
    draft = await drafting.draft(found.idea, found.answers, model=services.model, today=today)
    async with services.db.session() as session:
        await q.write_draft(
            session=session,
            team_id=team_id,
            prfaq_id=prfaq.id,
            texts={s.value: text for s, text in draft.texts.items()},
            by=draft.written_by.value,
            at=services.clock.now(),
        )
        await q.set_writer(
            session=session,
            team_id=team_id,
            prfaq_id=prfaq.id,
            written_by=draft.written_by.value,
            note=draft.note,
        )
    await flow.refresh(services, client, team_id, prfaq.id)


async def author_only(
    services: Services,
    respond: AsyncRespond,
    context: AsyncBoltContext,
    body: dict[str, Any],
    action: dict[str, Any],
) -> Facts | None:
    found = await flow.facts(services, team_of(context, body), prfaq_id_of(action))
    if found is None:
        await say(respond, "That PR/FAQ isn't here any more.")
        return None
    user_id = fields.user_id(body)
    if not flow.may_read(found, user_id, channel_id=fields.pressed_in(body)):
        await say(respond, NOT_SHARED)  # not even who wrote it, to someone it wasn't shown
        return None
    if user_id != found.prfaq.author_id:
        await say(
            respond,
            f"Only its author, {t.user(found.prfaq.author_id)}, changes this PR/FAQ: "
            "*Ask a question* and it goes into the internal FAQ.",
        )
        return None
    return found


async def reader_only(
    services: Services,
    respond: AsyncRespond,
    context: AsyncBoltContext,
    body: dict[str, Any],
    action: dict[str, Any],
) -> Facts | None:
    found = await flow.facts(services, team_of(context, body), prfaq_id_of(action))
    if found is None or not flow.may_read(
        found, fields.user_id(body), channel_id=fields.pressed_in(body)
    ):
        await say(respond, NOT_SHARED)
        return None
    return found


async def on_revise(
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
    wanted = str(action.get("value") or "")
    section = next((s for s in found.sections if s.section == wanted), None)
    if section is None:
        await say(respond, "That section isn't in this PR/FAQ.")
        return
    await client.views_open(
        trigger_id=fields.text(body, "trigger_id"), view=modals.revise(found.prfaq, section)
    )


async def on_revise_form(
    ack: AsyncAck,
    view: dict[str, Any],
    body: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    found = form.revised(view)
    if isinstance(found, dict):
        await ack(response_action="errors", errors=found)
        return
    services, team_id, user_id = services_of(context), team_of(context, body), fields.user_id(body)
    async with services.db.session() as session:
        prfaq = await q.get_prfaq(session=session, team_id=team_id, prfaq_id=found.prfaq_id)
        if prfaq is None or prfaq.author_id != user_id:
            await ack(
                response_action="errors",
                errors={Field.TEXT: "Only the PR/FAQ's author revises it."},
            )
            return
        saved = await q.revise(
            session=session,
            team_id=team_id,
            prfaq_id=found.prfaq_id,
            section=found.section.value,
            text=found.text,
            seen_version=found.version,
            by=user_id,
            at=services.clock.now(),
        )
    if not saved:
        await ack(
            response_action="errors",
            errors={
                Field.TEXT: "This section changed since you opened it (a reader's question, "
                "or another window): copy your text, close this, and press Revise again."
            },
        )
        return
    await ack()
    await flow.refresh(services, client, team_id, found.prfaq_id, changed={found.section.value})
