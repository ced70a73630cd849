"""/door with awkward input: stored exactly as typed, shown escaped, never pinging anyone."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from storage.models import DoorDecision
from tests.driver import CHANNEL, BotDriver, blocks_of, text_of

AWKWARD = [
    "<!channel> we drop the free tier tomorrow",
    "Ask <@U0BOB> to <https://evil.example|read the docs> & sign",
    "🚀🚀 ship the 🧪 experiment 🎉",
    "نقل الفوترة إلى المزود الجديد",  # right-to-left
    "x" * 4000,
]


@pytest.mark.parametrize("typed", AWKWARD, ids=["channel", "mention-link", "emoji", "rtl", "4000"])
async def test_awkward_text_is_stored_as_typed_and_shown_escaped(
    bot: BotDriver, typed: str
) -> None:
    _, _, name = await bot.command("/door", typed)
    card = await bot.response(name)

    async with bot.services.db.session() as session:
        [decision] = (await session.exec(select(DoorDecision))).all()
    assert decision.text == typed
    shown = text_of(card)
    for control in ("<!channel>", "<@U0BOB>", "<https://evil.example|"):
        assert control not in shown
    if typed.startswith("<!channel>"):
        assert "@channel" in shown  # readable, but not the <!channel> that pings


async def test_empty_door_opens_the_modal_and_a_blank_submit_is_refused(bot: BotDriver) -> None:
    status, _, _ = await bot.command("/door", "   ")
    assert status == 200
    [opened] = await bot.slack.wait_for("views.open")
    assert opened.args["view"]["callback_id"] == "door_modal"

    status, answer = await bot.submit(
        "door_modal",
        {
            "decision": {"decision": {"type": "plain_text_input", "value": "  "}},
            "context": {"context": {"type": "plain_text_input", "value": None}},
        },
        private_metadata="C0GENERAL",
    )
    assert status == 200
    assert '"response_action":"errors"' in answer.replace(" ", "")
    assert "decision" in answer


async def test_modal_submission_records_and_shows_the_card(bot: BotDriver) -> None:
    await bot.submit(
        "door_modal",
        {
            "decision": {
                "decision": {
                    "type": "plain_text_input",
                    "value": "Delete all customer records older than 2019",
                }
            },
            "context": {"context": {"type": "plain_text_input", "value": "GDPR cleanup"}},
        },
        private_metadata="C0GENERAL",
        view_id="V0ONCE",
    )
    [card] = await bot.slack.wait_for("chat.postEphemeral")
    assert "One-way door" in text_of(card)
    # Slack retrying the same submission records nothing twice.
    await bot.submit(
        "door_modal",
        {
            "decision": {"decision": {"type": "plain_text_input", "value": "Delete all"}},
            "context": {"context": {"type": "plain_text_input", "value": None}},
        },
        private_metadata="C0GENERAL",
        view_id="V0ONCE",
        retry_num=1,
    )
    async with bot.services.db.session() as session:
        rows = (await session.exec(select(DoorDecision))).all()
    assert [(d.text, d.context) for d in rows] == [
        ("Delete all customer records older than 2019", "GDPR cleanup")
    ]


async def test_help_explains_and_records_nothing(bot: BotDriver) -> None:
    _, _, name = await bot.command("/door", "help")
    shown = text_of(await bot.response(name))
    assert "two-way door" in shown and "one-way door" in shown
    async with bot.services.db.session() as session:
        assert (await session.exec(select(DoorDecision))).all() == []


async def test_review_date_from_the_datepicker_is_stored(bot: BotDriver) -> None:
    _, _, name = await bot.command("/door", "Try a new onboarding email")
    card = blocks_of(await bot.response(name))
    _, _, click = await bot.click(card, "door_review_date", selected_date="2031-03-14")
    redrawn = await bot.response(click)
    assert "2031" in text_of(redrawn)
    async with bot.services.db.session() as session:
        [decision] = (await session.exec(select(DoorDecision))).all()
    assert decision.review_at is not None and decision.review_at.isoformat() == "2031-03-14"


async def test_the_card_of_another_workspace_cannot_be_touched(bot: BotDriver) -> None:
    _, _, name = await bot.command("/door", "Try a new onboarding email")
    card = blocks_of(await bot.response(name))
    await bot.click(card, "door_overrule", team="T0OTHER")
    async with bot.services.db.session() as session:
        [decision] = (await session.exec(select(DoorDecision))).all()
    assert decision.door_source != "person"


def test_proposed_reviews_skip_weekends() -> None:
    from datetime import date

    from handlers.door.cards import proposed_review

    sunday = date(2026, 11, 22)
    one_way = DoorDecision(
        team_id="T",
        channel_id="C",
        author_id="U",
        owner_id="U",
        text="x",
        door="one_way",
        door_source="rules",
        request_key="k",
    )
    two_way = one_way.model_copy(update={"door": "two_way"})
    assert proposed_review(one_way, sunday) == date(2026, 11, 30)  # Sunday → Monday
    assert proposed_review(two_way, date(2026, 11, 23)) == date(2026, 12, 7)  # a Monday
    assert proposed_review(two_way, date(2026, 11, 21)) == date(2026, 12, 7)  # Sat → Mon


async def test_text_slack_escaped_is_stored_as_the_person_typed_it(bot: BotDriver) -> None:
    # Slack sends a typed "Ship A & B <b>now</b>" escaped like this
    _, _, name = await bot.command("/door", "Ship A &amp; B &lt;b&gt;now&lt;/b&gt;")
    shown = text_of(await bot.response(name))
    async with bot.services.db.session() as session:
        [decision] = (await session.exec(select(DoorDecision))).all()
    assert decision.text == "Ship A & B <b>now</b>"
    assert "Ship A &amp; B &lt;b&gt;now&lt;/b&gt;" in shown  # shown once-escaped, as typed


async def test_a_review_date_in_the_past_is_refused(bot: BotDriver) -> None:
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    _, _, name = await bot.command("/door", "Try a new onboarding email")
    card = blocks_of(await bot.response(name))
    # yesterday where Alice lives (New York), whatever the date is in UTC
    yesterday = bot.services.clock.now().astimezone(
        ZoneInfo("America/New_York")
    ).date() - timedelta(days=1)
    _, _, click = await bot.click(card, "door_review_date", selected_date=yesterday.isoformat())
    assert "from today on" in text_of(await bot.response(click))
    async with bot.services.db.session() as session:
        [decision] = (await session.exec(select(DoorDecision))).all()
    assert decision.review_at is None


async def test_a_door_form_naming_a_channel_it_was_not_opened_in_records_nothing_there(
    bot: BotDriver,
) -> None:
    """The form's metadata comes back from the client: a doctored one naming another
    channel (a private one, say) gets the card in the person's DM, the decision with it."""
    values = {
        "decision": {"decision": {"type": "plain_text_input", "value": "Close the office"}},
        "context": {"context": {"type": "plain_text_input", "value": ""}},
    }
    for forged in (
        "C0SECRET",
        '{"channel": "C0SECRET", "prfaq": 1}',
        '{"sealed": "x", "mac": "y"}',
    ):
        status, _ = await bot.submit("door_modal", values, private_metadata=forged)
        assert status == 200
    await bot.settled()
    async with bot.services.db.session() as session:
        found = (await session.exec(select(DoorDecision))).all()
    assert found and all(d.channel_id != "C0SECRET" for d in found)
    assert not [c for c in bot.slack.calls() if c.args.get("channel") == "C0SECRET"]

    # The form as /door opened it still posts where it was opened.
    status, _, _ = await bot.command("/door", "")
    opened = (await bot.slack.wait_for("views.open"))[-1].args["view"]
    view = json.loads(opened) if isinstance(opened, str) else opened
    values["decision"]["decision"]["value"] = "Open the office"
    status, _ = await bot.submit("door_modal", values, private_metadata=view["private_metadata"])
    await bot.settled()
    async with bot.services.db.session() as session:
        kept = (
            await session.exec(select(DoorDecision).where(DoorDecision.text == "Open the office"))
        ).one()
    assert kept.channel_id == CHANNEL
