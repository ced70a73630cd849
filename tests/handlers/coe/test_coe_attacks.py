"""An attacker's pass over the Correction of Error room: signed requests Slack itself would
never send (or would send only in an order nobody thought of), and what each must not do.

Every test here failed on the code it was written against; each names the fix it needs.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

import pytest

from bot.decisions.links import OPEN_REVIEW
from handlers.coe.ids import Action, Block, Field
from handlers.coe.questions import Question
from storage.queries import coe as coe_q
from storage.queries import coe as q
from tests import signing
from tests.driver import ALICE, BOB, CAROL, PRIVATE, TEAM, BotDriver, blocks_of
from tests.handlers.coe.steps import (
    MONDAY,
    answer,
    answer_all,
    dms,
    open_form,
    opened_view,
    opening_state,
    press,
    submit,
    the_card,
)
from tests.handlers.coe.test_coe_flow import action_state

UNEXPECTED = "unexpected error"  # what bot.errors logs, with a traceback, for a crash


async def opened(bot: BotDriver) -> tuple[str, dict[str, Any]]:
    """A review of Alice's in #general, drafting: its message (ts, message)."""
    bot.services.clock.set(MONDAY)
    view = await open_form(bot, "Checkout was down")
    assert (await submit(bot, view, opening_state())) == (200, "")
    return the_card(bot)


async def review(bot: BotDriver, review_id: int = 1) -> Any:
    async with bot.services.db.session() as session:
        return await q.get_review(session=session, team_id=TEAM, review_id=review_id)


async def forge_press(
    bot: BotDriver, action_id: str, block_id: str, value: str, *, user: str, channel: str
) -> str:
    """A button press built by hand: any block id, any value, from anyone."""
    name = f"forged-{uuid.uuid4().hex[:8]}"
    payload = signing.block_actions_payload(
        action_id,
        team_id=TEAM,
        user_id=user,
        channel_id=channel,
        response_url=bot.slack.response_url(name),
        action={
            "type": "button",
            "action_id": action_id,
            "block_id": block_id,
            "value": value,
            "action_ts": "1700000000.000001",
        },
    )
    body, headers = signing.block_actions(payload)
    assert (await bot.post(body, headers))[0] == 200
    return name


async def ask_review(bot: BotDriver, reviewer: str) -> tuple[int, str]:
    ts, card = the_card(bot)
    before = len(bot.slack.calls("views.open"))
    await press(bot, card["blocks"], Action.ASK_REVIEW, message_ts=ts)
    asking = await opened_view(bot, before)
    pick: dict[str, Any] = {
        Field.REVIEWER: {Field.REVIEWER: {"type": "users_select", "selected_user": reviewer}}
    }
    return await submit(bot, asking, pick)


async def add_action(bot: BotDriver, title: str = "Test the config") -> None:
    ts, card = the_card(bot)
    before = len(bot.slack.calls("views.open"))
    await press(bot, card["blocks"], Action.ADD_ACTION, message_ts=ts)
    view = await opened_view(bot, before)
    assert (await submit(bot, view, action_state(title, CAROL, "2026-03-09"))) == (200, "")


# -- malformed input: refused in the form, never a crash --------------------------------


async def test_a_number_field_with_a_superscript_digit_is_refused_not_a_crash(
    bot: BotDriver, caplog: pytest.LogCaptureFixture
) -> None:
    """`"²".isdigit()` is true but `int("²")` raises: form._whole must use isdecimal (or
    isascii and isdigit, as bot.listeners.fields.whole does) before int()."""
    bot.services.clock.set(MONDAY)
    view = await open_form(bot, "Checkout was down")
    state = opening_state()
    state[Field.DURATION] = {Field.DURATION: {"type": "number_input", "value": "9²"}}
    with caplog.at_level(logging.ERROR):
        status, body = await submit(bot, view, state)
    assert status == 200
    assert UNEXPECTED not in caplog.text
    assert '"errors"' in body and "whole number" in body


@pytest.mark.parametrize(
    "value",
    [
        # a style that isn't an object
        {
            "type": "rich_text",
            "elements": [
                {
                    "type": "rich_text_section",
                    "elements": [{"type": "text", "text": "x", "style": "bold"}],
                }
            ],
        },
        # elements that aren't a list
        {"type": "rich_text", "elements": 5},
        {"type": "rich_text", "elements": [{"type": "rich_text_section", "elements": 5}]},
    ],
    ids=["style-a-string", "elements-a-number", "section-elements-a-number"],
)
async def test_rich_text_of_the_wrong_shape_is_refused_not_a_crash(
    bot: BotDriver, caplog: pytest.LogCaptureFixture, value: dict[str, Any]
) -> None:
    """questions.rich_to_mrkdwn / _block / _leaf trust the shapes: `style.get` on a str,
    iterating an int. They must skip what isn't a list or an object (and form.answered
    then refuses an answer with no words)."""
    await opened(bot)
    with caplog.at_level(logging.ERROR):
        status, body = await answer(bot, Question.LESSONS, value)
    assert status == 200
    assert UNEXPECTED not in caplog.text
    async with bot.services.db.session() as session:
        stored = await coe_q.answers_of(session=session, team_id=TEAM, review_id=1)
    # Refused for want of words, or kept with only what Slack sends (a text, no odd style).
    for answer_row in stored:
        assert answer_row.rich == [
            {"type": "rich_text", "elements": [
                {"type": "rich_text_section", "elements": [{"type": "text", "text": "x"}]}
            ]}
        ]  # fmt: skip


async def test_rich_text_lists_nested_past_recursion_are_refused_not_a_crash(
    bot: BotDriver, caplog: pytest.LogCaptureFixture
) -> None:
    """Slack's lists are flat (`indent`), never nested; questions._block recurses into
    each list item, so 450 lists in each other raise RecursionError. _block must not
    recurse into a list inside a list (treat only rich_text_section as an item)."""
    await opened(bot)
    node: dict[str, Any] = {
        "type": "rich_text_section",
        "elements": [{"type": "text", "text": "deep"}],
    }
    for _ in range(450):
        node = {"type": "rich_text_list", "style": "bullet", "elements": [node]}
    with caplog.at_level(logging.ERROR):
        status, _ = await answer(bot, Question.LESSONS, {"type": "rich_text", "elements": [node]})
    assert status == 200
    assert UNEXPECTED not in caplog.text


async def test_an_answer_only_a_forger_could_write_is_not_stored_as_sent(bot: BotDriver) -> None:
    """form.answered stores the submitted rich_text_value as it came (`rich=[found.rich]`):
    unknown keys, a list inside a list, megabytes the 6,000-character check never sees.
    Reopening the question then puts it in the modal's initial_value, which Slack refuses
    (invalid_blocks), so the answer can never be edited again. The stored value must be
    rebuilt from what rich_to_mrkdwn understood (known types and keys only, flat lists)."""
    await opened(bot)
    forged = {
        "type": "rich_text",
        "elements": [
            {
                "type": "rich_text_section",
                "elements": [{"type": "text", "text": "Test the config", "junk": "x" * 50_000}],
            },
            {
                "type": "rich_text_list",
                "style": "bullet",
                "elements": [
                    {
                        "type": "rich_text_list",
                        "style": "bullet",
                        "elements": [
                            {
                                "type": "rich_text_section",
                                "elements": [{"type": "text", "text": "nested"}],
                            }
                        ],
                    }
                ],
            },
        ],
    }
    assert (await answer(bot, Question.LESSONS, forged)) == (200, "")
    ts, card = the_card(bot)
    before = len(bot.slack.calls("views.open"))
    await press(bot, card["blocks"], Action.QUESTION, message_ts=ts, selected="lessons")
    await opened_view(bot, before)
    reopened = bot.slack.calls("views.open")[-1]
    assert (reopened.response or {}).get("ok"), reopened.response


# -- ids Slack never sends --------------------------------------------------------------


async def test_selected_users_sent_as_a_string_adds_no_writers(bot: BotDriver) -> None:
    """A multi_users_select's `selected_users` is a list; sent as the string "U0BOB", both
    form.opened and writers.on_writers_form iterate its characters and store the writers
    "U", "0", "B", "O" (and DM each). Anything but a list must be refused."""
    bot.services.clock.set(MONDAY)
    view = await open_form(bot, "Checkout was down")
    state = opening_state()
    state[Field.WRITERS] = {
        Field.WRITERS: {"type": "multi_users_select", "selected_users": "U0BOB"}
    }
    await submit(bot, view, state)
    found = await review(bot)
    assert found is None or not found.writers, found.writers if found else None

    if found is None:
        await opened(bot)
    ts, card = the_card(bot)
    before = len(bot.slack.calls("views.open"))
    await press(bot, card["blocks"], Action.WRITERS, message_ts=ts)
    writers = await opened_view(bot, before)
    forged: dict[str, Any] = {
        Field.WRITERS: {Field.WRITERS: {"type": "multi_users_select", "selected_users": "U0BOB"}}
    }
    await submit(bot, writers, forged)
    assert not (await review(bot, json.loads(writers["private_metadata"])["review"])).writers


# -- who may move what ------------------------------------------------------------------


async def test_an_action_form_submitted_once_the_review_is_with_its_bar_raiser_adds_nothing(
    bot: BotDriver,
) -> None:
    """on_add_action refuses while the review is IN_REVIEW, but listeners.on_action_form
    doesn't check the state: a form opened while drafting (or a forged submission) adds an
    action to what the bar raiser is reading. on_action_form must refuse (with an error in
    the form) unless the review is DRAFTING or APPROVED, as on_add_action does."""
    ts, card = await opened(bot)
    await answer_all(bot)
    await add_action(bot, "The first action")
    before = len(bot.slack.calls("views.open"))
    await press(bot, the_card(bot)[1]["blocks"], Action.ADD_ACTION, message_ts=ts)
    late_form = await opened_view(bot, before)  # opened while drafting...
    assert (await ask_review(bot, BOB)) == (200, "")  # ...then the review goes to Bob
    await submit(bot, late_form, action_state("Slipped in during review", CAROL, "2026-03-09"))
    async with bot.services.db.session() as session:
        actions = await q.actions_of(session=session, team_id=TEAM, review_id=1)
    assert [a.title for a in actions] == ["The first action"]


async def test_a_writer_of_the_review_cannot_be_its_bar_raiser(bot: BotDriver) -> None:
    """reviewing.on_reviewer refuses the owner as bar raiser but not a writer the owner
    added: Bob writes the review, then approves what he wrote. on_reviewer must refuse
    anyone in review.writers (and writers.on_writers_form must not add the bar raiser)."""
    bot.services.clock.set(MONDAY)
    view = await open_form(bot, "Checkout was down")
    assert (await submit(bot, view, opening_state(writers=[BOB]))) == (200, "")
    await answer_all(bot)
    await add_action(bot)
    status, body = await ask_review(bot, BOB)
    assert "errors" in body, body
    assert (await review(bot)).reviewer_id is None


async def test_approving_a_review_whose_actions_are_all_closed_marks_them_closed(
    bot: BotDriver,
) -> None:
    """The review's owner may close an action any time (chasing._owned), so every action
    can be closed before approval. flow.action_closed moves APPROVED -> ACTIONS_CLOSED only
    when the last one closes after approval; reviewing.on_approve moves to APPROVED
    regardless, and nothing ever moves it on: the card says Approved with nothing open,
    for good. on_approve must move to ACTIONS_CLOSED when no action is open."""
    ts, _ = await opened(bot)
    await answer_all(bot)
    await add_action(bot)
    name = await forge_press(
        bot, Action.ACTION_DONE, f"{Block.ACTION}:1", "1", user=ALICE, channel="D" + ALICE
    )
    assert "done" in str(the_card(bot)[1]["blocks"]).lower(), name
    assert (await ask_review(bot, BOB)) == (200, "")
    [ask] = [c for c in dms(bot, BOB) if "raise the bar" in str(c.args)]
    await press(bot, blocks_of(ask), Action.APPROVE, user=BOB, channel="D" + BOB)
    assert (await review(bot)).state == "actions_closed"


# -- what a private channel's data may reach ---------------------------------------------


async def test_a_forged_press_does_not_show_a_private_channels_decision(bot: BotDriver) -> None:
    """listeners.on_from_decision opens the form for any decision id of the workspace,
    its text in the title: Bob, in no way part of a /commit made in a private channel,
    reads it by pressing 'Open a Correction of Error' with its id. It must act only for
    someone who could have seen the button (asked about that decision, as the check-back
    does), like door's `may_press` does for its cards."""
    from tests.handlers.commit.steps import form_state, started
    from tests.handlers.commit.steps import open_form as open_commit
    from tests.handlers.commit.steps import submit as submit_commit

    bot.services.clock.set(MONDAY)
    view = await open_commit(bot, "We quietly drop the EU region", channel=PRIVATE)
    state = form_state(decision="We quietly drop the EU region", dissenters=[CAROL])
    status, _ = await submit_commit(bot, view, state, view_id="V0PRIV")
    assert status == 200
    await started(bot)
    before = len(bot.slack.calls("views.open"))
    await forge_press(bot, OPEN_REVIEW, f"{OPEN_REVIEW}:1", "1", user=BOB, channel="D" + BOB)
    shown = [str(c.args.get("view")) for c in bot.slack.calls("views.open")[before:]]
    assert not any("EU region" in s for s in shown), shown


# -- user text in mrkdwn -----------------------------------------------------------------


async def test_a_link_whose_label_is_another_address_is_not_disguised(bot: BotDriver) -> None:
    """questions._leaf writes a rich text link as `<url|label>` whatever the label: a label
    that is itself another address (https://bank.example/login over https://evil.example)
    reaches the approved document as a disguised link, though the module promises nothing
    typed can disguise one. When the label differs from the url it must show the url
    (`label (url)`, as bot.slack.text.readable does), or only the url."""
    ts, _ = await opened(bot)
    await answer_all(bot)
    disguised = {
        "type": "rich_text",
        "elements": [
            {
                "type": "rich_text_section",
                "elements": [
                    {"type": "text", "text": "Log in at "},
                    {
                        "type": "link",
                        "url": "https://evil.example/x",
                        "text": "https://bank.example/login",
                    },
                ],
            }
        ],
    }
    assert (await answer(bot, Question.DATA, disguised)) == (200, "")
    await add_action(bot)
    assert (await ask_review(bot, BOB)) == (200, "")
    [ask] = [c for c in dms(bot, BOB) if "raise the bar" in str(c.args)]
    await press(bot, blocks_of(ask), Action.APPROVE, user=BOB, channel="D" + BOB)
    document = [c for c in bot.slack.calls("chat.postMessage") if c.args.get("thread_ts") == ts]
    whole = "".join(str(blocks_of(c)) for c in document)
    assert "https://bank.example/login" in whole
    assert "<https://evil.example/x|https://bank.example/login>" not in whole
