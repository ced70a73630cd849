"""An attacker's pass on /prfaq through signed requests: another workspace, another person
and forged buttons or forms never read or change a PR/FAQ; odd input gets a friendly word,
never a 5xx; what people and the model write reaches Slack escaped."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.model.client import model_client_from
from bot.services import Services
from handlers.prfaq.export import EXPORT
from handlers.prfaq.ids import Action, Callback, Field, Section
from tests.driver import ALICE, BOB, CAROL, CHANNEL, OTHER_TEAM, PRIVATE, TEAM, BotDriver
from tests.fakes.openai_server import FakeOpenAI
from tests.handlers.prfaq.steps import (
    card_in,
    draft,
    open_form,
    opened_view,
    opening_state,
    posts_in,
    press,
    sections_in,
    submit,
    text_state,
)
from tests.signing import post

HOME = "D" + ALICE
MALLORY = "U0MALLORY"
EVIL = ("<!channel>", "<!here>", "<@U0EVIL>", "<https://evil.example")
HOSTILE = "Ping <!channel> <!here> <@U0EVIL|boss> <https://evil.example|click> &lt; *b* _i_ ~s~"


def forged(action: str, block_id: str, value: str = "1") -> list[dict[str, Any]]:
    """A message holding one button Doorway never drew: its block and value made up."""
    button = {
        "type": "button",
        "action_id": action,
        "value": value,
        "text": {"type": "plain_text", "text": "x"},
    }
    return [{"type": "actions", "block_id": block_id, "elements": [button]}]


async def forge_press(
    bot: BotDriver,
    action: str,
    block_id: str,
    *,
    value: str = "1",
    user: str = MALLORY,
    team: str = TEAM,
    channel: str = CHANNEL,
) -> str:
    """Press a forged button; what the presser was told."""
    status, body, name = await bot.click(
        forged(action, block_id, value), action, user=user, team=team, channel=channel
    )
    assert status == 200 and "Traceback" not in body
    return " ".join(str(c.args.get("text")) for c in bot.responses(name))


def users(*ids: str) -> dict[str, Any]:
    return {
        Field.READERS: {Field.READERS: {"type": "multi_users_select", "selected_users": list(ids)}}
    }


def conversation(channel: str) -> dict[str, Any]:
    return {
        Field.CHANNEL: {
            Field.CHANNEL: {"type": "conversations_select", "selected_conversation": channel}
        }
    }


async def share(bot: BotDriver, values: dict[str, Any]) -> None:
    """The author widens the circle by one, through the card's button and the form."""
    ts, card = card_in(bot, HOME)
    before = len(bot.slack.calls("views.open"))
    await press(bot, card, Action.SHARE, channel=HOME, ts=ts)
    view = await opened_view(bot, before)
    assert (await submit(bot, view, values)) == (200, "")


async def exported(bot: BotDriver) -> list[dict[str, Any]]:
    return await EXPORT.collect(bot.services.db, None, None)


def mrkdwn_shown(bot: BotDriver) -> str:
    """Every text Slack would parse for mentions and links, in every call the bot made:
    mrkdwn in blocks and views, and messages' fallback text (plain text isn't parsed)."""
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

    for call in bot.slack.calls():
        args = dict(call.args)
        for key in ("blocks", "view"):
            if isinstance(args.get(key), str):
                args[key] = json.loads(args[key])
        walk(args.get("blocks"))
        walk(args.get("view"))
        if call.method in ("chat.postMessage", "chat.update", "chat.postEphemeral", "response_url"):
            found.append(str(args.get("text", "")))
    return "\n".join(found)


async def test_another_workspace_can_neither_press_nor_submit_on_a_prfaq(bot: BotDriver) -> None:
    await draft(bot)
    before = await exported(bot)
    opened = len(bot.slack.calls("views.open"))
    for action, block in (
        (Action.SHARE, "prfaq_card:1"),
        (Action.READ, "prfaq_card:1"),
        (Action.HISTORY, "prfaq_card:1"),
        (Action.DONE_READING, "prfaq_reader:1"),
        (Action.ASK, "prfaq_reader:1"),
    ):
        said = await forge_press(bot, action, block, team=OTHER_TEAM)
        assert "isn't here any more" in said or "hasn't been shared with you" in said, action
    said = await forge_press(
        bot, Action.REVISE, "prfaq_section:1:problem", value="problem", team=OTHER_TEAM
    )
    assert "isn't here any more" in said
    assert len(bot.slack.calls("views.open")) == opened  # nothing of T1's was shown

    forms = (
        (
            Callback.REVISE,
            text_state(Field.TEXT, "Hijacked"),
            {"prfaq": 1, "section": "problem", "version": 1},
        ),
        (Callback.SHARE, users(MALLORY), {"prfaq": 1, "to": 1}),
        (Callback.SHARE, conversation("C0ELSEWHERE"), {"prfaq": 1, "to": 3}),
        (Callback.ASK, text_state(Field.QUESTION, "Hijacked?"), {"prfaq": 1, "channel": CHANNEL}),
    )
    for callback, values, meta in forms:
        status, body = await bot.submit(
            callback, values, user=MALLORY, team=OTHER_TEAM, private_metadata=json.dumps(meta)
        )
        assert status == 200 and '"errors"' in body, callback
    assert await exported(bot) == before
    assert not [c for c in bot.slack.calls("chat.postMessage") if "Hijacked" in str(c.args)]


async def test_forged_forms_on_someone_elses_prfaq_are_refused(bot: BotDriver) -> None:
    await draft(bot)  # Alice's, #1
    await draft(bot, user=BOB)  # Bob's, #2
    before = await exported(bot)
    # Carol, of the same workspace, was asked by nobody: every button and form refuses her.
    for action in (Action.READ, Action.HISTORY, Action.DONE_READING, Action.ASK):
        said = await forge_press(bot, action, "prfaq_card:1", user=CAROL, channel="D" + CAROL)
        assert "hasn't been shared with you" in said, action
    # Nor the author's buttons: not even who wrote it is said to someone it wasn't shown.
    for action in (Action.SHARE, Action.REVISE):
        said = await forge_press(
            bot, action, "prfaq_section:1:problem", value="problem", user=CAROL
        )
        assert "hasn't been shared with you" in said and ALICE not in said, action
    # Alice presses Revise on a section of Bob's PR/FAQ, or names it in her own form.
    said = await forge_press(
        bot, Action.REVISE, "prfaq_section:2:problem", value="problem", user=ALICE
    )
    assert "hasn't been shared with you" in said and BOB not in said
    for user, meta in ((CAROL, {"prfaq": 1}), (ALICE, {"prfaq": 2})):
        revise = {**meta, "section": "problem", "version": 1}
        status, body = await bot.submit(
            Callback.REVISE,
            text_state(Field.TEXT, "Forged"),
            user=user,
            private_metadata=json.dumps(revise),
        )
        assert "Only the PR/FAQ's author" in body
        status, body = await bot.submit(
            Callback.SHARE,
            users(MALLORY),
            user=user,
            private_metadata=json.dumps({**meta, "to": 1}),
        )
        assert "Only its author shares it" in body
    status, body = await bot.submit(
        Callback.ASK,
        text_state(Field.QUESTION, "Forged?"),
        user=CAROL,
        private_metadata=json.dumps({"prfaq": 1, "channel": HOME}),
    )
    assert "hasn't been shared with you" in body
    assert await exported(bot) == before
    # Carol, asked to review it, reads it; revising and sharing stay the author's.
    await share(bot, users(CAROL))
    for action in (Action.SHARE, Action.REVISE):
        said = await forge_press(
            bot, action, "prfaq_section:1:problem", value="problem", user=CAROL
        )
        assert "Only its author" in said, action


async def test_an_ask_form_cannot_claim_the_channel_it_was_shared_in(bot: BotDriver) -> None:
    """Shared in a private channel, the PR/FAQ is for that channel's people: a question form
    whose metadata names the channel, from someone who never pressed there, is refused."""
    await draft(bot)
    await share(bot, users(BOB))
    await share(bot, users(CAROL))
    await share(bot, conversation(PRIVATE))
    _, in_private = card_in(bot, PRIVATE)
    # Mallory, not in the channel, presses nothing there: she forges the form outright.
    status, body = await bot.submit(
        Callback.ASK,
        text_state(Field.QUESTION, "Injected by someone outside?"),
        user=MALLORY,
        private_metadata=json.dumps({"prfaq": 1, "channel": PRIVATE}),
    )
    assert "hasn't been shared with you" in body
    [entry] = await exported(bot)
    assert "Injected" not in entry["sections"]["internal_faq"]["text"]
    # Nor may she press the card's buttons from a channel she is in.
    said = await forge_press(bot, Action.READ, "prfaq_card:1", channel=CHANNEL)
    assert "hasn't been shared with you" in said
    # Dave, in the channel, asks through the card there: that works.
    before = len(bot.slack.calls("views.open"))
    await press(bot, in_private, Action.ASK, user="U0DAVE", channel=PRIVATE)
    view = await opened_view(bot, before)
    asked = text_state(Field.QUESTION, "Asked from the channel?")
    status, body = await submit(bot, view, asked, user="U0DAVE")
    assert status == 200 and "Question sent" in body
    [entry] = await exported(bot)
    assert "Asked from the channel?" in entry["sections"]["internal_faq"]["text"]
    assert [r["questions"] for r in entry["readers"] if r["user_id"] == "U0DAVE"] == [1]


async def test_it_is_shared_only_in_a_private_channel_its_author_is_in(bot: BotDriver) -> None:
    bot.slack.add_channel("G0BOARD", name="board", is_private=True, members=[BOB])
    await draft(bot)
    await share(bot, users(BOB))
    await share(bot, users(CAROL))
    await share(bot, conversation("G0BOARD"))  # a form's choice, as a forged one may say
    assert posts_in(bot, "G0BOARD") == []
    assert bot.slack.workspace.canvas_docs == {}
    [entry] = await exported(bot)
    assert entry["shared_with"] == "wider" and entry["channel_id"] == CHANNEL
    assert "couldn't confirm you're in that private channel" in json.dumps(
        posts_in(bot, HOME)[-1].args
    )
    _, card = card_in(bot, HOME)
    assert "Share in the channel" in json.dumps(card)  # there to try again
    await share(bot, conversation(PRIVATE))  # one she is in
    card_in(bot, PRIVATE)


async def test_the_five_questions_form_cannot_claim_a_private_channel(bot: BotDriver) -> None:
    bot.slack.add_channel("G0BOARD", name="board", is_private=True, members=[BOB])
    status, body = await bot.submit(
        Callback.OPEN, opening_state(), private_metadata=json.dumps({"channel": "G0BOARD"})
    )
    assert (status, body) == (200, "")
    # Run in the private channel she is in, the form keeps it.
    status, _, _ = await bot.command("/prfaq", "Instant refunds", channel=PRIVATE)
    view = await opened_view(bot, 0)
    assert (await submit(bot, view, opening_state())) == (200, "")
    assert [e["channel_id"] for e in await exported(bot)] == [ALICE, PRIVATE]
    assert posts_in(bot, "G0BOARD") == []


async def test_shared_with_reviewers_it_is_seen_by_them_and_the_author_only(
    bot: BotDriver,
) -> None:
    view = await open_form(bot, "Project Nightingale")
    assert (await submit(bot, view, opening_state(idea="Project Nightingale"))) == (200, "")
    await share(bot, users(BOB))
    for person in (ALICE, BOB, CAROL):
        await bot.event(
            {"type": "app_home_opened", "user": person, "tab": "home", "event_ts": "1.1"}
        )
    _, _, digest = await bot.command("/digest", "now", user=CAROL)
    await bot.response(digest)
    _, searched, _ = await bot.command("/decisions", "Nightingale", user=CAROL)
    assert "Nightingale" not in searched
    # Every call that showed it: the author's DM and forms, and Bob's DM; nothing else.
    for call in bot.slack.calls():
        if "Nightingale" in json.dumps(call.args):
            where = call.args.get("channel") or call.args.get("user_id")
            assert where in (HOME, "D" + BOB) or call.method == "views.open", call.method
    assert [c for c in bot.slack.calls("views.open") if "Nightingale" in json.dumps(c.args)]
    assert bot.slack.workspace.canvas_docs == {}
    assert posts_in(bot, CHANNEL) == []


async def test_circles_are_not_skipped_and_stale_versions_are_refused(bot: BotDriver) -> None:
    await draft(bot)
    # Straight to the channel (or the wider circle) from the author alone: nothing moves.
    for to, values in ((3, conversation(CHANNEL)), (2, users(BOB))):
        status, body = await bot.submit(
            Callback.SHARE, values, private_metadata=json.dumps({"prfaq": 1, "to": to})
        )
        assert status == 200
    [entry] = await exported(bot)
    assert entry["shared_with"] == "author" and entry["readers"] == []
    assert not [c for c in bot.slack.calls("chat.postMessage") if c.args["channel"] == CHANNEL]
    # Versions the section never had: negative, stale, or absurd.
    for version, said in (
        (-1, "out of date"),
        (0, "changed since"),
        (7, "changed since"),
        (2**40, "out of date"),
    ):
        meta = {"prfaq": 1, "section": "problem", "version": version}
        status, body = await bot.submit(
            Callback.REVISE, text_state(Field.TEXT, "Stale"), private_metadata=json.dumps(meta)
        )
        assert status == 200 and said in body, version
    assert "Stale" not in json.dumps(await exported(bot))


@pytest.mark.parametrize(
    ("callback", "meta", "values"),
    [
        (Callback.OPEN, "not json", opening_state()),
        (Callback.REVISE, "[1, 2]", text_state(Field.TEXT, "x")),
        (
            Callback.REVISE,
            '{"prfaq": "1", "section": "problem", "version": 1}',
            text_state(Field.TEXT, "x"),
        ),
        (
            Callback.REVISE,
            '{"prfaq": 1, "section": "nonsense", "version": 1}',
            text_state(Field.TEXT, "x"),
        ),
        (
            Callback.REVISE,
            '{"prfaq": true, "section": "problem", "version": 1}',
            text_state(Field.TEXT, "x"),
        ),
        (Callback.SHARE, '{"prfaq": 1, "to": 0}', users(BOB)),
        (Callback.SHARE, '{"prfaq": 1, "to": 9}', users(BOB)),
        (Callback.SHARE, '{"prfaq": 1}', users(BOB)),
        (Callback.ASK, '{"prfaq": 1.5}', text_state(Field.QUESTION, "x")),
        (Callback.ASK, '{"prfaq": 1}', {"question": "not a block"}),
        (Callback.REVISE, '{"prfaq": 1, "section": "problem", "version": 1}', {}),
    ],
)
async def test_odd_metadata_and_state_get_a_friendly_word_not_a_5xx(
    bot: BotDriver, callback: str, meta: str, values: dict[str, Any]
) -> None:
    await draft(bot)
    status, body = await bot.submit(callback, values, private_metadata=meta)
    assert status == 200 and "out of date" in body and "Traceback" not in body


async def test_odd_buttons_get_a_friendly_word(bot: BotDriver) -> None:
    await draft(bot)
    for block in (
        "prfaq_card",
        "prfaq_card:",
        "prfaq_card:-1",
        "prfaq_card:1e9",
        "prfaq_card:99999999999999999999",
    ):
        said = await forge_press(bot, Action.READ, block, user=ALICE)
        assert "incomplete" in said or "isn't here" in said, block
    said = await forge_press(bot, Action.REVISE, "prfaq_section:1:x", value="nonsense", user=ALICE)
    assert "That section isn't in this PR/FAQ" in said


async def test_inputs_longer_than_slack_allows_are_refused(bot: BotDriver) -> None:
    view = await open_form(bot)
    status, body = await submit(bot, view, opening_state(idea="i" * 10_000, customer="c" * 10_000))
    assert '"errors"' in body and "Up to 200 characters" in body and "Up to 2,000" in body
    await draft(bot)
    for section, limit in ((Section.HEADING, 150), (Section.INTERNAL_FAQ, 2900)):
        meta = {"prfaq": 1, "section": section.value, "version": 1}
        status, body = await bot.submit(
            Callback.REVISE, text_state(Field.TEXT, "x" * 3001), private_metadata=json.dumps(meta)
        )
        assert f"Up to {limit:,} characters" in body
    status, body = await bot.submit(
        Callback.ASK,
        text_state(Field.QUESTION, "q" * 10_000),
        private_metadata=json.dumps({"prfaq": 1}),
    )
    assert "Up to 1,000 characters" in body
    many = [f"U0{n:05d}" for n in range(500)]
    status, body = await bot.submit(
        Callback.SHARE, users(*many), private_metadata=json.dumps({"prfaq": 1, "to": 1})
    )
    assert "Up to 5 people" in body
    [entry] = await exported(bot)
    assert entry["readers"] == [] and {h["version"] for h in entry["history"]} == {1}


async def test_unsigned_or_badly_signed_requests_are_refused_before_the_room(
    bot: BotDriver,
) -> None:
    await draft(bot)
    payload = {
        "type": "view_submission",
        "team": {"id": "T0DOORWAY"},
        "user": {"id": MALLORY},
        "view": {
            "type": "modal",
            "callback_id": "prfaq_ask",
            "private_metadata": '{"prfaq": 1}',
            "state": {"values": text_state(Field.QUESTION, "Unsigned?")},
        },
    }
    body = "payload=" + json.dumps(payload)
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    status, _ = await post(bot.events_url, body, form)
    assert status == 401
    bad = {**form, "X-Slack-Request-Timestamp": "1700000000", "X-Slack-Signature": "v0=00"}
    status, _ = await post(bot.events_url, body, bad)
    assert status == 401
    [entry] = await exported(bot)
    assert "Unsigned" not in entry["sections"]["internal_faq"]["text"]


async def test_what_people_write_reaches_slack_escaped_in_every_field(bot: BotDriver) -> None:
    answers = {
        name.value: f"{HOSTILE} {name.value}"
        for name in (Field.CUSTOMER, Field.PROBLEM, Field.BENEFIT, Field.EVIDENCE, Field.EXPERIENCE)
    }
    view = await open_form(bot, "Idea &lt;!channel&gt;")
    assert (await submit(bot, view, opening_state(idea=HOSTILE, **answers))) == (200, "")
    for section in Section:
        meta = {"prfaq": 1, "section": section.value, "version": 1}
        status, body = await bot.submit(
            Callback.REVISE,
            text_state(Field.TEXT, f"Q: {HOSTILE}\nA: {HOSTILE}"[: section.spec.limit]),
            private_metadata=json.dumps(meta),
        )
        assert (status, body) == (200, ""), section
    await share(bot, users(BOB))
    await share(bot, users(CAROL))
    await share(bot, conversation(CHANNEL))
    _, card = card_in(bot, CHANNEL)
    before = len(bot.slack.calls("views.open"))
    await press(bot, card, Action.ASK, user=BOB)
    asked = text_state(Field.QUESTION, HOSTILE)
    status, body = await submit(bot, await opened_view(bot, before), asked, user=BOB)
    assert status == 200 and "Question sent" in body
    assert "<!channel>" not in body and "<https://evil" not in body, "escaped in the reply too"
    for action in (Action.READ, Action.HISTORY):
        await press(bot, card_in(bot, CHANNEL)[1], action, user=BOB)
    shown = mrkdwn_shown(bot)
    assert "@channel" in shown and "click (https://evil.example)" in shown
    for mention in EVIL:
        assert mention not in shown, mention
    [canvas] = bot.slack.workspace.canvas_docs.values()
    for mention in EVIL:
        assert mention not in canvas["title"] and mention not in canvas["markdown"], mention


@pytest.fixture
async def hostile_model(services: Services) -> AsyncIterator[FakeOpenAI]:
    faq = [{"question": HOSTILE, "answer": HOSTILE}]
    reply: dict[str, Any] = {s.value: HOSTILE for s in Section}
    reply.update(external_faq=faq, internal_faq=faq)
    async with FakeOpenAI(content=json.dumps(reply)) as fake:
        services.model = model_client_from("test-key", fake.base_url, "test-model", timeout=2.0)
        yield fake


async def test_the_models_mentions_and_links_reach_slack_escaped(
    bot: BotDriver, hostile_model: FakeOpenAI
) -> None:
    await draft(bot)
    _, card = card_in(bot, HOME)
    assert "written by the model" in json.dumps(card)
    assert len(sections_in(bot, HOME)) == len(Section)
    shown = mrkdwn_shown(bot)
    for mention in EVIL:
        assert mention not in shown, mention
