"""*Record a disagree-and-commit*, the commit room's Workflow Builder step: checked like the
/commit form, recorded, its card posted and each dissenter asked by DM, as /commit does.

Inputs: `decision`, `owner`, `dissenters` (required); `concern`, `check_back`, `channel_id`
(the card's channel; the owner's DM if none). Output: `decision_link`.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.complete.async_complete import AsyncComplete
from slack_sdk.web.async_client import AsyncWebClient

from bot.listeners import steps
from bot.listeners.context import services_of, team_of
from bot.listeners.people import zone
from handlers.commit import flow, form, listeners
from handlers.commit.form import Person, Submission
from handlers.commit.ids import Field, Step
from storage.queries import commits as q

# The form's fields, by the step's names for them, for the one line a failed run shows.
INPUT_OF = {
    Field.DECISION: Step.DECISION,
    Field.OWNER: Step.OWNER,
    Field.DISSENTERS: Step.DISSENTERS,
    Field.SUMMARY: Step.CONCERN,
    Field.CHECK_BACK: Step.CHECK_BACK,
}


async def on_record_commit(
    inputs: dict[str, Any],
    body: dict[str, Any],
    complete: AsyncComplete,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    services = services_of(context)
    team_id = team_of(context, body)
    owner = steps.user(inputs, Step.OWNER)
    assert owner is not None
    channel = steps.channel(inputs, Step.CHANNEL)
    dissenters = steps.users(inputs, Step.DISSENTERS)
    people = await listeners.people_of(services, team_id, [owner, *dissenters])
    owner_zone = zone(people[owner].tz) if owner in people else zone(None)
    today = services.clock.now().astimezone(owner_zone).date()
    submission = Submission(
        decision=steps.text(inputs, Step.DECISION, limit=form.DECISION_MAX * 2),
        owner=owner,
        dissenters=dissenters,
        summary=steps.text(inputs, Step.CONCERN, limit=form.NOTE_MAX * 2, required=False),
        check_back=steps.day(inputs, Step.CHECK_BACK) or today + form.CHECK_BACK_AFTER,
    )
    shown = {u: Person(u, p.name, p.is_bot, p.deleted) for u, p in people.items()}
    problems = form.problems(submission, today=today, people=shown)
    if problems:
        raise steps.StepInputError(
            " ".join(f"`{INPUT_OF[Field(f)]}`: {why}" for f, why in problems.items())
        )
    if channel is None:
        opened = await client.conversations_open(users=owner)
        channel = str(opened["channel"]["id"])
    decision, new = await listeners.record(
        services,
        submission,
        team_id=team_id,
        author=owner,  # a workflow records it on the owner's behalf
        channel_id=channel,
        enterprise_id=context.enterprise_id,
        request_key=f"function:{context.function_execution_id or ''}",
    )
    if new:
        await flow.start(services, client, decision)
    assert decision.id is not None
    async with services.db.session() as session:
        stored = await q.get_commitment(session=session, team_id=team_id, decision_id=decision.id)
    if stored is None or not stored.message_ts:
        raise steps.StepInputError(
            f"Decision #{decision.id} was recorded and the dissenters asked, but Slack refused "
            f"its card in channel {channel}: invite Doorway with /invite @Doorway, then post "
            "it again with /commit."
        )
    await complete(outputs={Step.LINK: stored.permalink or ""})
