"""What happens to a Correction of Error, whoever moves it on: its message in the channel,
the DMs, the reminders, and the document once it is approved.

The review's message follows what Slack did: a post Slack refused is recorded with its
error (the next change posts it again); a DM that can't be delivered is told to the owner.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from slack_sdk.web.async_client import AsyncWebClient

from bot.decisions.followups import review_due
from bot.listeners.people import timezone_of
from bot.schedule.timing import instant
from bot.services import Services
from bot.slack import delivery
from bot.slack import text as t
from bot.slack.failures import SLACK_FAILURES, slack_error
from bot.slack.pacing import post_message
from handlers.coe import messages
from handlers.coe.export import document_markdown
from handlers.coe.ids import JobKind
from handlers.coe.messages import Message
from storage.models import CoeAction, CoeActionState, CoeAnswer, CoeReview, CoeState
from storage.queries import coe as q
from storage.queries.jobs import cancel_jobs, schedule_job

log = logging.getLogger(__name__)

SlackFailure = SLACK_FAILURES
REMIND_AGAIN = timedelta(days=7)  # an open action past its date, until it is closed


now = instant  # the instant being handled: a job's tick instant, else the clock's now


async def facts(
    services: Services, team_id: str, review_id: int
) -> tuple[CoeReview | None, list[CoeAnswer], list[CoeAction]]:
    """The review with its answers and actions, as they are now."""
    async with services.db.session() as session:
        review = await q.get_review(session=session, team_id=team_id, review_id=review_id)
        if review is None:
            return None, [], []
        answers = await q.answers_of(session=session, team_id=team_id, review_id=review_id)
        actions = await q.actions_of(session=session, team_id=team_id, review_id=review_id)
    return review, answers, actions


async def today_of(services: Services, team_id: str, user_id: str) -> date:
    zone = await timezone_of(services, team_id=team_id, user_id=user_id)
    return now(services).astimezone(zone).date()


async def refresh(services: Services, client: AsyncWebClient, team_id: str, review_id: int) -> None:
    """Post the review's message, or bring it up to date: it shows the review as it is now."""
    review, answers, actions = await facts(services, team_id, review_id)
    if review is None:
        return
    today = await today_of(services, team_id, review.owner_id)
    message = messages.card(review, answers, actions, today=today)
    channel, ts, error = review.message_channel, review.message_ts, None
    try:
        if ts and channel:
            await client.chat_update(channel=channel, ts=ts, **message)
        else:
            posted = await post_message(
                client, services.pacer, channel=review.channel_id, **message
            )
            channel, ts = str(posted["channel"]), str(posted["ts"])
    except SlackFailure as exc:
        error = slack_error(exc)
        log.info("the review %s message failed: %s", review_id, error)
        if not ts:
            await tell(
                services,
                client,
                user_id=review.author_id,
                message=messages.notice(
                    f":warning: Doorway couldn't post the review in <#{review.channel_id}> "
                    f"({error}). Invite Doorway there (`/invite @Doorway`); the next change "
                    "to the review posts it."
                ),
            )
    async with services.db.session() as session:
        await q.set_message(
            session=session,
            team_id=team_id,
            review_id=review_id,
            channel=channel if ts else None,
            ts=ts,
            error=error,
        )


async def send_dm(
    services: Services, client: AsyncWebClient, *, user_id: str, message: Message
) -> tuple[str, str]:
    return await delivery.send_dm(client, services.pacer, user_id=user_id, **message)


async def tell(
    services: Services, client: AsyncWebClient, *, user_id: str, message: Message
) -> bool:
    """DM a person, best effort: a failure is logged (there is no one left to tell)."""
    return await delivery.tell(client, services.pacer, user_id=user_id, **message)


def action_key(action: CoeAction) -> str:
    return f"coe:{action.review_id}:action:{action.id}:"


async def schedule_action(services: Services, action: CoeAction, day: date) -> None:
    """The action's owner is asked at 09:00 on `day` in their zone (one pending ask)."""
    zone = await timezone_of(services, team_id=action.team_id, user_id=action.owner_id)
    async with services.db.session() as session:
        await cancel_jobs(session=session, team_id=action.team_id, key_prefix=action_key(action))
        await schedule_job(
            session=session,
            team_id=action.team_id,
            kind=JobKind.ACTION_DUE,
            key=f"{action_key(action)}{day.isoformat()}",
            due_at=review_due(day, zone),
            payload={"review_id": action.review_id, "action_id": action.id, "day": day.isoformat()},
        )


async def schedule_draft(services: Services, review: CoeReview) -> None:
    zone = await timezone_of(services, team_id=review.team_id, user_id=review.owner_id)
    async with services.db.session() as session:
        await schedule_job(
            session=session,
            team_id=review.team_id,
            kind=JobKind.DRAFT_DUE,
            key=f"coe:{review.id}:draft",
            due_at=review_due(review.draft_due, zone),
            payload={"review_id": review.id},
        )


async def action_closed(services: Services, client: AsyncWebClient, action: CoeAction) -> None:
    """After an action is closed: no more asking, and the review may be all done."""
    async with services.db.session() as session:
        await cancel_jobs(session=session, team_id=action.team_id, key_prefix=action_key(action))
        actions = await q.actions_of(
            session=session, team_id=action.team_id, review_id=action.review_id
        )
        if all(a.state != CoeActionState.OPEN for a in actions):
            await q.move(
                session=session,
                team_id=action.team_id,
                review_id=action.review_id,
                from_states=[CoeState.APPROVED],
                to=CoeState.ACTIONS_CLOSED,
            )
    await refresh(services, client, action.team_id, action.review_id)


async def post_document(
    services: Services, client: AsyncWebClient, team_id: str, review_id: int
) -> None:
    """The approved review, whole, in its message's thread (once)."""
    review, answers, actions = await facts(services, team_id, review_id)
    if review is None or review.document_ts or not review.message_ts:
        return
    first: str | None = None
    for page in messages.document(review, answers, actions):
        posted = await post_message(
            client,
            services.pacer,
            channel=review.message_channel or review.channel_id,
            thread_ts=review.message_ts,
            **page,
        )
        first = first or str(posted["ts"])
    if first:
        async with services.db.session() as session:
            await q.set_document(session=session, team_id=team_id, review_id=review_id, ts=first)
    await _write_canvas(services, client, review, answers, actions)


async def _write_canvas(
    services: Services,
    client: AsyncWebClient,
    review: CoeReview,
    answers: list[CoeAnswer],
    actions: list[CoeAction],
) -> None:
    """The document written into a canvas tabbed in the review's channel (seen by that
    channel's members only), where the workspace allows canvases: an extra, so a refusal
    (a plan without them, admins who turned them off) leaves the thread as the document."""
    if review.canvas_id or review.id is None:
        return
    try:
        made = await client.canvases_create(
            title=t.cut(f"Correction of Error: {review.title}", 200),
            document_content={
                "type": "markdown",
                "markdown": document_markdown(review, answers, actions),
            },
            channel_id=review.channel_id,
        )
    except SlackFailure as exc:
        log.info("no canvas for review %s: %s", review.id, slack_error(exc))
        return
    async with services.db.session() as session:
        await q.set_canvas(
            session=session,
            team_id=review.team_id,
            review_id=review.id,
            canvas_id=str(made.get("canvas_id") or ""),
        )


async def note_on_decisions(services: Services, client: AsyncWebClient, review: CoeReview) -> None:
    """In the thread of each decision the review names, a note that it led here. Only a
    decision of the review's own channel hears its title: a review held in a private
    channel says no more than that it exists anywhere else."""
    async with services.db.session() as session:
        named = await q.named_decisions(
            session=session, team_id=review.team_id, ids=review.decision_ids or []
        )
    for decision in named:
        if not (decision.message_channel and decision.message_ts):
            continue  # never shared: nowhere to say it
        here = decision.channel_id == review.channel_id
        text = (
            f":rotating_light: The Correction of Error *{t.safe(review.title, 200)}* names this "
            "decision among those that led to it."
            if here
            else ":rotating_light: A Correction of Error held in another channel names this "
            "decision among those that led to it."
        )
        try:
            await post_message(
                client,
                services.pacer,
                channel=decision.message_channel,
                thread_ts=decision.message_ts,
                **messages.notice(text),
            )
        except SlackFailure as exc:
            log.info("the note on decision %s failed: %s", decision.id, slack_error(exc))
