"""/commit given bad input: errors next to the field, inside the modal, and nothing recorded."""

from __future__ import annotations

import pytest

from tests.driver import ALICE, BOB, CAROL, BotDriver, text_of
from tests.handlers.commit.steps import (
    MONDAY,
    errors_of,
    form_state,
    kinds,
    open_form,
    posts_to,
    rows,
    submit,
)

BOT, GONE = "U0DEPLOYBOT", "U0GONE"


@pytest.fixture
def people(bot: BotDriver) -> BotDriver:
    bot.slack.add_user(BOT, name="deploybot", real_name="Deploy Bot", is_bot=True)
    bot.slack.add_user(GONE, name="gone", real_name="Gone Person", deleted=True)
    bot.services.clock.set(MONDAY)
    return bot


@pytest.mark.parametrize(
    ("fields", "block", "words"),
    [
        ({"dissenters": [ALICE, BOB]}, "dissenters", "Alice Adams owns the decision"),
        ({"dissenters": [BOB, BOT]}, "dissenters", "Deploy Bot is a bot"),
        ({"dissenters": [GONE]}, "dissenters", "Gone Person's account is deactivated"),
        ({"dissenters": [BOB, BOB]}, "dissenters", "Bob Brown is listed twice"),
        ({"dissenters": ["USLACKBOT"]}, "dissenters", "is a bot"),
        ({"dissenters": []}, "dissenters", "at least one"),
        ({"owner": BOT}, "owner", "Deploy Bot is a bot"),
        ({"decision": "  "}, "decision", "what was decided"),
        ({"check_back": "2026-03-02"}, "check_back", "after today"),
        ({"check_back": None}, "check_back", "Pick the day"),
    ],
)
async def test_a_bad_form_is_answered_next_to_the_field(
    people: BotDriver, fields: dict, block: str, words: str
) -> None:
    view = await open_form(people, "")
    values = form_state(**{"dissenters": [BOB], **fields})
    status, answer = await submit(people, view, values)
    assert status == 200
    errors = errors_of(answer)
    assert list(errors) == [block] and words in errors[block]
    decisions, _, _ = await rows(people)
    assert decisions == []
    assert not people.slack.calls("chat.postMessage")


async def test_every_problem_is_reported_at_once(people: BotDriver) -> None:
    view = await open_form(people, "")
    values = form_state(decision="", owner=BOB, dissenters=[BOB], check_back="2020-01-01")
    _, answer = await submit(people, view, values)
    assert set(errors_of(answer)) == {"decision", "dissenters", "check_back"}


async def test_fixing_the_form_records_it(people: BotDriver) -> None:
    view = await open_form(people, "<@U0BOB|bob> <@U0DEPLOYBOT|deploybot> Ship it")
    _, answer = await submit(people, view, form_state(dissenters=[BOB, BOT]), view_id="V1")
    assert "dissenters" in errors_of(answer)
    status, answer = await submit(people, view, form_state(dissenters=[BOB, CAROL]), view_id="V1")
    assert (status, answer) == (200, "")
    await people.slack.wait_for("chat.postMessage", count=3)
    decisions, dissent, checkins = await rows(people)
    assert len(decisions) == 1 and await kinds(people) == ["commit"]
    assert [d.user_id for d in dissent] == [BOB, CAROL]
    assert [(c.user_id, c.role) for c in checkins] == [
        (ALICE, "owner"),
        (BOB, "dissenter"),
        (CAROL, "dissenter"),
    ]


async def test_the_form_prefills_and_help_explains(bot: BotDriver) -> None:
    view = await open_form(bot, "")
    dissenters = next(b for b in view["blocks"] if b["block_id"] == "dissenters")["element"]
    assert "initial_users" not in dissenters
    decision = next(b for b in view["blocks"] if b["block_id"] == "decision")["element"]
    assert "initial_value" not in decision

    view = await open_form(bot, "<@U0ALICE|alice> <@U0BOB|bob> Move the launch &lt;again&gt;")
    dissenters = next(b for b in view["blocks"] if b["block_id"] == "dissenters")["element"]
    assert dissenters["initial_users"] == [BOB], "the author isn't their own dissenter"
    decision = next(b for b in view["blocks"] if b["block_id"] == "decision")["element"]
    assert decision["initial_value"] == "Move the launch <again>"

    _, _, name = await bot.command("/commit", "help")
    assert "/commit me" in text_of(await bot.response(name))


async def test_someone_not_named_cannot_commit(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)
    view = await open_form(bot, "")
    await submit(bot, view, form_state(dissenters=[BOB]))
    await bot.slack.wait_for("chat.postMessage", count=2)
    [ask] = posts_to(bot, "D" + BOB)
    blocks = ask.args["blocks"]
    _, _, name = await bot.click(
        blocks, "commit_commit", user=CAROL, channel="D" + BOB, message_ts=ask.ts
    )
    assert "weren't named" in text_of(await bot.response(name))
    assert not bot.slack.calls("views.open")[1:], "no form opened for Carol"
