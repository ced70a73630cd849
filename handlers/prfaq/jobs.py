"""The PR/FAQ room's scheduled work: its card drawn again once another room changed what
it says (the door room recorded *Do we build it?*, see bot.decisions.links)."""

from __future__ import annotations

from bot.schedule.jobs import Skip
from bot.services import Services
from handlers.prfaq import flow
from storage.models import Job


async def decided(services: Services, job: Job) -> None:
    """Draw the card again in every place: it names the decision now."""
    prfaq_id = int(job.payload["prfaq_id"])
    if await flow.facts(services, job.team_id, prfaq_id) is None:
        raise Skip("the PR/FAQ is gone")
    await flow.refresh(services, await services.slack_for(job.team_id), job.team_id, prfaq_id)
