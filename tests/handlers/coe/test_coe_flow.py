"""/coe from the command to the approved document and the last corrective action closed,
through signed requests, the local Slack and the scheduler's ticks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from handlers.coe.ids import Action, Callback, Field
from handlers.coe.questions import Question
from tests.driver import ALICE, BOB, CAROL, CHANNEL, BotDriver, blocks_of, text_of
from tests.handlers.coe.steps import (
    MONDAY,
    answer,
    answer_all,
    dms,
    open_form,
    opened_view,
    opening_state,
    press,
    rich,
    shown,
    submit,
    the_card,
)
from tests.ticking import tick


def mrkdwn_of(blocks: list[dict[str, Any]]) -> list[str]:
    """Every mrkdwn text in the blocks: what Slack would read markup in."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn":
                found.append(str(node.get("text")))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(blocks)
    return found


def action_state(title: str, owner: str, due: str) -> dict[str, object]:
    return {
        Field.ACTION_TITLE: {Field.ACTION_TITLE: {"type": "plain_text_input", "value": title}},
        Field.OWNER: {Field.OWNER: {"type": "users_select", "selected_user": owner}},
        Field.DUE: {Field.DUE: {"type": "datepicker", "selected_date": due}},
        Field.PRIORITY: {
            Field.PRIORITY: {"type": "static_select", "selected_option": {"value": "high"}}
        },
    }


async def add_action(bot: BotDriver, title: str, owner: str, due: str) -> None:
    ts, message = the_card(bot)
    before = len(bot.slack.calls("views.open"))
    await press(bot, message["blocks"], Action.ADD_ACTION, message_ts=ts)
    view = await opened_view(bot, before)
    assert view["callback_id"] == Callback.ACTION
    assert (await submit(bot, view, action_state(title, owner, due))) == (200, "")


async def test_a_review_from_the_command_to_its_last_action_closed(bot: BotDriver) -> None:
    bot.services.clock.set(MONDAY)

    # 1. The form: the title from the command, the owner the person who ran it, the first
    # draft due two working days later.
    view = await open_form(bot, "Checkout &lt;was&gt; down")
    blocks = {b.get("block_id"): b for b in view["blocks"]}
    assert blocks[Field.TITLE]["element"]["initial_value"] == "Checkout <was> down"
    assert blocks[Field.OWNER]["element"]["initial_user"] == ALICE
    assert blocks[Field.DRAFT_DUE]["element"]["initial_date"] == "2026-03-04"
    assert blocks[Field.CHANNEL]["element"]["initial_conversation"] == CHANNEL
    assert "mechanisms, not people" in str(view["blocks"][0])
    status, body = await submit(bot, view, opening_state(title="Checkout <!channel> was down"))
    assert (status, body) == (200, "")
    ts, card = the_card(bot)
    assert "Drafting" in shown(card) and "0 of 6 questions answered" in shown(card)
    # Shown as typed where Slack renders text literally (the header), never as a ping.
    assert not any("<!channel>" in text for text in mrkdwn_of(card["blocks"]))
    assert "<!channel>" not in card["text"]

    # 2. The seven questions. The security question can't be left empty.
    status, body = await answer(bot, Question.IMPLICATIONS, rich("   "))
    assert status == 200 and "none" in body and "errors" in body
    await answer_all(bot)
    await answer(
        bot, Question.DATA, rich("See ", bold="p99", link="https://grafana.example.com/d/1")
    )
    _, card = the_card(bot)
    assert "6 of 6 questions answered" in shown(card)

    # 3. A corrective action, owned by Carol (Tokyo), due next Monday.
    await add_action(bot, "Add a <test> that reads the config key", CAROL, "2026-03-09")
    _, card = the_card(bot)
    assert "1 corrective action (1 open)" in shown(card) and "&lt;test&gt;" in shown(card)
    assert any("gave you a corrective action" in text_of(c) for c in dms(bot, CAROL))

    # 4. Review: only the owner asks; Bob raises the bar and approves.
    before = len(bot.slack.calls("views.open"))
    await press(bot, card["blocks"], Action.ASK_REVIEW, user=BOB, message_ts=ts)
    assert len(bot.slack.calls("views.open")) == before, "only the owner asks for review"
    await press(bot, card["blocks"], Action.ASK_REVIEW, message_ts=ts)
    view = await opened_view(bot, before)
    own: dict[str, Any] = {
        Field.REVIEWER: {Field.REVIEWER: {"type": "users_select", "selected_user": ALICE}}
    }
    status, body = await submit(bot, view, own)
    assert "other than the owner" in body
    pick: dict[str, Any] = {
        Field.REVIEWER: {Field.REVIEWER: {"type": "users_select", "selected_user": BOB}}
    }
    assert (await submit(bot, view, pick)) == (200, "")
    _, card = the_card(bot)
    assert "In review" in shown(card)
    [ask] = [c for c in dms(bot, BOB) if "raise the bar" in text_of(c)]
    await press(bot, blocks_of(ask), Action.APPROVE, user=CAROL, channel="D" + BOB)
    assert "In review" in shown(the_card(bot)[1]), "only the bar raiser approves"
    await press(bot, blocks_of(ask), Action.APPROVE, user=BOB, channel="D" + BOB)
    _, card = the_card(bot)
    assert "Approved" in shown(card)
    document = [c for c in bot.slack.calls("chat.postMessage") if c.args.get("thread_ts") == ts]
    whole = "".join(shown({"blocks": blocks_of(c), "text": c.args["text"]}) for c in document)
    for title in ("What happened", "Root cause", "Lessons learned", "Corrective actions"):
        assert title in whole
    assert "1. Why? The deploy removed a config key" in whole
    assert "the graph (<https://grafana.example.com/d/1>)" in whole and "*p99*" in whole
    assert "Customers affected: 1200" in whole
    assert any("approved the Correction of Error" in text_of(c) for c in dms(bot, ALICE))

    # 5. The action's owner is asked at 09:00 in Tokyo on its day, and again a week later.
    asked = len(dms(bot, CAROL))
    await tick(bot.services, datetime(2026, 3, 8, 23, 59, tzinfo=UTC))  # 08:59 in Tokyo
    assert len(dms(bot, CAROL)) == asked
    await tick(bot.services, datetime(2026, 3, 9, 0, 1, tzinfo=UTC))
    [due] = dms(bot, CAROL)[asked:]
    assert "due today" in text_of(due) and "&lt;test&gt;" in text_of(due)
    await tick(bot.services, datetime(2026, 3, 10, 0, 1, tzinfo=UTC))
    assert len(dms(bot, CAROL)) == asked + 1, "asked once on the day"
    await tick(bot.services, datetime(2026, 3, 16, 0, 1, tzinfo=UTC))
    [again] = dms(bot, CAROL)[asked + 1 :]
    assert "was due on 2026-03-09" in text_of(again)

    # 6. Done: the card says so, the review's actions are all closed, nobody is asked again.
    await press(bot, blocks_of(again), Action.ACTION_DONE, user=CAROL, channel="D" + CAROL)
    _, card = the_card(bot)
    assert "Actions closed" in shown(card) and "*done*" in shown(card)
    await tick(bot.services, datetime(2026, 3, 23, 0, 1, tzinfo=UTC) + timedelta(hours=1))
    assert len(dms(bot, CAROL)) == asked + 2
