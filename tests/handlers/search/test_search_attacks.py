"""/decisions fed what an attacker types or sends back: LIKE's wildcards, quotes and
backslashes are plain characters, a very long query or a doctored page is a friendly line."""

from __future__ import annotations

import json

from handlers.search.ids import Action
from storage.models import UserProfile
from storage.queries.people import save_profile
from tests.driver import BOB, TEAM, BotDriver, blocks_of, find_element, text_of
from tests.handlers.search.test_search_flow import NOW, door, numbers, search


async def test_wildcards_quotes_and_backslashes_match_only_themselves(bot: BotDriver) -> None:
    bot.services.clock.set(NOW)
    percent = await door(bot, "Cut prices by 20% in March", days_ago=5)
    under = await door(bot, "Rename feature_flags to toggles", days_ago=4)
    slash = await door(bot, r"Store paths as C:\temp\doorway", days_ago=3)
    quote = await door(bot, "Drop the 'beta' label", days_ago=2)
    await door(bot, "Plain decision with nothing odd", days_ago=1)

    for typed, expected in (
        ("%", [percent]),
        ("_", [under]),
        ("\\", [slash]),
        ("'", [quote]),
        ("%_%", []),
        ("' OR 1=1 --", []),
        ('"; drop table door_decision; --', []),
    ):
        shown, _ = await search(bot, typed)
        assert numbers(shown) == expected, (typed, shown)
    everything, _ = await search(bot, "")
    assert len(numbers(everything)) == 5  # the tables are all still there


async def test_a_very_long_query_is_a_friendly_line(bot: BotDriver) -> None:
    bot.services.clock.set(NOW)
    await door(bot, "Something decided")
    for typed in ("a" * 10_000, "(a+)+" * 2000, " ".join(["x"] * 200)):
        shown, _ = await search(bot, typed)
        assert ":warning:" in shown and "Traceback" not in shown, shown[:80]


async def test_a_page_far_past_the_end_or_not_a_number_is_refused(bot: BotDriver) -> None:
    bot.services.clock.set(NOW)
    for n in range(11):
        await door(bot, f"Call {n}", days_ago=n + 1)
    status, _, name = await bot.command("/decisions", "")
    element, _ = find_element(
        blocks_of(await bot.response(name)),
        Action.NEXT,
    )
    genuine = json.loads(element["value"])
    for change in ({"n": 10**12}, {"n": "10"}, {"n": 5}, {"n": True}, {"w": "call"}):
        value = json.dumps({**genuine, **change})
        blocks = [{"type": "actions", "elements": [{**element, "value": value}]}]
        status, _, click = await bot.click(blocks, Action.NEXT)
        assert status == 200
        assert "belongs to a search run somewhere else" in text_of(await bot.response(click))


async def test_an_owner_typed_as_a_wildcard_is_nobody(bot: BotDriver) -> None:
    bot.services.clock.set(NOW)
    await door(bot, "Bob's call", author=BOB)
    async with bot.services.db.session() as session:
        await save_profile(
            session=session,
            profile=UserProfile(team_id=TEAM, user_id=BOB, name="Bob Brown", fetched_at=NOW),
        )
    for typed in ("@%", "@_%", "@%%"):
        shown, _ = await search(bot, typed)
        assert "I don't know who" in shown and "several" not in shown, typed
        assert numbers(shown) == [], typed
    shown, _ = await search(bot, "@bob")
    assert len(numbers(shown)) == 1
