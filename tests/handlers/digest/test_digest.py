"""Digest composition, pure: facts in, sections out."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.decisions.digest_sections import DigestSection, DigestWindow
from handlers.digest import messages
from handlers.digest.digest import Facts, compose, summary
from storage.models import DoorDecision

END = datetime(2026, 12, 4, 21, tzinfo=UTC)
WINDOW = DigestWindow(
    team_id="T1",
    channel_id="C1",
    start=END - timedelta(days=7),
    end=END,
    today=date(2026, 12, 4),
    tz="America/New_York",
)


def decision(n: int, **fields: object) -> DoorDecision:
    values: dict = {
        "id": n,
        "team_id": "T1",
        "channel_id": "C1",
        "author_id": "U1",
        "owner_id": "U1",
        "text": f"decision {n}",
        "door": "two_way",
        "door_source": "rules",
        "request_key": str(n),
    }
    values.update(fields)
    return DoorDecision(**values)


def test_a_quiet_week_has_nothing_to_say() -> None:
    assert compose(Facts(window=WINDOW)) == []
    assert compose(Facts(window=WINDOW), [DigestSection("Commitments", [])]) == []


def test_sections_in_order_with_links_and_escaped_text() -> None:
    facts = Facts(
        window=WINDOW,
        made=[
            decision(
                1,
                door="one_way",
                text="Sign <!channel> & Acme",
                permalink="https://x.slack.com/archives/C1/p1",
            ),
            decision(2),
        ],
        overruled=[decision(3, door="one_way", door_source="person", overruled_by="U2")],
        outcomes=[decision(4, outcome="worked", outcome_by="U3")],
        upcoming=[decision(5, review_at=date(2026, 12, 8))],
        overdue=[decision(6, review_at=date(2026, 11, 20))],
    )
    sections = compose(facts, [DigestSection("Commitments", ["• <@U9> committed"])])
    titles = [s.title for s in sections]
    assert titles == [
        ":no_entry: One-way doors decided this week",
        ":door: Two-way doors decided this week",
        ":twisted_rightwards_arrows: Doors overruled",
        ":bar_chart: Outcomes recorded",
        ":calendar: Reviews due in the coming week",
        ":hourglass: Reviews overdue",
        "Commitments",
    ]
    one_way = sections[0].lines[0]
    assert "<https://x.slack.com/archives/C1/p1|Sign @channel &amp; Acme>" in one_way
    assert "now a one-way door by <@U2>" in sections[2].lines[0]
    assert "worked out" in sections[3].lines[0] and "<@U3>" in sections[3].lines[0]
    assert "Tue 08 Dec" in sections[4].lines[0]
    assert "was due Fri 20 Nov" in sections[5].lines[0]
    assert summary(sections).startswith("Weekly decision digest: 1 one-way doors decided")


def test_a_long_section_stays_within_slack_limits() -> None:
    many = [decision(n, text="x" * 140) for n in range(100)]
    [section] = compose(Facts(window=WINDOW, made=many))
    blocks = messages.digest([section], WINDOW)
    text = blocks[-1]["text"]["text"]
    assert len(text) <= 3000
    assert text.rstrip().split("\n")[-1].startswith("…and ")
