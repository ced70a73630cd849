"""What happens to a PR/FAQ, whoever moves it on: its card and sections in each place,
the readers' DMs, the canvas.

Its messages follow what Slack did: a piece Slack refused has no post row and the refusal
is noted on the PR/FAQ (and told to its author); the next change posts what is missing.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.services import Services
from bot.slack import delivery
from bot.slack import text as t
from bot.slack.failures import SLACK_FAILURES, slack_error
from bot.slack.pacing import post_message
from handlers.prfaq import messages
from handlers.prfaq.export import document_markdown
from handlers.prfaq.ids import Circle, Piece, Section, piece_of
from handlers.prfaq.messages import CARD, CHANNEL, HOME, Message
from storage.models import Prfaq, PrfaqPost, PrfaqReader, PrfaqSection
from storage.queries import prfaq as q

log = logging.getLogger(__name__)

SlackFailure = SLACK_FAILURES


@dataclass
class Facts:
    prfaq: Prfaq
    sections: list[PrfaqSection]
    readers: list[PrfaqReader]
    posts: list[PrfaqPost] = field(default_factory=list)

    def reader(self, user_id: str) -> PrfaqReader | None:
        return next((r for r in self.readers if r.user_id == user_id), None)


async def facts(services: Services, team_id: str, prfaq_id: int) -> Facts | None:
    """The PR/FAQ with its sections, readers and posts, as they are now."""
    async with services.db.session() as session:
        prfaq = await q.get_prfaq(session=session, team_id=team_id, prfaq_id=prfaq_id)
        if prfaq is None:
            return None
        ids: dict[str, Any] = {"session": session, "team_id": team_id, "prfaq_id": prfaq_id}
        return Facts(
            prfaq,
            await q.sections_of(**ids),
            await q.readers_of(**ids),
            await q.posts_of(**ids),
        )


def may_read(found: Facts, user_id: str, *, channel_id: str | None = None) -> bool:
    """Its author, the people asked to read it, and, once it is shared there, anyone in its
    channel (a press there comes from the channel's own card)."""
    prfaq = found.prfaq
    if user_id == prfaq.author_id or found.reader(user_id) is not None:
        return True
    return prfaq.circle >= Circle.CHANNEL and channel_id == prfaq.channel_id


async def refresh(
    services: Services,
    client: AsyncWebClient,
    team_id: str,
    prfaq_id: int,
    *,
    changed: Collection[str] = (),
) -> None:
    """Bring every place up to date: the card, the messages holding the sections in
    `changed`, and any piece not posted yet. Home is the author's DM; the channel, once it
    is shared there."""
    found = await facts(services, team_id, prfaq_id)
    if found is None:
        return
    places = [HOME] + ([CHANNEL] if found.prfaq.circle >= Circle.CHANNEL else [])
    error: str | None = None
    for place in places:
        problem = await _bring_up_to_date(services, client, found, place, changed)
        if problem and not error:
            error = problem
    if error != found.prfaq.post_error:
        async with services.db.session() as session:
            await q.set_post_error(session=session, team_id=team_id, prfaq_id=prfaq_id, error=error)
        if error:
            await tell(
                services,
                client,
                user_id=found.prfaq.author_id,
                message=messages.notice(f":warning: {t.safe(error, 300)}"),
            )
    if changed and found.prfaq.canvas_id:
        await _edit_canvas(services, client, found)


async def _bring_up_to_date(
    services: Services, client: AsyncWebClient, found: Facts, place: str, changed: Collection[str]
) -> str | None:
    prfaq = found.prfaq
    posted = {p.piece: p for p in found.posts if p.place == place}
    card = posted.get(CARD)
    message = messages.card(prfaq, found.sections, found.readers, place=place)
    where = "your DM with Doorway" if place == HOME else f"<#{prfaq.channel_id}>"
    try:
        if card:
            await client.chat_update(channel=card.channel, ts=card.ts, **message)
        else:
            card = await _post(services, client, found, place, CARD, message, thread_ts=None)
        touched = {piece_of(Section(name)) for name in changed}
        for piece in Piece:
            post = posted.get(piece.value)
            shown = messages.piece_message(prfaq, piece, found.sections)
            if post is None:
                await _post(services, client, found, place, piece.value, shown, card.ts)
            elif piece in touched:
                await client.chat_update(channel=post.channel, ts=post.ts, **shown)
    except SlackFailure as exc:
        error = slack_error(exc)
        log.info("prfaq %s: a post in %s failed: %s", prfaq.id, place, error)
        return (
            f"Doorway couldn't post the PR/FAQ in {where} ({error}). "
            + ("Invite Doorway there (`/invite @Doorway`); " if place == CHANNEL else "")
            + "the next change posts what is missing."
        )
    return None


async def _post(
    services: Services,
    client: AsyncWebClient,
    found: Facts,
    place: str,
    piece: str,
    message: Message,
    thread_ts: str | None,
) -> PrfaqPost:
    prfaq = found.prfaq
    assert prfaq.id is not None
    if place == HOME and thread_ts is None:
        channel, ts = await delivery.send_dm(
            client, services.pacer, user_id=prfaq.author_id, **message
        )
    else:
        channel = _home_channel(found) if place == HOME else prfaq.channel_id
        made = await post_message(
            client, services.pacer, channel=channel, thread_ts=thread_ts, **message
        )
        channel, ts = str(made["channel"]), str(made["ts"])
    post = PrfaqPost(
        team_id=prfaq.team_id, prfaq_id=prfaq.id, place=place, piece=piece, channel=channel, ts=ts
    )
    async with services.db.session() as session:
        await q.save_post(session=session, post=post)
    found.posts.append(post)
    return post


def _home_channel(found: Facts) -> str:
    return next(p.channel for p in found.posts if p.place == HOME and p.piece == CARD)


async def ask_readers(
    services: Services, client: AsyncWebClient, found: Facts, users: list[str], circle: Circle
) -> list[str]:
    """DM each new reader; the ones Slack wouldn't let Doorway reach."""
    prfaq = found.prfaq
    assert prfaq.id is not None
    now = services.clock.now()
    unreachable: list[str] = []
    for user_id in users:
        async with services.db.session() as session:
            new = await q.add_reader(
                session=session,
                team_id=prfaq.team_id,
                prfaq_id=prfaq.id,
                user_id=user_id,
                circle=circle,
                at=now,
            )
        if not new:
            continue  # asked in an earlier circle, or a retried submission
        error: str | None = None
        try:
            await delivery.send_dm(
                client,
                services.pacer,
                user_id=user_id,
                **messages.ask_to_read(prfaq, found.sections, circle),
            )
        except SlackFailure as exc:
            error = slack_error(exc)
            unreachable.append(user_id)
        if error:
            async with services.db.session() as session:
                await q.set_reader(
                    session=session,
                    team_id=prfaq.team_id,
                    prfaq_id=prfaq.id,
                    user_id=user_id,
                    dm_error=error,
                )
    return unreachable


async def write_canvas(services: Services, client: AsyncWebClient, found: Facts) -> None:
    """The document in a canvas tabbed in its channel, where the workspace allows canvases:
    an extra, so a refusal leaves the thread as the document."""
    prfaq = found.prfaq
    if prfaq.canvas_id or prfaq.id is None:
        return
    heading = messages.heading_of(prfaq, found.sections)
    try:
        made = await client.canvases_create(
            # Plain words on one line: Slack shows the title as typed, in the channel's tabs.
            title=t.cut(t.readable(" ".join(f"PR/FAQ: {heading}".split())), 200),
            document_content={
                "type": "markdown",
                "markdown": document_markdown(prfaq, found.sections, found.readers),
            },
            channel_id=prfaq.channel_id,
        )
    except SlackFailure as exc:
        log.info("no canvas for PR/FAQ %s: %s", prfaq.id, slack_error(exc))
        return
    async with services.db.session() as session:
        await q.set_canvas(
            session=session,
            team_id=prfaq.team_id,
            prfaq_id=prfaq.id,
            canvas_id=str(made.get("canvas_id") or ""),
        )


async def _edit_canvas(services: Services, client: AsyncWebClient, found: Facts) -> None:
    prfaq = found.prfaq
    try:
        await client.canvases_edit(
            canvas_id=str(prfaq.canvas_id),
            changes=[
                {
                    "operation": "replace",
                    "document_content": {
                        "type": "markdown",
                        "markdown": document_markdown(prfaq, found.sections, found.readers),
                    },
                }
            ],
        )
    except SlackFailure as exc:
        log.info("the canvas of PR/FAQ %s wasn't updated: %s", prfaq.id, slack_error(exc))


async def tell(
    services: Services, client: AsyncWebClient, *, user_id: str, message: Message
) -> bool:
    return await delivery.tell(client, services.pacer, user_id=user_id, **message)
