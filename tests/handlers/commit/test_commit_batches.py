"""A tick's /commit reminders and check-backs read their decisions, dissents, check-ins and
people together: the database is asked once per batch, not once per DM, and everyone due
still gets theirs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.driver import BOB, CAROL, BotDriver, text_of
from tests.handlers.commit.steps import (
    MONDAY,
    dm,
    form_state,
    open_form,
    posts_to,
    started,
    submit,
    tick,
)
from tests.handlers.review.test_reminder_batches import statements

DECISIONS = 6


def selects_from(seen: list[str], table: str) -> list[str]:
    return [s for s in seen if s.startswith("select") and f" from {table} " in f"{s} "]


async def test_reminders_and_check_backs_read_for_their_whole_batch(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    for number in range(1, DECISIONS + 1):
        view = await open_form(bot, f"We ship feature {number} on Friday")
        state = form_state(decision=f"We ship feature {number} on Friday", dissenters=[BOB, CAROL])
        assert (await submit(bot, view, state, view_id=f"V0BATCH{number}"))[0] == 200
        await started(bot, number)
    asked = {user: len(posts_to(bot, dm(user))) for user in (BOB, CAROL)}

    with statements(bot.services) as seen:
        report = await tick(bot, MONDAY + timedelta(days=1, minutes=1))
    assert report.done == 2 * DECISIONS
    for user in (BOB, CAROL):
        reminders = posts_to(bot, dm(user))[asked[user] :]
        assert len(reminders) == DECISIONS
        assert all("Reminder" in text_of(r) for r in reminders)
    assert len(selects_from(seen, "commitment")) == 1, seen
    assert len(selects_from(seen, "dissent")) == 1, seen

    asked = {user: len(posts_to(bot, dm(user))) for user in (BOB, CAROL)}
    # The check-back day, after 09:00 in every zone (Tokyo, London, New York).
    with statements(bot.services) as seen:
        report = await tick(bot, datetime(2026, 3, 16, 14, 30, tzinfo=UTC))
    assert report.done >= 3 * DECISIONS
    for user in (BOB, CAROL):
        assert len(posts_to(bot, dm(user))) == asked[user] + DECISIONS
    assert len(selects_from(seen, "commitment")) == 1, seen
    assert len(selects_from(seen, "checkin")) == 1, seen
    assert len(selects_from(seen, "userprofile")) == 1, seen
