"""Every date Doorway writes to people comes from bot.dates, in one of its few forms."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot import dates


def test_days_in_their_three_lengths_and_a_week() -> None:
    wednesday = date(2026, 12, 2)
    assert dates.day(wednesday) == "Wed 02 Dec 2026"
    assert dates.short_day(wednesday) == "Wed 02 Dec"
    assert dates.long_day(wednesday) == "Wednesday 02 December"
    assert dates.span(date(2026, 11, 30), date(2026, 12, 6)) == "Mon 30 Nov – Sun 06 Dec 2026"


def test_times_of_day_and_moments_in_a_zone() -> None:
    assert dates.time_of_day(9 * 60 + 5) == "09:05"
    assert dates.time_of_day(0) == "00:00"
    noon_utc = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    assert dates.moment(noon_utc, ZoneInfo("America/New_York")) == "Wed 02 Dec 2026 07:00 EST"
    assert dates.moment(noon_utc, ZoneInfo("Asia/Tokyo")) == "Wed 02 Dec 2026 21:00 JST"
