"""/decisions through the real surface: signed commands and page presses in, the ephemeral
answer out through the response_url."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from handlers.search.ids import Action
from storage.models import DecisionStatus, UserProfile
from storage.queries.commits import record_commitment
from storage.queries.decisions import record_decision
from storage.queries.people import save_profile
from tests.driver import (
    ALICE,
    BOB,
    CAROL,
    CHANNEL,
    OTHER_TEAM,
    PRIVATE,
    TEAM,
    BotDriver,
    blocks_of,
    find_element,
    text_of,
)

NOW = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
OTHER_CHANNEL = "C0PRODUCT"
ALICE_DM = "D0ALICE"
BOB_DM = "D0BOB"


async def door(
    bot: BotDriver,
    text: str,
    *,
    days_ago: float = 0,
    team: str = TEAM,
    channel: str = CHANNEL,
    author: str = ALICE,
    owner: str | None = None,
    one_way: bool = False,
    status: str = DecisionStatus.SHARED,
    permalink: str | None = None,
) -> int:
    """A /door decision as the door room stores it, made `days_ago`."""
    at = NOW - timedelta(days=days_ago)
    values: dict[str, Any] = {
        "team_id": team,
        "channel_id": channel,
        "author_id": author,
        "owner_id": owner or author,
        "text": text,
        "door": "one_way" if one_way else "two_way",
        "door_source": "rules",
        "confidence": 0.8,
        "reasons": [],
        "status": status,
        "request_key": f"test:{text}:{team}",
        "created_at": at,
        "updated_at": at,
        "shared_at": at if status != DecisionStatus.OPEN else None,
        "permalink": permalink,
    }
    async with bot.services.db.session() as session:
        decision, _ = await record_decision(session=session, values=values)
    assert decision.id is not None
    return decision.id


async def commitment(
    bot: BotDriver,
    text: str,
    *,
    dissenters: list[str],
    channel: str = CHANNEL,
    owner: str = ALICE,
    concern: str | None = None,
    days_ago: float = 0,
) -> int:
    at = NOW - timedelta(days=days_ago)
    values: dict[str, Any] = {
        "team_id": TEAM,
        "channel_id": channel,
        "author_id": owner,
        "owner_id": owner,
        "text": text,
        "context": concern,
        "door": "one_way",
        "door_source": "rules",
        "reasons": [],
        "status": DecisionStatus.SHARED,
        "request_key": f"test:{text}",
        "created_at": at,
        "updated_at": at,
        "shared_at": at,
    }
    async with bot.services.db.session() as session:
        decision, _ = await record_commitment(session=session, values=values, dissenters=dissenters)
    assert decision.id is not None
    return decision.id


async def search(
    bot: BotDriver, text: str = "", *, user: str = ALICE, channel: str = CHANNEL, **kw: Any
) -> tuple[str, list[dict[str, Any]]]:
    status, _, name = await bot.command("/decisions", text, user=user, channel=channel, **kw)
    assert status == 200
    answer = await bot.response(name)
    return text_of(answer), blocks_of(answer)


def numbers(shown: str) -> list[int]:
    """The decision numbers a page lists, in order."""
    return [int(n) for n in re.findall(r"\*#(\d+)\*", shown)]


async def test_lists_this_channels_decisions_newest_first_with_links(bot: BotDriver) -> None:
    bot.services.clock.set(NOW)
    old = await door(bot, "Move billing to the new provider", days_ago=5, one_way=True)
    new = await door(
        bot,
        "Try a blue checkout button",
        days_ago=1,
        permalink="https://example.slack.com/archives/C0GENERAL/p1700000000000100",
    )
    elsewhere = await door(bot, "Rename the product channel", channel=OTHER_CHANNEL)
    pledged = await commitment(bot, "Ship on Friday", dissenters=[BOB], days_ago=3)

    shown, blocks = await search(bot)

    assert numbers(shown) == [new, pledged, old]
    assert elsewhere not in numbers(shown)
    assert "<https://example.slack.com/archives/C0GENERAL/p1700000000000100|open the card>" in (
        shown
    )
    assert "One-way door" in shown and "Two-way door" in shown
    assert f"owner <@{ALICE}>" in shown
    assert "Tue 01 Dec 2026" in shown or "Wed 02 Dec 2026" in shown  # in Alice's zone
    assert "<#C0GENERAL>" in shown  # no permalink: the channel
    assert not [b for b in blocks if b["type"] == "actions"], "one page: no buttons"


async def test_each_filter_narrows_the_list(bot: BotDriver) -> None:
    bot.services.clock.set(NOW)
    billing = await door(bot, "Move BILLING to the new provider", days_ago=20, one_way=True)
    button = await door(bot, "Try a blue button", days_ago=2, owner=BOB)
    closed = await door(bot, "Billing page copy", days_ago=1, status=DecisionStatus.CLOSED)
    pledged = await commitment(
        bot, "Ship on Friday", dissenters=[CAROL], concern="QA needs a week", days_ago=4
    )
    async with bot.services.db.session() as session:  # Bob is known by name
        await save_profile(
            session=session,
            profile=UserProfile(team_id=TEAM, user_id=BOB, name="Bob Brown", fetched_at=NOW),
        )

    assert numbers((await search(bot, "billing"))[0]) == [closed, billing]
    assert numbers((await search(bot, "one-way"))[0]) == [pledged, billing]
    assert numbers((await search(bot, "two-way door"))[0]) == [closed, button]
    assert numbers((await search(bot, f"<@{BOB}|bob>"))[0]) == [button]
    assert numbers((await search(bot, "@bob"))[0]) == [button]
    assert numbers((await search(bot, "closed"))[0]) == [closed]
    assert numbers((await search(bot, "open"))[0]) == [button, pledged, billing]
    assert numbers((await search(bot, "since 7d"))[0]) == [closed, button, pledged]
    assert numbers((await search(bot, "since 2026-11-30"))[0]) == [closed, button]
    assert numbers((await search(bot, "qa week"))[0]) == [pledged]  # the disagreement
    assert numbers((await search(bot, "billing open one-way"))[0]) == [billing]

    shown, _ = await search(bot, "billing two-way since last week @bob")
    assert "No decisions in this channel" in shown
    assert "`billing`" in shown and "two-way doors" in shown and f"<@{BOB}>" in shown
    assert "since Thu 26 Nov 2026" in shown


async def test_words_are_escaped_and_searched_as_typed(bot: BotDriver) -> None:
    bot.services.clock.set(NOW)
    tagged = await door(bot, "Use <b>bold</b> & <!channel> in the digest")

    shown, _ = await search(bot, "&lt;b&gt;bold")

    assert numbers(shown) == [tagged]
    assert "<!channel>" not in shown and "<b>" not in shown
    assert "&lt;b&gt;bold" in shown and "&amp;" in shown and "@channel" in shown
    nothing, _ = await search(bot, "&lt;!here&gt;")
    assert "<!here>" not in nothing and "`@here`" in nothing


async def test_next_and_previous_page_through_and_update_the_message(bot: BotDriver) -> None:
    bot.services.clock.set(NOW)
    made = [await door(bot, f"Decision number {n}", days_ago=30 - n) for n in range(23)]
    newest_first = list(reversed(made))

    status, _, name = await bot.command("/decisions", "decision")
    first = await bot.response(name)
    assert numbers(text_of(first)) == newest_first[:10]
    with_next = blocks_of(first)
    find_element(with_next, Action.NEXT)
    try:
        find_element(with_next, Action.PREVIOUS)
        raise AssertionError("the first page has no Previous")
    except AssertionError as exc:
        assert "no element" in str(exc)

    _, _, click = await bot.click(with_next, Action.NEXT)
    second = await bot.response(click)
    assert second.args.get("replace_original") in (True, "true")
    assert numbers(text_of(second)) == newest_first[10:20]

    _, _, click = await bot.click(blocks_of(second), Action.NEXT)
    third = await bot.response(click)
    assert numbers(text_of(third)) == newest_first[20:]
    assert "21–23" in text_of(third)
    with_previous = blocks_of(third)
    try:
        find_element(with_previous, Action.NEXT)
        raise AssertionError("the last page has no Next")
    except AssertionError as exc:
        assert "no element" in str(exc)

    _, _, click = await bot.click(with_previous, Action.PREVIOUS)
    assert numbers(text_of(await bot.response(click))) == newest_first[10:20]


async def test_in_a_dm_a_person_sees_only_their_own_decisions(bot: BotDriver) -> None:
    bot.services.clock.set(NOW)
    hers = await door(bot, "Alice's public call", days_ago=3)
    owned = await door(bot, "Bob's call, owned by Alice", author=BOB, owner=ALICE, days_ago=2)
    secret = await door(bot, "Alice's secret call", channel=PRIVATE, days_ago=1)
    disagreed = await commitment(
        bot, "Carol's plan Alice disagreed with", owner=CAROL, dissenters=[ALICE]
    )
    bobs = await door(bot, "Bob's own call", author=BOB, days_ago=1)
    bobs_secret = await door(bot, "Bob's secret call", author=BOB, channel=PRIVATE)

    shown, _ = await search(bot, channel=ALICE_DM)
    assert numbers(shown) == [disagreed, secret, owned, hers]
    assert "Your decisions" in shown

    bob_sees, _ = await search(bot, user=BOB, channel=BOB_DM)
    assert numbers(bob_sees) == [bobs_secret, bobs, owned]
    assert secret not in numbers(bob_sees) and "Alice's secret" not in bob_sees


async def test_a_private_channels_decisions_stay_in_it(bot: BotDriver) -> None:
    bot.services.clock.set(NOW)
    secret = await door(bot, "Acquire Initech quietly", channel=PRIVATE, one_way=True)
    public = await door(bot, "Public roadmap review", days_ago=1)

    in_public, _ = await search(bot, "", user=BOB)
    assert numbers(in_public) == [public]
    searched, _ = await search(bot, "initech", user=BOB)
    assert numbers(searched) == [] and "Initech quietly" not in searched
    carol_dm, _ = await search(bot, "initech", user=CAROL, channel="D0CAROL")
    assert numbers(carol_dm) == [] and "Initech quietly" not in carol_dm
    in_private, _ = await search(bot, "initech", user=BOB, channel=PRIVATE)
    assert numbers(in_private) == [secret]


async def test_a_card_nobody_shared_is_only_its_authors(bot: BotDriver) -> None:
    bot.services.clock.set(NOW)
    unshared = await door(bot, "Draft: sunset the old API", status=DecisionStatus.OPEN)

    alice_sees, _ = await search(bot)
    assert numbers(alice_sees) == [unshared] and "not shared yet" in alice_sees
    bob_sees, _ = await search(bot, user=BOB)
    assert numbers(bob_sees) == [] and "sunset" not in bob_sees


async def test_another_workspaces_decisions_never_show(bot: BotDriver) -> None:
    bot.services.clock.set(NOW)
    ours = await door(bot, "Our billing call")
    theirs = await door(bot, "Their billing call", team=OTHER_TEAM)

    shown, _ = await search(bot, "billing")
    assert numbers(shown) == [ours]
    other, _ = await search(bot, "billing", team=OTHER_TEAM, channel=CHANNEL)
    assert numbers(other) == [theirs] and "Our billing" not in other
    dm, _ = await search(bot, "billing", team=OTHER_TEAM, channel=ALICE_DM)
    assert numbers(dm) == [theirs]


async def test_a_forged_page_button_is_refused(bot: BotDriver) -> None:
    bot.services.clock.set(NOW)
    for n in range(12):
        await door(bot, f"Public call {n}", days_ago=n + 1)
    secret = await door(bot, "Secret call", channel=PRIVATE, author=BOB)
    _, _, name = await bot.command("/decisions", "", user=ALICE)
    blocks = blocks_of(await bot.response(name))
    element, _ = find_element(blocks, Action.NEXT)
    genuine = json.loads(element["value"])

    def forged(**change: Any) -> list[dict[str, Any]]:
        value = json.dumps({**genuine, **change})
        return [
            {
                "type": "actions",
                "block_id": "decisions_pages",
                "elements": [{**element, "value": value}],
            }
        ]

    attempts = [
        forged(c=PRIVATE, n=0),  # another channel's search, pressed here
        forged(t=OTHER_TEAM),  # another workspace's
        forged(u=BOB),  # someone else's
        forged(n=-10),
        forged(w=["x" * 500]),
        forged(o="<!channel>"),
        [{"type": "actions", "elements": [{**element, "value": "not json"}]}],
    ]
    for attempt in attempts:
        status, _, click = await bot.click(attempt, Action.NEXT)
        assert status == 200
        answer = text_of(await bot.response(click))
        assert "belongs to a search run somewhere else" in answer
        assert "Secret call" not in answer and secret not in numbers(answer)
    # Pressed in the private channel itself, by someone else, it is still not theirs.
    status, _, click = await bot.click(
        forged(c=PRIVATE, n=0), Action.NEXT, channel=PRIVATE, user=BOB
    )
    assert "belongs to a search" in text_of(await bot.response(click))


async def test_help_and_malformed_filters_get_a_friendly_line(bot: BotDriver) -> None:
    bot.services.clock.set(NOW)
    await door(bot, "Something decided")

    shown, _ = await search(bot, "help")
    assert "one-way" in shown and "since" in shown and "@owner" in shown

    for text, says in [
        ("since garbage", "I can't read `garbage` as a date"),
        ("since", "`since` needs a date"),
        ("since 2027-05-01", "hasn't come yet"),
        ("one-way two-way", "Pick one door"),
        ("open closed", "Pick one"),
        (f"<@{BOB}|bob> <@{CAROL}|carol>", "Name one owner"),
        ("@nobody", "I don't know who `@nobody` is"),
        ("x" * 700, "long search"),
    ]:
        status, _, name = await bot.command("/decisions", text)
        assert status == 200, text
        answer = text_of(await bot.response(name))
        assert says in answer, (text, answer)
        assert "Something decided" not in answer


async def test_an_empty_answer_says_what_was_searched(bot: BotDriver) -> None:
    bot.services.clock.set(NOW)
    shown, _ = await search(bot)
    assert "No decisions in this channel yet" in shown
    shown, _ = await search(bot, "pricing closed")
    assert "No decisions in this channel matching `pricing`, closed" in shown
    shown, _ = await search(bot, channel=ALICE_DM)
    assert "You have no decisions yet" in shown
