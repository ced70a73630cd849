"""Reading /decisions' filters: what each way of writing them means. Pure."""

from __future__ import annotations

from datetime import date

import pytest

from handlers.search.parse import Query, UsageError, parse

TODAY = date(2026, 12, 3)  # a Thursday


@pytest.mark.parametrize(
    ("text", "since"),
    [
        ("since 2026-11-01", date(2026, 11, 1)),
        ("since 7d", date(2026, 11, 26)),
        ("since 2 weeks", date(2026, 11, 19)),
        ("since 10 days ago", date(2026, 11, 23)),
        ("since yesterday", date(2026, 12, 2)),
        ("since last week", date(2026, 11, 26)),
        ("since this week", date(2026, 11, 30)),
        ("since this month", date(2026, 12, 1)),
        ("since last month", date(2026, 11, 3)),
    ],
)
def test_since_reads_dates_and_spans_from_the_persons_today(text: str, since: date) -> None:
    assert parse(text, today=TODAY).since == since


def test_filters_and_words_however_written() -> None:
    query = parse('"New Provider" billing One Way door <@U0BOB|bob> CLOSED', today=TODAY)
    assert query == Query(
        words=("new provider", "billing"), door="one_way", owner_id="U0BOB", closed=True
    )
    assert parse("two-way @bob", today=TODAY) == Query(door="two_way", owner_name="bob")
    assert parse("help", today=TODAY).help and not parse("help me", today=TODAY).help
    assert parse("&lt;b&gt; &amp;", today=TODAY).words == ("<b>", "&")


@pytest.mark.parametrize(
    "text", ["since soon", "since 2026-13-01", "since 2027-01-01", "one-way two-way", "x " * 9]
)
def test_what_cant_be_read_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError):
        parse(text, today=TODAY)
