"""A door card once it is in a channel: its review date, its redraws, its link."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from slack_sdk.web.async_client import AsyncWebClient

from bot.decisions.judgment import Door
from bot.decisions.metadata import decision_metadata
from bot.slack.failures import SLACK_FAILURES
from handlers.door import messages
from storage.models import DoorDecision

log = logging.getLogger(__name__)

REVIEW_AFTER = {Door.TWO_WAY: timedelta(days=14), Door.ONE_WAY: timedelta(days=7)}


def proposed_review(decision: DoorDecision, today: date) -> date:
    """Two weeks for a two-way door, one for a one-way door (before it is final), and
    never on a weekend: Saturday and Sunday move to the Monday after."""
    day = today + REVIEW_AFTER[Door(decision.door)]
    return day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


async def update_shared(decision: DoorDecision, client: AsyncWebClient) -> None:
    """Draw the decision's card in its channel again, if it was shared."""
    if decision.message_ts and decision.message_channel:
        await client.chat_update(
            channel=decision.message_channel,
            ts=decision.message_ts,
            text=messages.fallback(decision),
            blocks=messages.card(decision, for_channel=True),
            metadata=decision_metadata(decision),
        )


async def permalink_of(client: AsyncWebClient, channel: str, ts: str) -> str | None:
    """The link to a message, or None when Slack won't give one (a link is a nicety)."""
    try:
        response = await client.chat_getPermalink(channel=channel, message_ts=ts)
        return str(response["permalink"])
    except SLACK_FAILURES as exc:
        log.info("no permalink for %s/%s: %s", channel, ts, type(exc).__name__)
        return None
