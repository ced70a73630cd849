"""What happens to a silent reading, whoever moves it on: its card, its timer, its reveal.

The reveal happens once, however many buttons and ticking processes reach for it: it is
claimed first (bot.listeners.once), the reading is closed by a conditional UPDATE (so an
extension that came first keeps it running, and no comment is stored after it), the
comments are posted, and the reading is marked revealed in the transaction that confirms
the claim. A post Slack refuses gives the claim back and is recorded on the reading; the
end job tries again, and posts that Slack took are not posted twice (`reveal_pages`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from enum import Enum
from zoneinfo import ZoneInfo

from slack_sdk.web.async_client import AsyncWebClient

from bot.listeners import once
from bot.listeners.people import timezone_of
from bot.schedule.timing import instant
from bot.services import Services
from bot.slack.failures import SLACK_FAILURES, slack_error
from bot.slack.failures import SlackFailure as Failure
from bot.slack.pacing import post_message
from handlers.memo import messages
from handlers.memo.ids import JobKind
from storage.models import MemoComment, MemoEnd, MemoReader, MemoSession, MemoState
from storage.queries import events
from storage.queries import memo as q
from storage.queries.jobs import cancel_jobs, schedule_job

log = logging.getLogger(__name__)

SlackFailure = SLACK_FAILURES
now = instant  # the instant being handled: a job's tick instant, else the clock's now


class Revealed(Enum):
    DONE = "done"  # this call posted the comments (or they were already posted)
    BUSY = "busy"  # someone else is posting them now
    NOT_YET = "not_yet"  # the reading runs on (extended meanwhile)


def end_key(session_id: int) -> str:
    return f"memo:{session_id}:end"


def reveal_key(session_id: int) -> str:
    return f"memo:{session_id}:reveal"


def form_key(session: MemoSession, view_id: str, user_id: str) -> str:
    """Remembers a comment form Doorway opened: for this reading, this person, this view."""
    return f"memo:{session.id}:form:{view_id}:{user_id}"


async def facts(
    services: Services, team_id: str, session_id: int
) -> tuple[MemoSession | None, Sequence[MemoReader]]:
    """The reading and its readers, as they are now."""
    async with services.db.session() as session:
        found = await q.get_session(session=session, team_id=team_id, session_id=session_id)
        if found is None:
            return None, []
        readers = await q.readers_of(session=session, team_id=team_id, session_id=session_id)
    return found, readers


async def zone_of(services: Services, session: MemoSession) -> ZoneInfo:
    """The owner's zone: the card's fallback time is theirs."""
    return await timezone_of(services, team_id=session.team_id, user_id=session.owner_id)


async def schedule_end(services: Services, session: MemoSession) -> None:
    """The reading's end is a job like the others: one per reading, moved by Extend."""
    assert session.id is not None
    async with services.db.session() as session_:
        await schedule_job(
            session=session_,
            team_id=session.team_id,
            kind=JobKind.END,
            key=end_key(session.id),
            due_at=session.ends_at,
            payload={"session_id": session.id},
        )


async def post_card(services: Services, client: AsyncWebClient, session: MemoSession) -> str | None:
    """Post the reading's message in its channel; Slack's error if it refused."""
    assert session.id is not None
    _, readers = await facts(services, session.team_id, session.id)
    message = messages.card(session, readers, zone=await zone_of(services, session))
    channel, ts, error = None, None, None
    try:
        posted = await post_message(client, services.pacer, channel=session.channel_id, **message)
        channel, ts = str(posted["channel"]), str(posted["ts"])
    except SlackFailure as exc:
        error = slack_error(exc)
        log.info("the reading %s message failed: %s", session.id, error)
    async with services.db.session() as db:
        await q.set_message(
            session=db, team_id=session.team_id, session_id=session.id, channel=channel,
            ts=ts, error=error,
        )  # fmt: skip
    if ts:
        session.message_channel, session.message_ts = channel, ts
    return error


async def refresh(
    services: Services, client: AsyncWebClient, team_id: str, session_id: int
) -> None:
    """Bring the reading's message up to date (its counts, or that it is over)."""
    session, readers = await facts(services, team_id, session_id)
    if session is None or not (session.message_channel and session.message_ts):
        return
    message = messages.card(session, readers, zone=await zone_of(services, session))
    try:
        await client.chat_update(channel=session.message_channel, ts=session.message_ts, **message)
    except SlackFailure as exc:  # a deleted message or a lost channel: nothing to redraw
        log.info("could not update the reading %s: %s", session_id, slack_error(exc))


def all_finished(readers: Sequence[MemoReader]) -> bool:
    """Everyone who said they were reading (at least one) has finished."""
    return bool(readers) and all(r.finished_at is not None for r in readers)


async def reveal(
    services: Services,
    client: AsyncWebClient,
    *,
    team_id: str,
    session_id: int,
    reason: MemoEnd,
    by: str | None = None,
    due_by: datetime | None = None,
) -> Revealed:
    """End the reading (if it runs on: only once its end has come by `due_by`, when given)
    and post every comment at once in its thread, once. A Slack failure is recorded on the
    reading and raised, for the end job to try again."""
    key = reveal_key(session_id)
    if not await once.claim(services, team_id=team_id, key=key):
        found, _ = await facts(services, team_id, session_id)
        return (
            Revealed.DONE if found is None or found.state == MemoState.REVEALED else Revealed.BUSY
        )
    try:
        async with once.released_on_failure(services, team_id=team_id, key=key):
            done = await _reveal_claimed(
                services, client, team_id, session_id, reason=reason, by=by, due_by=due_by
            )
    except SlackFailure as exc:
        async with services.db.session() as session:
            await q.set_reveal_error(
                session=session, team_id=team_id, session_id=session_id, error=slack_error(exc)
            )
        await refresh(services, client, team_id, session_id)  # the reading is over, at least
        raise
    if done is not Revealed.DONE:
        return done
    await refresh(services, client, team_id, session_id)
    return done


async def _reveal_claimed(
    services: Services,
    client: AsyncWebClient,
    team_id: str,
    session_id: int,
    *,
    reason: MemoEnd,
    by: str | None,
    due_by: datetime | None,
) -> Revealed:
    at = now(services)
    async with services.db.session() as session:
        found = await q.get_session(session=session, team_id=team_id, session_id=session_id)
        if found is not None and found.state == MemoState.READING:
            ended = found.ends_at if due_by is not None else at
            await q.close(
                session=session, team_id=team_id, session_id=session_id, reason=reason,
                by=by, at=min(ended, at), due_by=due_by,
            )  # fmt: skip
    # Read after the close has committed: a comment either came before it, or was refused.
    async with services.db.session() as session:
        found = await q.get_session(session=session, team_id=team_id, session_id=session_id)
        readers = await q.readers_of(session=session, team_id=team_id, session_id=session_id)
        comments = await q.comments_of(session=session, team_id=team_id, session_id=session_id)
    if found is None or found.state in (MemoState.REVEALED, MemoState.CANCELLED):
        await once.confirm(services, team_id=team_id, key=reveal_key(session_id))
        return Revealed.DONE
    if found.state == MemoState.READING:  # extended meanwhile: its end is not here yet
        async with services.db.session() as session:
            await events.release(session=session, team_id=team_id, key=reveal_key(session_id))
        return Revealed.NOT_YET
    if not (found.message_channel and found.message_ts):
        # The card never reached the channel (Slack refused it): the reveal needs it first.
        if error := await post_card(services, client, found):
            raise Failure("chat.postMessage", error)
    await _post_pages(services, client, found, readers, comments)
    async with services.db.session() as session:
        await q.mark_revealed(session=session, team_id=team_id, session_id=session_id, at=at)
        await events.confirm(session=session, team_id=team_id, key=reveal_key(session_id))
        await cancel_jobs(session=session, team_id=team_id, key_prefix=end_key(session_id))
    return Revealed.DONE


async def _post_pages(
    services: Services,
    client: AsyncWebClient,
    found: MemoSession,
    readers: Sequence[MemoReader],
    comments: Sequence[MemoComment],
) -> None:
    """Post the reveal's messages in the thread, from the first one Slack hasn't taken."""
    assert found.id is not None
    pages = messages.reveal(found, readers, comments)
    first = found.reveal_ts
    for number, page in enumerate(pages[found.reveal_pages :], found.reveal_pages + 1):
        posted = await post_message(
            client,
            services.pacer,
            channel=found.message_channel or found.channel_id,
            thread_ts=found.message_ts,
            **page,
        )
        first = first or str(posted["ts"])
        async with services.db.session() as session:
            await q.page_posted(
                session=session, team_id=found.team_id, session_id=found.id, pages=number,
                first_ts=first,
            )  # fmt: skip


async def retry_soon(services: Services, session: MemoSession) -> None:
    """A reveal from a button failed: the end job tries again at the next tick."""
    assert session.id is not None
    async with services.db.session() as db:
        await schedule_job(
            session=db,
            team_id=session.team_id,
            kind=JobKind.END,
            key=end_key(session.id),
            due_at=services.clock.now() + timedelta(seconds=1),
            payload={"session_id": session.id},
        )
