"""Review reminders as durable jobs: what the door and commit rooms call when a date is set."""

from __future__ import annotations

from bot.services import Services
from storage.models import Decision


async def schedule_review(services: Services, *, decision: Decision) -> None:
    """(Re)schedule the owner's review reminder for `decision.review_at`."""
    # Filled in with the durable schedule (issue 3).
    return None
