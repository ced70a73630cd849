"""A door card posted in its channel: by *Share in channel*, or by the workflow step.

Posted once (claimed first, the claim given back if the post fails), then recorded as
shared with its permalink, a proposed review date and the review scheduled.
"""

from __future__ import annotations

import logging

from slack_sdk.web.async_client import AsyncWebClient

from bot.decisions.metadata import decision_metadata
from bot.listeners import once, people
from bot.schedule import reviews
from bot.services import Services
from handlers.door import messages
from handlers.door.cards import permalink_of, proposed_review, update_shared
from storage.models import DoorDecision
from storage.queries import decisions as q
from storage.queries import events
from storage.queries.log import mark_shared

log = logging.getLogger(__name__)


def share_key(decision_id: int) -> str:
    return f"share:{decision_id}"


async def share(
    services: Services, client: AsyncWebClient, decision: DoorDecision
) -> DoorDecision | None:
    """Post the card in the decision's channel and record it shared; the decision as it now
    is, or None if another press is posting it. A failed post is raised (SLACK_FAILURES)."""
    assert decision.id is not None
    team_id, decision_id = decision.team_id, decision.id
    # Asked before the claim, so nothing but the database stands between post and record.
    owner_zone = await people.timezone_of(services, team_id=team_id, user_id=decision.owner_id)
    key = share_key(decision_id)
    if not await once.claim(services, team_id=team_id, key=key):  # a press under way
        return None
    async with once.released_on_failure(services, team_id=team_id, key=key):
        posted = await client.chat_postMessage(
            channel=decision.channel_id,
            text=messages.fallback(decision),
            blocks=messages.card(decision, for_channel=True),
            metadata=decision_metadata(decision),
        )
    permalink = await permalink_of(client, posted["channel"], posted["ts"])
    now = services.clock.now()
    async with services.db.session() as session:
        await mark_shared(
            session=session,
            table=DoorDecision,
            team_id=team_id,
            decision_id=decision_id,
            channel=posted["channel"],
            ts=posted["ts"],
            permalink=permalink,
            at=now,
        )
        await q.propose_review_date(
            session=session,
            team_id=team_id,
            decision_id=decision_id,
            review_at=proposed_review(decision, now.astimezone(owner_zone).date()),
            at=now,
        )
        await events.confirm(session=session, team_id=team_id, key=key)
        shared = await q.get_decision(session=session, team_id=team_id, decision_id=decision_id)
    assert shared is not None
    await reviews.schedule_review(services, decision=shared)
    await update_shared(shared, client)
    return shared
