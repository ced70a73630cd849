"""Reading `/digest …` and finding each week's slot, across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from handlers.digest.schedule import (
    DEFAULT_MINUTE,
    DEFAULT_WEEKDAY,
    Request,
    UsageError,
    Verb,
    next_slot,
    parse,
    parse_time,
    week_of,
)

NEW_YORK, LONDON = ZoneInfo("America/New_York"), ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", Request(Verb.HELP)),
        ("help", Request(Verb.HELP)),
        ("on", Request(Verb.ON, DEFAULT_WEEKDAY, DEFAULT_MINUTE)),
        ("ON Monday", Request(Verb.ON, 0, 16 * 60)),
        ("on mon 9:30", Request(Verb.ON, 0, 9 * 60 + 30)),
        ("on 9:30 tue", Request(Verb.ON, 1, 9 * 60 + 30)),
        ("on fridays at 4pm", Request(Verb.ON, 4, 16 * 60)),
        ("on thurs 4 pm", Request(Verb.ON, 3, 16 * 60)),
        ("on sunday 12am", Request(Verb.ON, 6, 0)),
        ("on 8", Request(Verb.ON, 4, 8 * 60)),
        ("off", Request(Verb.OFF)),
        ("now", Request(Verb.NOW)),
    ],
)
def test_parse(text: str, expected: Request) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text", ["sometimes", "on blursday", "on 25:00", "on 13pm", "off please", "on mon tue"]
)
def test_unreadable_commands_say_why(text: str) -> None:
    with pytest.raises(UsageError):
        parse(text)


def test_parse_time() -> None:
    assert parse_time("noon") == 720
    assert parse_time("12pm") == 720
    assert parse_time("07.15") == 435
    assert parse_time("later") is None


def test_next_slot_is_strictly_after_and_in_local_time() -> None:
    friday_4pm = datetime(2026, 12, 4, 21, tzinfo=UTC)  # 16:00 EST
    before = datetime(2026, 11, 30, 15, tzinfo=UTC)
    assert next_slot(before, weekday=4, minute=960, tz=NEW_YORK) == friday_4pm
    assert next_slot(friday_4pm, weekday=4, minute=960, tz=NEW_YORK) == datetime(
        2026, 12, 11, 21, tzinfo=UTC
    )


def test_the_slot_keeps_its_wall_clock_time_across_dst() -> None:
    # New York leaves EDT on Sunday 1 November 2026.
    oct_30 = next_slot(datetime(2026, 10, 26, tzinfo=UTC), weekday=4, minute=960, tz=NEW_YORK)
    assert oct_30 == datetime(2026, 10, 30, 20, tzinfo=UTC)
    assert next_slot(oct_30, weekday=4, minute=960, tz=NEW_YORK) == datetime(
        2026, 11, 6, 21, tzinfo=UTC
    )
    # London enters BST on Sunday 29 March 2026.
    mar_27 = next_slot(datetime(2026, 3, 23, tzinfo=UTC), weekday=4, minute=960, tz=LONDON)
    assert mar_27 == datetime(2026, 3, 27, 16, tzinfo=UTC)
    assert next_slot(mar_27, weekday=4, minute=960, tz=LONDON) == datetime(
        2026, 4, 3, 15, tzinfo=UTC
    )
    # A Sunday-morning slot on the changeover day itself.
    assert next_slot(
        datetime(2026, 3, 28, tzinfo=UTC), weekday=6, minute=9 * 60, tz=LONDON
    ) == datetime(2026, 3, 29, 8, tzinfo=UTC)


def test_week_of_is_the_local_iso_week() -> None:
    # Sunday 23:30 in New York is already Monday in UTC: the week is New York's.
    sunday_night = datetime(2026, 12, 7, 4, 30, tzinfo=UTC)
    assert week_of(sunday_night, NEW_YORK) == "2026-W49"
    assert week_of(sunday_night, ZoneInfo("UTC")) == "2026-W50"
    assert week_of(datetime(2027, 1, 1, 12, tzinfo=UTC), NEW_YORK) == "2026-W53"
