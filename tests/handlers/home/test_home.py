"""App Home: each person sees their own open decisions, due follow-ups and commitments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.listeners.people import timezone_of
from storage.queries.decisions import record_decision
from tests.driver import ALICE, BOB, PRIVATE, TEAM, BotDriver, text_of


async def add(
    bot: BotDriver,
    key: str,
    text: str,
    *,
    author: str = ALICE,
    team: str = TEAM,
    channel: str = "C0GENERAL",
    review_days: int | None = None,
) -> None:
    now = bot.services.clock.now()
    # the review day is a day in the owner's zone, as the Home reckons "today"
    zone = await timezone_of(bot.services, team_id=team, user_id=author)
    values = {
        "team_id": team,
        "channel_id": channel,
        "author_id": author,
        "owner_id": author,
        "text": text,
        "door": "two_way",
        "door_source": "rules",
        "confidence": 0.6,
        "reasons": ["x"],
        "chair_question": "q",
        "request_key": key,
        "created_at": now,
        "updated_at": now,
        "review_at": (now.astimezone(zone) + timedelta(days=review_days)).date()
        if review_days is not None
        else None,
    }
    async with bot.services.db.session() as session:
        await record_decision(session=session, values=values)


async def open_home(bot: BotDriver, user: str) -> str:
    await bot.event(
        {
            "type": "app_home_opened",
            "user": user,
            "tab": "home",
            "channel": "D0HOME",
            "event_ts": "1700000000.1",
        }
    )
    [published] = await bot.slack.wait_for("views.publish")
    assert published.args["user_id"] == user
    return text_of(published) + str(published.args["view"])


async def test_home_shows_my_due_and_open_decisions_only(bot: BotDriver) -> None:
    # just after midnight UTC, still yesterday in New York: "due" is reckoned in each person's day
    bot.services.clock.set(datetime(2026, 12, 2, 0, 18, tzinfo=UTC))
    await add(bot, "k1", "Old review long overdue", review_days=-40)
    await add(bot, "k2", "Yesterday's review", review_days=-1)
    await add(bot, "k3", "Future review", review_days=10)
    for n in range(25):  # many newer decisions must not push the overdue ones out
        await add(bot, f"n{n}", f"Newer decision {n}")
    await add(bot, "b1", "Bob's secret plan", author=BOB, channel=PRIVATE)
    await add(bot, "o1", "Another workspace's decision", team="T0OTHER")

    shown = await open_home(bot, ALICE)
    assert "Old review long overdue" in shown and "was due 40 days ago" in shown
    assert "was due yesterday" in shown
    assert "Future review" not in shown.split("Open decisions")[0]
    assert "Bob's secret plan" not in shown
    assert "Another workspace" not in shown


async def test_the_messages_tab_publishes_nothing_the_home_tab_does(bot: BotDriver) -> None:
    # Agent mode: app_home_opened fires for the Messages tab too; the Home view is not
    # redrawn for it.
    await add(bot, "m1", "Move billing to the new provider")
    opened = {"type": "app_home_opened", "user": ALICE, "channel": "D0HOME"}
    await bot.event({**opened, "tab": "messages", "event_ts": "1700000000.2"})
    assert bot.slack.calls("views.publish") == []
    await bot.event({**opened, "tab": "home", "event_ts": "1700000000.3"})
    [published] = bot.slack.calls("views.publish")
    assert "Move billing to the new provider" in str(published.args["view"])
