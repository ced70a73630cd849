"""The Correction of Error room's listeners: /coe, its form, the seven questions, the
corrective actions and the bar raiser's review."""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.listeners import fields, forms
from bot.listeners.context import services_of, team_of
from bot.listeners.fields import Incomplete
from bot.slack import text as t
from bot.slack.delivery import say
from bot.slack.text import as_typed
from handlers.coe import flow, form, messages, modals
from handlers.coe.ids import Field
from handlers.coe.questions import WRITTEN, Question
from storage.models import CoeActionState, CoeAnswer, CoeReview, CoeState
from storage.queries import coe as q
from storage.queries import commits

HELP_WORDS = {"help", "?", "-h", "--help"}
HELP = (
    "*Correction of Error*: `/coe [what went wrong]` opens the review's form. The review gets "
    "its own message in the channel where it was handled: answer the seven questions there, "
    "add corrective actions (one owner and a due date each; Doorway chases them until they "
    "are closed), then ask a bar raiser from outside the team to review it. Blameless: "
    "mechanisms, not people."
)


def may_write(review: CoeReview, user_id: str) -> bool:
    """The owner writes the review, and whoever they added."""
    return user_id == review.owner_id or user_id in (review.writers or [])


def not_a_writer(review: CoeReview) -> str:
    return (
        f"Only the review's owner, {t.user(review.owner_id)}, and the people they added write "
        "it: ask them to add you (*Who writes it* on the review)."
    )


def review_id_of(action: dict[str, Any]) -> int:
    """The review a button belongs to, from its block (`coe_card:<id>`)."""
    block = str(action.get("block_id") or "")
    number = block.rpartition(":")[2]
    return fields.whole(number, "block id")


def action_id_of(action: dict[str, Any]) -> int:
    return fields.whole(fields.text(action, "value"), "button value")


async def on_coe(
    ack: AsyncAck,
    command: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    services = services_of(context)
    text = as_typed(fields.text(command, "text", required=False)).strip()
    if text.lower() in HELP_WORDS:
        await respond(text=HELP, response_type="ephemeral")
        return
    user_id, team_id = fields.user_id(command), team_of(context, command)
    today = await flow.today_of(services, team_id, user_id)
    await client.views_open(
        trigger_id=fields.text(command, "trigger_id"),
        view=modals.open_review(
            channel_id=fields.text(command, "channel_id"),
            owner=user_id,
            title=text[: modals.TITLE_MAX],
            draft_due=form.draft_due(today),
        ),
    )


async def on_open(
    ack: AsyncAck,
    view: dict[str, Any],
    body: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    services = services_of(context)
    user_id, team_id = fields.user_id(body), team_of(context, body)
    today = await flow.today_of(services, team_id, user_id)
    found = form.opened(view, today=today)
    if isinstance(found, dict):
        await ack(response_action="errors", errors=found)
        return
    async with services.db.session() as session:
        known = await q.existing_decisions(session=session, team_id=team_id, ids=found.decision_ids)
    unknown = [n for n in found.decision_ids if n not in known]
    if unknown:
        await ack(
            response_action="errors",
            errors={
                Field.DECISIONS: "No decision " + ", ".join(f"#{n}" for n in unknown) + " here."
            },
        )
        return
    await ack()
    async with services.db.session() as session:
        review, new = await q.record_review(
            session=session,
            values={
                "team_id": team_id,
                "enterprise_id": fields.enterprise_id(body),
                "channel_id": found.channel_id,
                "author_id": user_id,
                "owner_id": found.owner_id,
                "title": found.title,
                "severity": found.severity.value,
                "started_at": found.started_at,
                "detected_at": found.detected_at,
                "duration_minutes": found.duration_minutes,
                "draft_due": found.draft_due,
                "decision_ids": found.decision_ids,
                "writers": [w for w in found.writers if w != found.owner_id],
                "state": CoeState.DRAFTING,
                "request_key": f"view:{fields.text(view, 'id')}",
            },
        )
    if not new:
        return  # Slack retried the submission: it was handled the first time
    assert review.id is not None
    await flow.refresh(services, client, team_id, review.id)
    await flow.schedule_draft(services, review)
    await flow.note_on_decisions(services, client, review)
    if review.owner_id != user_id:
        await flow.tell(
            services,
            client,
            user_id=review.owner_id,
            message=messages.notice(
                f"{t.user(user_id)} made you the owner of the Correction of Error "
                f"*{t.safe(review.title, 200)}* in <#{review.channel_id}>; the first draft is "
                f"due {review.draft_due.isoformat()}."
            ),
        )


async def on_from_decision(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    """'Open a Correction of Error' on a decision (a check-back whose concerns were right):
    the review's form, the decision named, its channel picked."""
    await ack()
    services, team_id = services_of(context), team_of(context, body)
    user_id, decision_id = fields.user_id(body), action_id_of(action)
    async with services.db.session() as session:
        found = await q.named_decisions(session=session, team_id=team_id, ids=[decision_id])
        # The button is drawn for the people asked how it turned out; nobody else is shown
        # the decision's words (it may have been made in a private channel).
        checkins = await commits.checkins_of(
            session=session, team_id=team_id, decision_id=decision_id
        )
    asked = {c.user_id for c in checkins}
    if not found or user_id not in asked | {found[0].owner_id, found[0].author_id}:
        await say(respond, "Only the people asked about that decision open a review from it.")
        return
    decision = found[0]
    today = await flow.today_of(services, team_id, user_id)
    await client.views_open(
        trigger_id=fields.text(body, "trigger_id"),
        view=modals.open_review(
            channel_id=decision.channel_id,
            owner=user_id,
            title=t.cut(f"What went wrong with: {decision.text}", modals.TITLE_MAX),
            draft_due=form.draft_due(today),
            decisions=f"#{decision_id}",
        ),
    )


async def on_question(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    services, team_id = services_of(context), team_of(context, body)
    option = action.get("selected_option")
    value = option.get("value") if isinstance(option, dict) else None
    try:
        question = Question(str(value))
    except ValueError:
        raise Incomplete("question", "is not one of the seven") from None
    review, answers, _ = await flow.facts(services, team_id, review_id_of(action))
    if review is None:
        await say(respond, "That review is gone.")
        return
    if review.state != CoeState.DRAFTING:
        await say(
            respond, ":lock: The review is with its bar raiser or approved: it can't change now."
        )
        return
    if not may_write(review, fields.user_id(body)):
        await say(respond, not_a_writer(review))
        return
    earlier = next((a for a in answers if a.question == question.value), None)
    await client.views_open(
        trigger_id=fields.text(body, "trigger_id"), view=modals.answer(review, question, earlier)
    )


async def on_answer(
    ack: AsyncAck,
    view: dict[str, Any],
    body: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    services = services_of(context)
    user_id, team_id = fields.user_id(body), team_of(context, body)
    review_id = form.meta_id(view, "review")
    try:
        question = Question(str(forms.metadata(view).get("question")))
    except ValueError:
        raise form.forms.stale(view, "its question") from None
    if question not in WRITTEN:
        raise form.forms.stale(view, "its question")
    review, answers, _ = await flow.facts(services, team_id, review_id)
    if review is None or review.state != CoeState.DRAFTING:
        await ack(
            response_action="errors",
            errors={
                Field.ANSWER: "The review is with its bar raiser or approved: it can't change now."
            },
        )
        return
    if not may_write(review, user_id):
        await ack(response_action="errors", errors={Field.ANSWER: t.readable(not_a_writer(review))})
        return
    earlier = next((a for a in answers if a.question == question.value), None)
    chains = list((earlier.details or {}).get("chains") or []) if earlier else []
    found = form.answered(view, question, chains)
    if isinstance(found, dict):
        await ack(response_action="errors", errors=found)
        return
    await ack()
    async with services.db.session() as session:
        await q.save_answer(
            session=session,
            answer=CoeAnswer(
                team_id=team_id,
                review_id=review_id,
                question=question.value,
                text=found.text,
                rich=[found.rich],
                details=found.details,
                answered_by=user_id,
                answered_at=services.clock.now(),
            ),
        )
    await flow.refresh(services, client, team_id, review_id)


async def on_add_action(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    services, team_id = services_of(context), team_of(context, body)
    review, _, _ = await flow.facts(services, team_id, review_id_of(action))
    if review is None or review.state == CoeState.IN_REVIEW:
        await say(
            respond,
            ":lock: Actions can be added while the review is drafted, or once it is approved.",
        )
        return
    if not may_write(review, fields.user_id(body)):
        await say(respond, not_a_writer(review))
        return
    today = await flow.today_of(services, team_id, fields.user_id(body))
    await client.views_open(
        trigger_id=fields.text(body, "trigger_id"),
        view=modals.action(review, owner=review.owner_id, due=form.draft_due(today)),
    )


async def on_action_form(
    ack: AsyncAck,
    view: dict[str, Any],
    body: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    services = services_of(context)
    user_id, team_id = fields.user_id(body), team_of(context, body)
    review_id = form.meta_id(view, "review")
    found = form.new_action(view, today=await flow.today_of(services, team_id, user_id))
    if isinstance(found, dict):
        await ack(response_action="errors", errors=found)
        return
    await ack()
    async with services.db.session() as session:
        review = await q.get_review(session=session, team_id=team_id, review_id=review_id)
        if review is None or not may_write(review, user_id) or review.state == CoeState.IN_REVIEW:
            return
        added, new = await q.add_action(
            session=session,
            values={
                "team_id": team_id,
                "review_id": review_id,
                "title": found.title,
                "owner_id": found.owner_id,
                "due": found.due,
                "priority": found.priority.value,
                "state": CoeActionState.OPEN,
                "request_key": f"view:{fields.text(view, 'id')}",
            },
        )
        if new:  # an approved review whose actions were all closed has one open again
            await q.move(
                session=session,
                team_id=team_id,
                review_id=review_id,
                from_states=[CoeState.ACTIONS_CLOSED],
                to=CoeState.APPROVED,
            )
    if not new:
        return
    await flow.schedule_action(services, added, added.due)
    await flow.refresh(services, client, team_id, review_id)
    if added.owner_id != user_id:
        await flow.tell(
            services,
            client,
            user_id=added.owner_id,
            message=messages.notice(
                f"{t.user(user_id)} gave you a corrective action from the Correction of Error "
                f"*{t.safe(review.title, 200)}*: *{t.safe(added.title, 500)}*, due "
                f"{added.due.isoformat()}. Doorway reminds you on the day."
            ),
        )
