"""The Dutch calendar day of a moment, across the night when UTC is still on the day before."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from shared.dutch_time import dutch_day, dutch_today


@pytest.mark.parametrize(("moment", "day"), [
    # Winter (CET, UTC+1): 23:00 UTC is midnight in Boxtel.
    (datetime(2026, 11, 29, 22, 59, 59, tzinfo=UTC), date(2026, 11, 29)),
    (datetime(2026, 11, 29, 23, 0, 0, tzinfo=UTC), date(2026, 11, 30)),
    # Summer (CEST, UTC+2): 22:00 UTC is already the next day.
    (datetime(2026, 6, 30, 21, 59, 59, tzinfo=UTC), date(2026, 6, 30)),
    (datetime(2026, 6, 30, 22, 0, 0, tzinfo=UTC), date(2026, 7, 1)),
    # A moment sent with its own offset is judged by the instant, not by the offset's calendar.
    (datetime(2026, 12, 31, 20, 30, tzinfo=timezone(timedelta(hours=-5))), date(2027, 1, 1)),
])
def test_a_moment_counts_for_its_day_in_the_netherlands(moment: datetime, day: date) -> None:
    assert dutch_day(moment) == day


def test_today_is_the_dutch_day_of_now() -> None:
    before = dutch_day(datetime.now(UTC))
    today = dutch_today()
    after = dutch_day(datetime.now(UTC))
    assert today in (before, after)
