"""Open and overdue corrective actions show where the team already looks: the channel's
weekly digest and each owner's App Home — and nowhere else."""

from __future__ import annotations

from datetime import UTC, datetime

from handlers.coe.ids import Action, Callback
from tests.driver import BOB, CAROL, PRIVATE, BotDriver, text_of
from tests.handlers.coe.steps import (
    MONDAY,
    open_form,
    opened_view,
    opening_state,
    press,
    submit,
    the_card,
)
from tests.handlers.coe.test_coe_flow import action_state
from tests.handlers.home.test_home import open_home


async def review_with_actions(bot: BotDriver, *, channel: str, title: str) -> None:
    view = await open_form(bot, title)
    assert (await submit(bot, view, opening_state(title=title, channel=channel))) == (200, "")
    for what, due in (
        ("Add the missing test", "2026-03-04"),
        ("Page on config drift", "2026-04-01"),
    ):
        ts, card = the_card(bot, channel)
        before = len(bot.slack.calls("views.open"))
        await press(bot, card["blocks"], Action.ADD_ACTION, channel=channel, message_ts=ts)
        action_view = await opened_view(bot, before)
        assert action_view["callback_id"] == Callback.ACTION
        await submit(bot, action_view, action_state(f"{what} <now>", CAROL, due))


async def test_open_actions_in_the_digest_and_the_owners_home(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    await review_with_actions(bot, channel="C0GENERAL", title="Checkout was down")
    await review_with_actions(bot, channel=PRIVATE, title="Secret outage")
    bot.services.clock.set(datetime(2026, 3, 10, 15, 0, tzinfo=UTC))

    _, _, name = await bot.command("/digest", "now", channel="C0GENERAL")
    digest = text_of(await bot.response(name))
    assert "Corrective actions still open" in digest
    assert digest.index("overdue since 2026-03-04") < digest.index("due 2026-04-01")
    assert "Add the missing test &lt;now&gt;" in digest
    assert "Secret outage" not in digest, "a private channel's review stays there"

    home = await open_home(bot, CAROL)
    assert "Your corrective actions" in home and "overdue" in home
    assert home.count("Add the missing test") == 2  # both reviews: they are Carol's
    assert "Your corrective actions" not in await open_home_again(bot, BOB)


async def open_home_again(bot: BotDriver, user: str) -> str:
    before = len(bot.slack.calls("views.publish"))
    await bot.event(
        {
            "type": "app_home_opened",
            "user": user,
            "tab": "home",
            "channel": "D0HOME",
            "event_ts": "1.2",
        }
    )
    published = await bot.slack.wait_for("views.publish", count=before + 1)
    return str(published[-1].args["view"])
