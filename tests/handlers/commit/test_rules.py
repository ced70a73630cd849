"""The commit room's pure logic: the form, the timing, the verdict and a person's record."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from handlers.commit.form import Person, Submission, prefill, problems, read
from handlers.commit.ids import Answer, Field
from handlers.commit.outcomes import record, verdict
from handlers.commit.timing import after_a_working_day
from storage.models import Commitment, Dissent

TODAY = date(2026, 3, 2)
ALICE, BOB, CAROL = "U0ALICE", "U0BOB", "U0CAROL"


@pytest.mark.parametrize(
    ("text", "decision", "dissenters"),
    [
        ("<@U0BOB|bob> <@U0CAROL|carol> We ship on Friday", "We ship on Friday", [BOB, CAROL]),
        ("<@U0BOB>, <@U0CAROL> and We ship on Friday", "We ship on Friday", [BOB, CAROL]),
        ("<@U0BOB> <@U0BOB> ship it", "ship it", [BOB]),
        (
            "We ship on Friday, over <@U0BOB|bob>'s objection",
            "We ship on Friday, over @bob's objection",
            [BOB],
        ),
        ("<@U0ALICE|alice> <@U0BOB> Ship &amp; tell", "Ship & tell", [BOB]),
        ("<@U0BOB> &amp; <@U0CAROL> ship", "ship", [BOB, CAROL]),
        # An escaped `<` after the mentions is text, not a separator to drop.
        ("<@U0BOB> &lt;b&gt; is bold now", "<b> is bold now", [BOB]),
        ("", "", []),
        ("Just a decision", "Just a decision", []),
    ],
)
def test_prefill_takes_dissenters_from_mentions(
    text: str, decision: str, dissenters: list[str]
) -> None:
    filled = prefill(text, author=ALICE)
    assert (filled.decision, filled.dissenters) == (decision, dissenters)


def test_prefill_keeps_at_most_ten_dissenters() -> None:
    text = " ".join(f"<@U{i:03d}>" for i in range(15)) + " Ship it"
    assert len(prefill(text, author=ALICE).dissenters) == 10


def state(**fields: object) -> dict:
    values: dict[Field, dict[str, Any]] = {
        Field.DECISION: {"type": "plain_text_input", "value": "We ship on Friday"},
        Field.OWNER: {"type": "users_select", "selected_user": ALICE},
        Field.DISSENTERS: {"type": "multi_users_select", "selected_users": [BOB, CAROL]},
        Field.SUMMARY: {"type": "plain_text_input", "value": None},
        Field.CHECK_BACK: {"type": "datepicker", "selected_date": "2026-03-16"},
    }
    for name, value in fields.items():
        key = next(
            k
            for k in ("value", "selected_user", "selected_users", "selected_date")
            if k in values[Field(name)]
        )
        values[Field(name)][key] = value
    return {"state": {"values": {k.value: {k.value: v} for k, v in values.items()}}}


PEOPLE = {
    ALICE: Person(ALICE, "Alice"),
    BOB: Person(BOB, "Bob"),
    CAROL: Person(CAROL, "Carol"),
    "U0BOT": Person("U0BOT", "Deploybot", is_bot=True),
    "U0GONE": Person("U0GONE", "Gone", deleted=True),
}


def test_a_good_form_has_no_problems() -> None:
    form = read(state())
    assert form == Submission("We ship on Friday", ALICE, [BOB, CAROL], "", date(2026, 3, 16))
    assert form.people == [ALICE, BOB, CAROL]
    assert problems(form, today=TODAY, people=PEOPLE) == {}


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"decision": "   "}, Field.DECISION, "what was decided"),
        ({"owner": None}, Field.OWNER, "who owns"),
        ({"owner": "U0BOT"}, Field.OWNER, "Deploybot is a bot"),
        ({"dissenters": []}, Field.DISSENTERS, "at least one"),
        ({"dissenters": [BOB, ALICE]}, Field.DISSENTERS, "Alice owns the decision"),
        ({"dissenters": [BOB, BOB]}, Field.DISSENTERS, "Bob is listed twice"),
        ({"dissenters": ["U0BOT"]}, Field.DISSENTERS, "Deploybot is a bot"),
        ({"dissenters": ["USLACKBOT"]}, Field.DISSENTERS, "is a bot"),
        ({"dissenters": ["U0GONE"]}, Field.DISSENTERS, "Gone's account is deactivated"),
        ({"dissenters": [f"U{i}" for i in range(11)]}, Field.DISSENTERS, "Up to 10"),
        ({"check_back": None}, Field.CHECK_BACK, "Pick the day"),
        ({"check_back": "2026-03-02"}, Field.CHECK_BACK, "after today"),
        ({"check_back": "2027-06-01"}, Field.CHECK_BACK, "within the next year"),
    ],
)
def test_bad_input_is_reported_next_to_its_field(change: dict, field: Field, words: str) -> None:
    found = problems(read(state(**change)), today=TODAY, people=PEOPLE)
    assert list(found) == [field]
    assert words in found[field]


LONDON, TOKYO = ZoneInfo("Europe/London"), ZoneInfo("Asia/Tokyo")


@pytest.mark.parametrize(
    ("asked", "zone", "reminded"),
    [
        # Monday 15:00 in London -> Tuesday 15:00
        (datetime(2026, 3, 2, 15, 0, tzinfo=UTC), LONDON, datetime(2026, 3, 3, 15, 0, tzinfo=UTC)),
        # Friday 15:00 -> Monday 15:00: the weekend doesn't count
        (datetime(2026, 3, 6, 15, 0, tzinfo=UTC), LONDON, datetime(2026, 3, 9, 15, 0, tzinfo=UTC)),
        # Saturday -> the working day starts Monday 09:00, so Tuesday 09:00
        (datetime(2026, 3, 7, 12, 0, tzinfo=UTC), LONDON, datetime(2026, 3, 10, 9, 0, tzinfo=UTC)),
        # Friday 23:30 UTC is already Saturday morning in Tokyo
        (datetime(2026, 3, 6, 23, 30, tzinfo=UTC), TOKYO, datetime(2026, 3, 10, 0, 0, tzinfo=UTC)),
        # Friday before the clocks change in London: Monday at the same wall-clock time
        (datetime(2026, 3, 27, 10, 0, tzinfo=UTC), LONDON, datetime(2026, 3, 30, 9, 0, tzinfo=UTC)),
    ],
)
def test_the_reminder_comes_after_a_working_day(
    asked: datetime, zone: ZoneInfo, reminded: datetime
) -> None:
    assert after_a_working_day(asked, zone) == reminded


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ([], None),
        ([None, None], None),
        (["too_early"], Answer.TOO_EARLY),
        (["held_up", "held_up", "concerns_right"], Answer.HELD_UP),
        (["held_up", "concerns_right"], Answer.MIXED),
        (["concerns_right", "too_early", None], Answer.CONCERNS_RIGHT),
        (["mixed"], Answer.MIXED),
    ],
)
def test_the_verdict_is_the_most_common_answer(answers: list, expected: Answer | None) -> None:
    assert verdict(answers) == expected


def decision(n: int, outcome: str | None, owner: str = ALICE) -> Commitment:
    return Commitment(
        id=n,
        team_id="T",
        channel_id="C",
        author_id=owner,
        owner_id=owner,
        text=f"decision {n}",
        door="two_way",
        door_source="rules",
        request_key=str(n),
        status="closed" if outcome else "shared",
        verdict=outcome,
        created_at=datetime(2026, 1, n, tzinfo=UTC),
    )


def test_a_record_counts_how_often_the_concerns_were_right() -> None:
    dissents = [
        (
            decision(1, "concerns_right"),
            Dissent(team_id="T", decision_id=1, user_id=BOB, state="committed"),
        ),
        (
            decision(2, "held_up"),
            Dissent(team_id="T", decision_id=2, user_id=BOB, state="committed"),
        ),
        (
            decision(3, "too_early"),
            Dissent(team_id="T", decision_id=3, user_id=BOB, state="not_yet"),
        ),
        (decision(4, None), Dissent(team_id="T", decision_id=4, user_id=BOB, state="pending")),
    ]
    mine = record(owned=[decision(5, "held_up", owner=BOB)], dissents=dissents)
    assert (mine.dissented, mine.committed, mine.not_yet, mine.pending) == (4, 2, 1, 1)
    assert mine.as_dissenter[Answer.CONCERNS_RIGHT] == 1
    assert mine.judged_as_dissenter == 2  # too early doesn't count either way
    assert (mine.owned, mine.judged_as_owner) == (1, 1)
    assert [d.id for d, _ in mine.recent] == [5, 4, 3, 2, 1]
