"""The weekly digest through the real surface: `/digest`, a week of decisions, ticks."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select

from bot.decisions.digest_sections import DigestSection, DigestWindow
from handlers.digest import runs
from storage.models import DigestRun, DigestSubscription, DoorDecision, JobState
from storage.queries.jobs import schedule_job
from tests.driver import ALICE, BOB, CHANNEL, PRIVATE, TEAM, BotDriver, blocks_of, text_of
from tests.ticking import jobs, local, tick

NY = "America/New_York"
MONDAY = local(NY, 2026, 11, 30, 10)
FRIDAY_4PM = local(NY, 2026, 12, 4, 16)


async def command(bot: BotDriver, text: str, *, channel: str = CHANNEL) -> str:
    _, _, name = await bot.command("/digest", text, channel=channel)
    return text_of(await bot.response(name))


async def latest(bot: BotDriver) -> DoorDecision:
    async with bot.services.db.session() as session:
        statement = select(DoorDecision).order_by(col(DoorDecision.id).desc())
        return (await session.exec(statement)).first()  # type: ignore[return-value]


async def share(bot: BotDriver, text: str, *, channel: str = CHANNEL) -> DoorDecision:
    _, _, name = await bot.command("/door", text, channel=channel)
    card = blocks_of(await bot.response(name))
    _, _, shared = await bot.click(card, "door_share", channel=channel)
    await bot.response(shared)
    return await latest(bot)


def digests(bot: BotDriver, channel: str = CHANNEL) -> list:
    return [
        c
        for c in bot.slack.calls("chat.postMessage")
        if c.args.get("channel") == channel
        and (c.response or {}).get("ok")
        and "Weekly decision digest" in text_of(c)
    ]


async def test_a_week_of_decisions_makes_one_digest_with_the_right_content(bot: BotDriver) -> None:
    clock = bot.services.clock
    clock.set(local(NY, 2026, 11, 20, 10))  # the week before
    old = await share(bot, "Switch the status page vendor")
    stale = await share(bot, "Move standup to 9:45")
    _, _, picked = await bot.click(
        blocks_of((await bot.slack.wait_for("chat.postMessage", 2))[1]),
        "door_review_date",
        message_ts=stale.message_ts,
        selected_date="2026-11-25",
    )
    await bot.slack.wait_for("chat.update")

    clock.set(MONDAY)
    answer = await command(bot, "on")
    assert "every Friday at 16:00 (America/New_York)" in answer
    [job] = await jobs(bot.services, TEAM, "digest:")
    assert job.due_at == FRIDAY_4PM

    blue = await share(bot, "Try a blue checkout button for a week")
    clock.set(local(NY, 2026, 12, 1, 11))
    acme = await share(bot, "Sign a 3-year exclusive contract with Acme")
    _, _, name = await bot.command("/door", "Rename the secret project")  # never shared
    await bot.response(name)
    await share(bot, "Hire a second designer", channel=PRIVATE)  # another channel

    clock.set(local(NY, 2026, 12, 2, 15))
    assert blue.message_ts is not None
    channel_card = bot.slack.messages[(CHANNEL, blue.message_ts)]
    await bot.click(channel_card["blocks"], "door_overrule", user=BOB, message_ts=blue.message_ts)
    await bot.slack.wait_for("chat.postMessage", 6)  # the overrule note in the thread

    clock.set(local(NY, 2026, 11, 20, 10))
    _, _, picked = await bot.click(
        blocks_of(bot.slack.calls("chat.postMessage")[0]),
        "door_review_date",
        message_ts=old.message_ts,
        selected_date="2026-12-03",
    )
    await bot.slack.wait_for("chat.update", 2)
    await tick(bot.services, local(NY, 2026, 12, 3, 9))
    # Both reminders go out (the stale one was missed while no one ticked); answer one.
    [dm] = [
        c
        for c in bot.slack.calls("chat.postMessage")
        if c.args["channel"] == ALICE and "status page vendor" in text_of(c)
    ]
    _, _, pressed = await bot.click(
        blocks_of(dm), "review_worked", channel="D" + ALICE, message_ts=dm.ts
    )
    await bot.response(pressed)

    await tick(bot.services, FRIDAY_4PM - timedelta(minutes=1))
    assert digests(bot) == []
    await tick(bot.services, FRIDAY_4PM)
    [digest] = digests(bot)
    sections = {
        b["text"]["text"].split("\n", 1)[0]: b["text"]["text"]
        for b in blocks_of(digest)
        if b["type"] == "section"
    }
    one_way = sections["*:no_entry: One-way doors decided this week*"]
    assert "Sign a 3-year exclusive contract with Acme" in one_way and acme.permalink in one_way
    assert "Try a blue checkout button" in one_way  # overruled into a one-way door
    assert "Try a blue checkout button" in sections["*:twisted_rightwards_arrows: Doors overruled*"]
    assert f"<@{BOB}>" in sections["*:twisted_rightwards_arrows: Doors overruled*"]
    outcomes = sections["*:bar_chart: Outcomes recorded*"]
    assert "Switch the status page vendor" in outcomes and "worked out" in outcomes
    assert "Sign a 3-year" in sections["*:calendar: Reviews due in the coming week*"]
    assert "Move standup to 9:45" in sections["*:hourglass: Reviews overdue*"]
    shown = text_of(digest)
    assert "Rename the secret project" not in shown and "second designer" not in shown
    assert "Switch the status page vendor" not in one_way

    await tick(bot.services, FRIDAY_4PM)
    await tick(bot.services, FRIDAY_4PM + timedelta(hours=3))
    assert len(digests(bot)) == 1
    pending = [j for j in await jobs(bot.services, TEAM, "digest:") if j.state == "pending"]
    assert [j.due_at for j in pending] == [local(NY, 2026, 12, 11, 16)]


async def test_digest_now_previews_only_to_the_asker(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    assert "Nothing to report" in await command(bot, "now")
    await share(bot, "Try a blue checkout button for a week")
    preview = await command(bot, "now")
    assert "Try a blue checkout button" in preview and "only you can see this" in preview
    assert digests(bot) == []


async def test_a_quiet_week_sends_nothing(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    await command(bot, "on")
    await tick(bot.services, FRIDAY_4PM)
    assert digests(bot) == []
    async with bot.services.db.session() as session:
        [run] = (await session.exec(select(DigestRun))).all()
    assert (run.week, run.state) == ("2026-W49", "empty")


async def test_more_than_a_day_late_is_skipped_and_logged(
    bot: BotDriver, caplog: pytest.LogCaptureFixture
) -> None:
    bot.services.clock.set(MONDAY)
    await command(bot, "on")
    await share(bot, "Try a blue checkout button for a week")
    with caplog.at_level(logging.INFO):
        await tick(bot.services, FRIDAY_4PM + timedelta(days=1, minutes=1))
    assert digests(bot) == []
    assert any("skipped, not sent stale" in r.getMessage() for r in caplog.records)
    pending = [j for j in await jobs(bot.services, TEAM, "digest:") if j.state == "pending"]
    assert [j.due_at for j in pending] == [local(NY, 2026, 12, 11, 16)]


async def test_a_day_late_is_still_sent(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    await command(bot, "on")
    await share(bot, "Try a blue checkout button for a week")
    await tick(bot.services, FRIDAY_4PM + timedelta(hours=23))  # the bot was down
    assert len(digests(bot)) == 1


async def test_a_channel_that_removed_the_bot_is_unsubscribed(
    bot: BotDriver, caplog: pytest.LogCaptureFixture
) -> None:
    bot.services.clock.set(MONDAY)
    await command(bot, "on")
    await share(bot, "Try a blue checkout button for a week")
    bot.slack.fail("chat.postMessage", error="not_in_channel")
    with caplog.at_level(logging.INFO):
        report = await tick(bot.services, FRIDAY_4PM)
    assert report.skipped == 1 and digests(bot) == []
    assert any("unsubscribed" in r.getMessage() for r in caplog.records)
    async with bot.services.db.session() as session:
        [sub] = (await session.exec(select(DigestSubscription))).all()
    assert sub.active is False
    assert not [j for j in await jobs(bot.services, TEAM, "digest:") if j.state == "pending"]
    await tick(bot.services, FRIDAY_4PM + timedelta(days=7))
    assert len(bot.slack.calls("chat.postMessage")) == 2  # the share, the refused digest


async def test_off_stops_it_and_on_again_never_doubles_a_week(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    await command(bot, "on")
    await share(bot, "Try a blue checkout button for a week")
    assert "is off" in await command(bot, "off")
    assert "nothing to turn off" in await command(bot, "off")
    assert not [j for j in await jobs(bot.services, TEAM, "digest:") if j.state == "pending"]
    await tick(bot.services, FRIDAY_4PM - timedelta(days=1))

    await command(bot, "on friday 4pm")
    await tick(bot.services, FRIDAY_4PM + timedelta(minutes=5))
    assert len(digests(bot)) == 1
    # Asking for Saturday after Friday's digest went out: this week is done, next Saturday.
    answer = await command(bot, "on saturday 10:00")
    assert "Saturday 12 December" in answer
    await tick(bot.services, local(NY, 2026, 12, 5, 10))
    assert len(digests(bot)) == 1


async def test_private_channel_digest_stays_in_that_channel(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    await command(bot, "on", channel=PRIVATE)
    await share(bot, "Hire a second designer", channel=PRIVATE)
    await share(bot, "Try a blue checkout button for a week")
    await tick(bot.services, FRIDAY_4PM)
    [digest] = digests(bot, PRIVATE)
    assert "second designer" in text_of(digest) and "blue checkout" not in text_of(digest)
    assert digests(bot, CHANNEL) == []


async def test_weekly_slot_follows_the_wall_clock_across_dst(bot: BotDriver) -> None:
    bot.services.clock.set(local(NY, 2026, 10, 26, 10))
    await command(bot, "on")
    await share(bot, "Try a blue checkout button for a week")
    await tick(bot.services, datetime(2026, 10, 30, 20, tzinfo=UTC))  # 16:00 EDT
    assert len(digests(bot)) == 1
    bot.services.clock.set(local(NY, 2026, 11, 2, 10))
    await share(bot, "Sign a 3-year exclusive contract with Acme")
    await tick(bot.services, datetime(2026, 11, 6, 20, 59, tzinfo=UTC))
    assert len(digests(bot)) == 1
    await tick(bot.services, datetime(2026, 11, 6, 21, tzinfo=UTC))  # 16:00 EST
    assert len(digests(bot)) == 2


async def test_other_rooms_add_the_sections_they_declare(bot: BotDriver) -> None:
    async def commitments(
        session: object, windows: Sequence[DigestWindow]
    ) -> list[DigestSection | None]:
        return [
            DigestSection(
                ":handshake: Disagree and commit", [f"• 2 people committed in <#{w.channel_id}>"]
            )
            for w in windows
        ]

    # Services built with one more room's section, as the composition root builds them.
    declared = replace(bot.services, digest_sections=(*bot.services.digest_sections, commitments))
    bot.services.clock.set(MONDAY)
    await command(bot, "on")
    await tick(declared, FRIDAY_4PM)
    [digest] = digests(bot)
    assert "Disagree and commit" in text_of(digest)


async def test_help_and_mistakes(bot: BotDriver) -> None:
    assert "/digest on" in await command(bot, "")
    assert "can't read `blursday`" in await command(bot, "on blursday")
    await command(bot, "on monday 9am")
    assert "Monday at 09:00" in await command(bot, "help")
    assert [j.state for j in await jobs(bot.services, TEAM, "digest:")] == [JobState.PENDING]


@pytest.mark.parametrize(
    "typed",
    [
        "<!channel>",
        "on <!here>",
        "on <!subteam^S0ENG|@eng>",
        "<@U0BOB|bob>",
        "on <https://evil.example|friday>",
        "&lt;!channel&gt;",
        "on fri `<!everyone>`",
    ],
)
async def test_a_word_quoted_back_can_not_ping_or_link(bot: BotDriver, typed: str) -> None:
    answer = await command(bot, typed)
    assert "I don't know" in answer or "can't read" in answer
    quoted = answer.split("`")[1]
    assert "<" not in quoted and ">" not in quoted, answer
    assert "<!" not in answer and "<@" not in answer and "<http" not in answer


async def test_one_digest_per_channel_and_week_is_kept_by_the_database(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    await command(bot, "on")
    await share(bot, "Try a blue checkout button for a week")
    [job] = await jobs(bot.services, TEAM, "digest:")
    # A second job for the same channel and week (an older release's key, say).
    async with bot.services.db.session() as session:
        await schedule_job(
            session=session,
            team_id=TEAM,
            kind=job.kind,
            key="digest:legacy",
            due_at=job.due_at,
            payload=job.payload,
        )
    report = await tick(bot.services, FRIDAY_4PM)
    assert (report.done, report.skipped) == (1, 1)
    assert len(digests(bot)) == 1


async def test_a_failed_send_is_retried_by_its_own_job_and_sent_once(bot: BotDriver) -> None:
    bot.services.slack.retry_handlers = []
    bot.services.clock.set(MONDAY)
    await command(bot, "on")
    await share(bot, "Try a blue checkout button for a week")
    bot.slack.fail("chat.postMessage", status=500)
    report = await tick(bot.services, FRIDAY_4PM)
    assert report.retrying == 1 and digests(bot) == []
    [job] = [j for j in await jobs(bot.services, TEAM, "digest:") if j.key.endswith("W49")]
    assert job.attempts == 1 and job.last_error == "Slack API 500: internal_error"
    await tick(bot.services, job.due_at)
    assert len(digests(bot)) == 1
    await tick(bot.services, job.due_at + timedelta(hours=1))
    assert len(digests(bot)) == 1


async def test_a_tick_reads_its_batch_of_digests_at_once(
    bot: BotDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot.services.clock.set(MONDAY)
    await command(bot, "on")
    await share(bot, "Try a blue checkout button for a week")

    async def alone(*_: object) -> None:
        raise AssertionError("a digest read its facts alone instead of with its batch")

    monkeypatch.setattr(runs, "collect", alone)
    await tick(bot.services, FRIDAY_4PM)
    [digest] = digests(bot)
    assert "Try a blue checkout button for a week" in text_of(digest)
