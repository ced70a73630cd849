"""/prfaq from the five questions to a PR/FAQ shared with the channel, through signed
requests and the local Slack: the draft, a revision, the circles, a reader's question."""

from __future__ import annotations

from typing import Any

from handlers.prfaq.ids import Action, Callback, Field, Section
from tests.driver import ALICE, BOB, CAROL, CHANNEL, BotDriver
from tests.handlers.prfaq.steps import (
    card_in,
    draft,
    open_form,
    opened_view,
    press,
    sections_in,
    shown,
    submit,
    text_state,
)

HOME = "D" + ALICE


def dms_to(bot: BotDriver, user: str) -> list[str]:
    return [
        shown({"blocks": c.args.get("blocks") or [], "text": c.args.get("text")})
        for c in bot.slack.calls("chat.postMessage")
        if c.args.get("channel") == "D" + user
    ]


async def test_the_form_asks_the_five_customer_questions_with_the_idea_filled_in(
    bot: BotDriver,
) -> None:
    view = await open_form(bot, "Instant &lt;refunds&gt;")
    assert view["callback_id"] == Callback.OPEN
    labels = [b["label"]["text"] for b in view["blocks"] if b["type"] == "input"]
    assert labels[0] == "The idea, in a line"
    assert labels[1:] == [
        "Who is the customer?",
        "What is their problem or opportunity?",
        "What is the most important customer benefit?",
        "How do we know what they need?",
        "What does the customer experience look like?",
    ]
    idea = next(b for b in view["blocks"] if b.get("block_id") == Field.IDEA)
    assert idea["element"]["initial_value"] == "Instant <refunds>"


async def test_an_unanswered_question_is_named_in_the_form(bot: BotDriver) -> None:
    view = await open_form(bot)
    from tests.handlers.prfaq.steps import opening_state

    status, body = await submit(bot, view, opening_state(benefit="  "))
    assert status == 200 and '"errors"' in body and Field.BENEFIT.value in body
    assert not bot.slack.calls("chat.postMessage")


async def test_without_a_model_the_template_drafts_it_in_the_authors_dm(bot: BotDriver) -> None:
    await draft(bot, customer="Shops <!channel> that sell & ship")
    ts, card = card_in(bot, HOME)
    text = shown(card)
    assert "PR/FAQ: Instant refunds" in text
    assert "Doorway's template" in text and "no model is configured" in text
    assert "marked gaps left to write" in text
    assert "within a page" in text
    assert "only its author so far" in text

    sections = sections_in(bot, HOME)
    assert list(sections) == [s.spec.title for s in Section]
    sub = shown(sections["Subheading"])
    # The author's words, escaped: a broadcast is a plain word, the ampersand an entity.
    assert "Shops @channel that" in sub and "<!channel>" not in sub and "&amp; ship" in sub
    assert "Refunds take a week" in shown(sections["Problem"])
    assert "[TO WRITE: city]" in shown(sections["Summary"])
    assert "40% of support tickets" in shown(sections["Internal FAQ"])
    # Nothing in the channel yet: it is the author's until they share it.
    assert not [c for c in bot.slack.calls("chat.postMessage") if c.args["channel"] == CHANNEL]


async def test_the_author_revises_a_section_and_the_history_says_who_and_when(
    bot: BotDriver,
) -> None:
    await draft(bot)
    problem = sections_in(bot, HOME)["Problem"]
    before = len(bot.slack.calls("views.open"))
    await press(bot, problem, Action.REVISE, channel=HOME, value=Section.PROBLEM.value)
    view = await opened_view(bot, before)
    assert view["callback_id"] == Callback.REVISE
    assert "Refunds take a week" in shown(view)
    status, body = await submit(bot, view, text_state(Field.TEXT, "Waiting a week for <money>"))
    assert (status, body) == (200, "")
    problem = sections_in(bot, HOME)["Problem"]
    assert "Waiting a week for &lt;money&gt;" in shown(problem)
    assert f"Version 2, by <@{ALICE}>" in shown(problem)

    # The same form saved again is over a version that is gone: it is refused, not lost.
    status, body = await submit(bot, view, text_state(Field.TEXT, "An older idea"))
    assert "changed since you opened it" in body
    assert "An older idea" not in shown(sections_in(bot, HOME)["Problem"])

    _, card = card_in(bot, HOME)
    before = len(bot.slack.calls("views.open"))
    await press(bot, card, Action.HISTORY, channel=HOME)
    history = shown(await opened_view(bot, before))
    assert f"*Problem*, version 2: <@{ALICE}>" in history
    assert "*Problem*, version 1: the template" in history and "first draft" in history


async def test_only_the_author_revises(bot: BotDriver) -> None:
    await draft(bot)
    problem = sections_in(bot, HOME)["Problem"]
    before = len(bot.slack.calls("views.open"))
    name = await press(bot, problem, Action.REVISE, user=BOB, channel=HOME, value="problem")
    assert len(bot.slack.calls("views.open")) == before
    [answer] = bot.responses(name)
    assert "hasn't been shared with you" in str(answer.args.get("text"))


async def test_circles_widen_from_reviewers_to_the_channel(bot: BotDriver) -> None:
    await draft(bot)
    ts, card = card_in(bot, HOME)

    # 1. A few reviewers: Bob is asked by DM.
    before = len(bot.slack.calls("views.open"))
    await press(bot, card, Action.SHARE, channel=HOME, ts=ts)
    view = await opened_view(bot, before)
    picked: dict[str, Any] = {
        Field.READERS: {Field.READERS: {"type": "multi_users_select", "selected_users": [BOB]}}
    }
    assert (await submit(bot, view, picked)) == (200, "")
    [ask] = [d for d in dms_to(bot, BOB) if "asks you to read" in d]
    assert "Instant refunds" in ask and "a few reviewers" in ask
    _, card = card_in(bot, HOME)
    assert f"a few reviewers: <@{BOB}>" in shown(card) and "nobody yet" in shown(card)

    # 2. Bob reads it and asks a question: it goes into the internal FAQ, Alice hears.
    bob_dm = next(
        bot.slack.messages[("D" + BOB, str(c.posted_ts or (c.response or {})["ts"]))]
        for c in bot.slack.calls("chat.postMessage")
        if c.args["channel"] == "D" + BOB
    )
    bob_ts = next(ts for (ch, ts), m in bot.slack.messages.items() if m is bob_dm)
    await press(bot, bob_dm, Action.DONE_READING, user=BOB, channel="D" + BOB, ts=bob_ts)
    _, card = card_in(bot, HOME)
    assert f"*Read by:* <@{BOB}> (1 of 1 asked)" in shown(card)
    bob_dm = bot.slack.messages[("D" + BOB, bob_ts)]
    assert "You've read it" in shown(bob_dm) and Action.DONE_READING.value not in shown(bob_dm)
    before = len(bot.slack.calls("views.open"))
    await press(bot, bob_dm, Action.ASK, user=BOB, channel="D" + BOB)
    view = await opened_view(bot, before)
    asked = text_state(Field.QUESTION, "What stops a <fraudster> returning an empty box?")
    status, body = await submit(bot, view, asked, user=BOB)
    assert status == 200 and "goes into its internal FAQ" in body, "Bob is told where it went"
    faq = shown(sections_in(bot, HOME)["Internal FAQ"])
    assert "Q: What stops a &lt;fraudster&gt; returning an empty box?" in faq
    assert f"by <@{BOB}>" in faq
    assert any("asked about" in d and "fraudster" in d for d in dms_to(bot, ALICE))

    # Carol was not asked: she can't read it or ask about it.
    name = await press(bot, bob_dm, Action.READ, user=CAROL, channel="D" + CAROL)
    [refused] = bot.responses(name)
    assert "hasn't been shared with you" in str(refused.args.get("text"))

    # 3. A wider circle: Carol.
    _, card = card_in(bot, HOME)
    before = len(bot.slack.calls("views.open"))
    await press(bot, card, Action.SHARE, channel=HOME, ts=ts)
    view = await opened_view(bot, before)
    assert "wider circle" in shown(view)
    picked = {
        Field.READERS: {
            Field.READERS: {"type": "multi_users_select", "selected_users": [CAROL, BOB]}
        }
    }
    assert (await submit(bot, view, picked)) == (200, "")
    assert any("a wider circle" in d for d in dms_to(bot, CAROL))
    assert len([d for d in dms_to(bot, BOB) if "asks you to read" in d]) == 1  # not twice

    # 4. The channel: the card and the document in its thread, and a canvas.
    _, card = card_in(bot, HOME)
    before = len(bot.slack.calls("views.open"))
    await press(bot, card, Action.SHARE, channel=HOME, ts=ts)
    view = await opened_view(bot, before)
    assert (
        await submit(
            bot,
            view,
            {
                Field.CHANNEL: {
                    Field.CHANNEL: {
                        "type": "conversations_select",
                        "selected_conversation": CHANNEL,
                    }
                }
            },
        )
    ) == (200, "")
    _, in_channel = card_in(bot, CHANNEL)
    assert f"the channel <#{CHANNEL}>" in shown(in_channel)
    assert list(sections_in(bot, CHANNEL)) == [s.spec.title for s in Section]
    [canvas] = bot.slack.workspace.canvas_docs.values()
    assert canvas["channel_id"] == CHANNEL and "fraudster" in canvas["markdown"]
    _, card = card_in(bot, HOME)
    assert Action.SHARE.value not in shown(card)  # the widest circle

    # Anyone in the channel can say they've read it now.
    await press(bot, in_channel, Action.DONE_READING, user="U0DAVE")
    _, card = card_in(bot, HOME)
    assert "<@U0DAVE>" in shown(card)
