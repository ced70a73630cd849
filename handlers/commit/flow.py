"""What happens to a commit decision, whether a person or a scheduled job moves it on:
the card, the DMs, the check-back schedule and the summary.

Slack failures are reported, not swallowed: a DM that can't be delivered is told to the
owner; what a job can retry (Slack down, rate limits past the client's retries) is raised.
"""

from __future__ import annotations

import logging

from slack_sdk.web.async_client import AsyncWebClient

from bot.decisions.followups import review_due
from bot.decisions.metadata import decision_metadata
from bot.listeners import once
from bot.listeners.people import timezone_of
from bot.schedule.timing import instant
from bot.services import Services
from bot.slack import delivery
from bot.slack.failures import SLACK_FAILURES, slack_error
from bot.slack.pacing import post_message
from handlers.commit import messages
from handlers.commit.ids import JobKind
from handlers.commit.messages import Message
from handlers.commit.outcomes import verdict
from handlers.commit.timing import (
    SUMMARY_AFTER,
    after_a_working_day,
    check_back_key,
    remind_key,
    summary_key,
)
from storage.models import Commitment, DecisionStatus, Dissent
from storage.queries import commits as q
from storage.queries.events import confirm
from storage.queries.jobs import cancel_jobs, schedule_job
from storage.queries.log import mark_shared, note_post_error

log = logging.getLogger(__name__)

SlackFailure = SLACK_FAILURES  # Slack refused or did not answer (bot/slack/failures.py)


now = instant  # the instant being handled: a job's tick instant, else the clock's now


async def send_dm(
    services: Services, client: AsyncWebClient, *, user_id: str, message: Message
) -> tuple[str, str]:
    """DM a person (conversations.open, then post); the DM's channel and ts."""
    return await delivery.send_dm(client, services.pacer, user_id=user_id, **message)


async def tell(
    services: Services, client: AsyncWebClient, *, user_id: str, message: Message
) -> bool:
    """DM a person, best effort: a failure is logged (there is no one left to tell)."""
    return await delivery.tell(client, services.pacer, user_id=user_id, **message)


# -- on submit ------------------------------------------------------------------------


async def start(
    services: Services,
    client: AsyncWebClient,
    decision: Commitment,
    *,
    thread_ts: str | None = None,
) -> None:
    """A newly recorded decision: ask each dissenter, post the card (in the thread of
    `thread_ts`, for one recorded from a message), schedule the rest."""
    assert decision.id is not None
    async with services.db.session() as session:
        dissent = await q.dissenters_of(
            session=session, team_id=decision.team_id, decision_id=decision.id
        )
    for person in dissent:
        await _ask(services, client, decision, person)
    await _post_card(services, client, decision, thread_ts)
    await _schedule_check_backs(services, decision, [d.user_id for d in dissent])


async def _ask(
    services: Services, client: AsyncWebClient, decision: Commitment, dissent: Dissent
) -> None:
    assert decision.id is not None
    team_id, key = decision.team_id, remind_key(decision.id, dissent.user_id)
    # The reminder is due before the DM goes, so an answer that beats us cancels it.
    zone = await timezone_of(services, team_id=team_id, user_id=dissent.user_id)
    async with services.db.session() as session:
        await schedule_job(
            session=session,
            team_id=team_id,
            kind=JobKind.REMIND,
            key=key,
            due_at=after_a_working_day(now(services), zone),
            payload={"decision_id": decision.id, "user_id": dissent.user_id},
        )
    try:
        channel, ts = await send_dm(
            services, client, user_id=dissent.user_id, message=messages.ask(decision, dissent)
        )
    except SlackFailure as exc:
        error = slack_error(exc)
        log.info("asking %s to commit failed: %s", dissent.user_id, error)
        async with services.db.session() as session:
            await cancel_jobs(session=session, team_id=team_id, key_prefix=key)
            await q.set_dissent_dm(
                session=session,
                team_id=team_id,
                decision_id=decision.id,
                user_id=dissent.user_id,
                channel=None,
                ts=None,
                error=error[:200],
            )
        await tell(
            services,
            client,
            user_id=decision.owner_id,
            message=messages.dm_failed(
                decision, dissent.user_id, error, what="to ask them to commit"
            ),
        )
        return
    async with services.db.session() as session:
        await q.set_dissent_dm(
            session=session,
            team_id=team_id,
            decision_id=decision.id,
            user_id=dissent.user_id,
            channel=channel,
            ts=ts,
            error=None,
        )


async def _post_card(
    services: Services, client: AsyncWebClient, decision: Commitment, thread_ts: str | None
) -> None:
    assert decision.id is not None
    team_id = decision.team_id
    async with services.db.session() as session:
        dissent = await q.dissenters_of(session=session, team_id=team_id, decision_id=decision.id)
    card = messages.card(decision, dissent)
    try:
        posted = await post_message(
            client,
            services.pacer,
            channel=decision.channel_id,
            metadata=decision_metadata(decision),
            **({"thread_ts": thread_ts} if thread_ts else {}),
            **card,
        )
    except SlackFailure as exc:
        log.info("the card for decision %s could not be posted: %s", decision.id, slack_error(exc))
        async with services.db.session() as session:
            await note_post_error(
                session=session,
                table=Commitment,
                team_id=team_id,
                decision_id=decision.id,
                error=slack_error(exc)[:200],
            )
        await tell(
            services,
            client,
            user_id=decision.author_id,
            message=messages.card_failed(decision, slack_error(exc), card),
        )
        return
    channel, ts = str(posted["channel"]), str(posted["ts"])
    try:
        link = await client.chat_getPermalink(channel=channel, message_ts=ts)
        permalink: str | None = str(link["permalink"])
    except SlackFailure:
        permalink = None
    async with services.db.session() as session:
        await mark_shared(
            session=session,
            table=Commitment,
            team_id=team_id,
            decision_id=decision.id,
            channel=channel,
            ts=ts,
            permalink=permalink,
            at=now(services),
        )


async def _schedule_check_backs(
    services: Services, decision: Commitment, dissenters: list[str]
) -> None:
    """09:00 on the check-back date in each person's zone; the summary three days later."""
    assert decision.id is not None and decision.check_back is not None
    team_id = decision.team_id
    dues = {}
    for user_id in [decision.owner_id, *dissenters]:
        zone = await timezone_of(services, team_id=team_id, user_id=user_id)
        dues[user_id] = review_due(decision.check_back, zone)
    async with services.db.session() as session:
        for user_id, due in dues.items():
            await schedule_job(
                session=session,
                team_id=team_id,
                kind=JobKind.CHECK_BACK,
                key=check_back_key(decision.id, user_id),
                due_at=due,
                payload={"decision_id": decision.id, "user_id": user_id},
            )
        await schedule_job(
            session=session,
            team_id=team_id,
            kind=JobKind.SUMMARY,
            key=summary_key(decision.id),
            due_at=max(dues.values()) + SUMMARY_AFTER,
            payload={"decision_id": decision.id},
        )


# -- as people answer -----------------------------------------------------------------


async def answered(
    services: Services,
    client: AsyncWebClient,
    *,
    decision: Commitment,
    user_id: str,
    pressed_in: tuple[str | None, str | None],
    redraw_card: bool = True,
) -> None:
    """A dissenter answered: no reminder, their DMs and the card show the answer.

    `redraw_card=False` for "can't commit yet", which the card doesn't show: an update the
    moment they answer would tell the channel all the same.
    """
    assert decision.id is not None
    team_id = decision.team_id
    async with services.db.session() as session:
        await cancel_jobs(
            session=session, team_id=team_id, key_prefix=remind_key(decision.id, user_id)
        )
        dissent = await q.get_dissent(
            session=session, team_id=team_id, decision_id=decision.id, user_id=user_id
        )
    assert dissent is not None
    shown = messages.ask(decision, dissent)
    for channel, ts in dict.fromkeys([(dissent.dm_channel, dissent.dm_ts), pressed_in]):
        if channel and ts:
            await _update(client, channel=channel, ts=ts, message=shown)
    if redraw_card:
        await refresh_card(services, client, team_id=team_id, decision_id=decision.id)


async def refresh_card(
    services: Services, client: AsyncWebClient, *, team_id: str, decision_id: int
) -> None:
    """Redraw the channel's card from what is stored now."""
    async with services.db.session() as session:
        decision = await q.get_commitment(session=session, team_id=team_id, decision_id=decision_id)
        dissent = await q.dissenters_of(session=session, team_id=team_id, decision_id=decision_id)
    if decision is None or not (decision.message_channel and decision.message_ts):
        return
    await _update(
        client,
        channel=decision.message_channel,
        ts=decision.message_ts,
        message={**messages.card(decision, dissent), "metadata": decision_metadata(decision)},
    )


async def _update(client: AsyncWebClient, *, channel: str, ts: str, message: Message) -> None:
    try:
        await client.chat_update(channel=channel, ts=ts, **message)
    except SlackFailure as exc:  # a deleted message or a lost channel: nothing to redraw
        log.info("could not update %s/%s: %s", channel, ts, slack_error(exc))


async def summarise(
    services: Services, client: AsyncWebClient, *, team_id: str, decision_id: int
) -> bool:
    """Sum up the check-back in the card's thread, once; False if it was, or is being, done.

    The decision is closed only once Slack has the summary. The post is claimed first, so
    the last answer and the summary job never both post it; if the post fails in any way
    the claim is given back and the error raised, so the summary job tries again.
    """
    key = summary_key(decision_id)
    async with services.db.session() as session:
        decision = await q.get_commitment(session=session, team_id=team_id, decision_id=decision_id)
    if decision is None or decision.status == DecisionStatus.CLOSED:
        return False
    if not await once.claim(services, team_id=team_id, key=key):
        return False
    async with once.released_on_failure(services, team_id=team_id, key=key):
        async with services.db.session() as session:
            checkins = await q.checkins_of(
                session=session, team_id=team_id, decision_id=decision_id
            )
        found = verdict(c.answer for c in checkins)
        decision.verdict = found  # a detached copy: what the summary will say
        summary = messages.summary(decision, checkins)
        if decision.message_channel and decision.message_ts:
            await post_message(
                client,
                services.pacer,
                channel=decision.message_channel,
                thread_ts=decision.message_ts,
                **summary,
            )
        else:
            await send_dm(services, client, user_id=decision.owner_id, message=summary)
    async with services.db.session() as session:
        await q.close_commitment(
            session=session,
            team_id=team_id,
            decision_id=decision_id,
            verdict=found,
            at=now(services),
        )
        await confirm(session=session, team_id=team_id, key=key)
        await cancel_jobs(session=session, team_id=team_id, key_prefix=key)
    await refresh_card(services, client, team_id=team_id, decision_id=decision_id)
    return True


async def is_closed(services: Services, *, team_id: str, decision_id: int) -> bool:
    """Whether the decision was summed up (or is gone): nothing is left to summarise."""
    async with services.db.session() as session:
        decision = await q.get_commitment(session=session, team_id=team_id, decision_id=decision_id)
    return decision is None or decision.status == DecisionStatus.CLOSED
