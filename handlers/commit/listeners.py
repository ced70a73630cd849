"""The commit room's listeners: /commit, its form, the dissenters' answers, the check-back."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.decisions import sizing
from bot.listeners import fields, sealed
from bot.listeners.context import services_of, team_of
from bot.listeners.people import profile, zone
from bot.services import Services
from handlers.commit import flow, form, messages, modals, shortcut
from handlers.commit.form import Person, Submission
from handlers.commit.ids import Answer, Field
from handlers.commit.modals import Origin
from handlers.commit.outcomes import record as own_record
from storage.models import Commitment, DecisionStatus, DissentState, UserProfile
from storage.queries import commits as q

log = logging.getLogger(__name__)

HELP_WORDS = {"help", "?", "-h", "--help"}
ME_WORDS = {"me", "mine", "record"}
LOOKUP_BUDGET = 1.5  # seconds of users.info before the form's ack; Slack allows three
# The author, the owner and the dissenters a form takes: a forged form or a workflow step
# naming thousands of people is refused by form.problems, not looked up first.
LOOKUP_MAX = form.MAX_DISSENTERS + 2


async def on_commit(
    ack: AsyncAck,
    command: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    services = services_of(context)
    text, user_id = fields.text(command, "text", required=False), fields.user_id(command)
    word = text.strip().lower()
    if word in HELP_WORDS:
        await respond(**messages.help_message())
        return
    if word in ME_WORDS:
        await respond(**await _own_record(services, team_of(context, command), user_id))
        return
    await client.views_open(
        trigger_id=fields.text(command, "trigger_id"),
        view=modals.record(
            channel_id=fields.text(command, "channel_id"),
            author=user_id,
            prefill=form.prefill(text, author=user_id),
            check_back=services.clock.now().date() + form.CHECK_BACK_AFTER,
            # The channel Slack named, sealed: the form's metadata comes back from the client.
            metadata=sealed.seal_form(
                services,
                team_id=team_of(context, command),
                user_id=user_id,
                channel_id=fields.text(command, "channel_id"),
            ),
        ),
    )


async def on_record(
    ack: AsyncAck,
    view: dict[str, Any],
    body: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    services = services_of(context)
    team_id, author = team_of(context, body), fields.user_id(body)
    metadata = fields.text(view, "private_metadata", required=False)
    thread: shortcut.Thread | None = None
    opened = (
        sealed.unseal(services, metadata, team_id=team_id, user_id=author)
        if sealed.is_sealed(metadata)
        else None
    )
    if sealed.is_sealed(metadata) and opened is None:
        log.info("a /commit form came back with a seal not made for %s", author)
        await ack(
            response_action="errors",
            errors={
                Field.DECISION: "This form can't be checked any more: close it and open it again."
            },
        )
        return
    if opened is not None and sealed.is_form(opened):
        channel_id = opened["channel"]  # /commit's own form: where it was typed
    elif sealed.is_sealed(metadata):  # from a message: its card goes in the message's thread
        found = shortcut.thread_of(services, metadata, team_id=team_id, user_id=author)
        if isinstance(found, dict):
            await ack(response_action="errors", errors=found)
            return
        thread, channel_id = found, found.channel
    else:  # unsealed (opened before forms were sealed, or doctored): never a channel it names
        log.info("a /commit form came back with metadata not sealed for %s", author)
        channel_id = author
    request_key = f"view:{fields.text(view, 'id')}"
    submission = form.read(view)
    people = await people_of(services, team_id, [author, *submission.people])
    author_zone = zone(people[author].tz) if author in people else zone(None)
    today = services.clock.now().astimezone(author_zone).date()
    shown = {u: Person(u, p.name, p.is_bot, p.deleted) for u, p in people.items()}
    errors = form.problems(submission, today=today, people=shown)
    if errors:
        await ack(response_action="errors", errors=errors)
        return
    await ack()
    decision, new = await record(
        services,
        submission,
        team_id=team_id,
        author=author,
        channel_id=channel_id,
        enterprise_id=fields.enterprise_id(body),
        request_key=request_key,
        source_url=await shortcut.source_url(client, thread) if thread else None,
    )
    if new:
        await flow.start(services, client, decision, thread_ts=thread.thread_ts if thread else None)


async def on_commit_button(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    await _answer_form(body, action, respond, client, context, committing=True)


async def on_not_yet_button(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    await _answer_form(body, action, respond, client, context, committing=False)


async def _answer_form(
    body: dict[str, Any],
    action: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
    *,
    committing: bool,
) -> None:
    services = services_of(context)
    team_id, user_id = team_of(context, body), fields.user_id(body)
    decision_id = fields.number(action, "value")
    async with services.db.session() as session:
        decision = await q.get_commitment(session=session, team_id=team_id, decision_id=decision_id)
        dissent = await q.get_dissent(
            session=session, team_id=team_id, decision_id=decision_id, user_id=user_id
        )
    if decision is None:
        await respond(replace_original=False, **messages.gone())
        return
    if dissent is None:
        await respond(replace_original=False, **messages.not_named())
        return
    open_states = (
        {DissentState.PENDING, DissentState.NOT_YET} if committing else {DissentState.PENDING}
    )
    if dissent.state not in open_states:  # answered already, maybe from another message
        await respond(replace_original=True, **messages.ask(decision, dissent))
        return
    container = body.get("container") or {}
    origin = Origin(decision_id, container.get("channel_id"), container.get("message_ts"))
    view = modals.pledge(decision, origin) if committing else modals.hold(decision, origin)
    await client.views_open(trigger_id=fields.text(body, "trigger_id"), view=view)


async def on_pledge(
    ack: AsyncAck,
    view: dict[str, Any],
    body: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    # Read before the ack: a form from before a deploy is answered in the modal itself.
    origin = modals.origin_of(view)
    concern = modals.text_value(view, Field.CONCERN) or None
    expectation = modals.text_value(view, Field.EXPECTATION) or None
    team_id, user_id = team_of(context, body), fields.user_id(body)
    await ack()
    services = services_of(context)
    async with services.db.session() as session:
        changed = await q.commit_dissent(
            session=session,
            team_id=team_id,
            decision_id=origin.decision_id,
            user_id=user_id,
            concern=concern,
            expectation=expectation,
            at=services.clock.now(),
        )
        decision = await q.get_commitment(
            session=session, team_id=team_id, decision_id=origin.decision_id
        )
    if changed and decision is not None:
        await flow.answered(
            services,
            client,
            decision=decision,
            user_id=user_id,
            pressed_in=(origin.channel, origin.ts),
        )


async def on_hold(
    ack: AsyncAck,
    view: dict[str, Any],
    body: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    reason = modals.text_value(view, Field.REASON)
    origin = modals.origin_of(view)
    team_id, user_id = team_of(context, body), fields.user_id(body)
    if not reason:
        await ack(
            response_action="errors",
            errors={Field.REASON: "Say what stops you: the owner can't help otherwise."},
        )
        return
    await ack()
    services = services_of(context)
    async with services.db.session() as session:
        changed = await q.hold_dissent(
            session=session,
            team_id=team_id,
            decision_id=origin.decision_id,
            user_id=user_id,
            reason=reason,
            at=services.clock.now(),
        )
        decision = await q.get_commitment(
            session=session, team_id=team_id, decision_id=origin.decision_id
        )
        dissent = await q.get_dissent(
            session=session, team_id=team_id, decision_id=origin.decision_id, user_id=user_id
        )
    if not changed or decision is None or dissent is None:
        return
    await flow.tell(
        services,
        client,
        user_id=decision.owner_id,
        message=messages.held_for_owner(decision, dissent),
    )
    await flow.answered(
        services,
        client,
        decision=decision,
        user_id=user_id,
        pressed_in=(origin.channel, origin.ts),
        redraw_card=False,
    )


async def on_outcome(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    services = services_of(context)
    team_id, user_id = team_of(context, body), fields.user_id(body)
    raw_id, _, raw_answer = fields.text(action, "value").partition(":")
    decision_id = fields.whole(raw_id, "value")
    answer = fields.member(Answer, raw_answer, "value")
    async with services.db.session() as session:
        # answer_checkin makes answers to one decision take turns, so whoever answers last
        # counts every answer below and brings the summary.
        changed = await q.answer_checkin(
            session=session,
            team_id=team_id,
            decision_id=decision_id,
            user_id=user_id,
            answer=answer,
            at=services.clock.now(),
        )
        decision = await q.get_commitment(session=session, team_id=team_id, decision_id=decision_id)
        checkins = await q.checkins_of(session=session, team_id=team_id, decision_id=decision_id)
    mine = next((c for c in checkins if c.user_id == user_id), None)
    if decision is None:
        await respond(replace_original=False, **messages.gone())
        return
    if mine is None or mine.answer is None:
        await respond(replace_original=False, **messages.not_named())
        return
    await respond(
        replace_original=True,
        **messages.answered(decision, Answer(mine.answer), already=not changed),
    )
    if changed and all(c.answer for c in checkins):
        try:
            await flow.summarise(services, client, team_id=team_id, decision_id=decision_id)
        except flow.SlackFailure as exc:  # the summary job tries again on the third day
            log.warning("summary of decision %s failed: %s", decision_id, flow.slack_error(exc))


async def people_of(
    services: Services, team_id: str, user_ids: list[str]
) -> dict[str, UserProfile]:
    """Profiles of whoever Slack describes within the budget, of the first LOOKUP_MAX
    people named; the rest are left out."""
    tasks = {
        u: asyncio.create_task(profile(services, team_id=team_id, user_id=u))
        for u in list(dict.fromkeys(user_ids))[:LOOKUP_MAX]
    }
    done, pending = await asyncio.wait(tasks.values(), timeout=LOOKUP_BUDGET)
    for task in pending:
        task.cancel()
    return {
        u: task.result() for u, task in tasks.items() if task in done and task.exception() is None
    }


async def record(
    services: Services,
    submission: Submission,
    *,
    team_id: str,
    author: str,
    channel_id: str,
    enterprise_id: str | None,
    request_key: str,
    source_url: str | None = None,
) -> tuple[Commitment, bool]:
    """Size and store a commit decision once per `request_key`; the decision, and whether
    this call stored it."""
    async with services.db.session() as session:
        existing = await q.find_by_request(
            session=session, team_id=team_id, request_key=request_key
        )
    if existing is not None:
        return existing, False
    judgment = await sizing.size(submission.decision, model=services.model)
    at = services.clock.now()
    assert submission.owner is not None
    values = {
        "team_id": team_id,
        "enterprise_id": enterprise_id,
        "channel_id": channel_id,
        "author_id": author,
        "owner_id": submission.owner,
        "text": submission.decision,
        "context": submission.summary or None,
        "door": judgment.door.value,
        "door_source": judgment.source.value,
        "confidence": judgment.confidence,
        "reasons": list(judgment.reasons),
        "chair_question": judgment.chair_question,
        "status": DecisionStatus.OPEN,
        "check_back": submission.check_back,
        "request_key": request_key,
        "source_url": source_url,
        "created_at": at,
        "updated_at": at,
    }
    async with services.db.session() as session:
        return await q.record_commitment(
            session=session, values=values, dissenters=submission.dissenters
        )


async def _own_record(services: Services, team_id: str, user_id: str) -> messages.Message:
    async with services.db.session() as session:
        owned = await q.owned_commitments(session=session, team_id=team_id, user_id=user_id)
        dissents = await q.dissents_by(session=session, team_id=team_id, user_id=user_id)
    return messages.own_record(own_record(owned=owned, dissents=dissents))
