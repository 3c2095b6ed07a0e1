"""Reporting periods: a month `2026-03`, a half-year `2026-H1`, a quarter `2026-Q2`, a year `2026`.

Every figure is kept per calendar month, so any period is a range of months.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from shared.http.schemas import EARLIEST_YEAR, LATEST_YEAR

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_HALF = re.compile(r"^(\d{4})-H([12])$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
# Years 2000–2100 only, as every date in the product's APIs: year 0000 has no calendar in
# Python (and 9999-12's month end overflows), which used to surface as a 500.
PERIOD_PATTERN = r"^(20\d{2}|2100)(-(0[1-9]|1[0-2])|-H[12]|-Q[1-4])?$"


@dataclass(frozen=True)
class Period:
    """A closed range of calendar months."""

    label: str
    first: date  # first day
    last: date  # last day

    @property
    def first_month(self) -> str:
        """`YYYY-MM` of the first month."""
        return self.first.strftime("%Y-%m")

    @property
    def last_month(self) -> str:
        """`YYYY-MM` of the last month."""
        return self.last.strftime("%Y-%m")

    @property
    def year(self) -> int:
        """The calendar year the period ends in (targets and budgets are per year)."""
        return self.last.year

    def month_ends(self) -> list[date]:
        """The last day of every month in the period, in order."""
        ends: list[date] = []
        cursor = self.first
        while cursor <= self.last:
            ends.append(month_end(cursor.year, cursor.month))
            cursor = ends[-1] + timedelta(days=1)
        return ends


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def _months(label: str, year: int, first_month: int, count: int) -> Period:
    last_month = first_month + count - 1
    return Period(label, date(year, first_month, 1), month_end(year, last_month))


def parse_period(label: str) -> Period:
    """The period a label names; ValueError for anything else, or a year outside 2000–2100."""
    year = label[:4]
    if not (year.isdigit() and EARLIEST_YEAR <= int(year) <= LATEST_YEAR):
        raise ValueError(f"the year must lie between {EARLIEST_YEAR} and {LATEST_YEAR}: "
                         f"{label!r}")
    if found := _MONTH.match(label):
        return _months(label, int(found[1]), int(found[2]), 1)
    if found := _HALF.match(label):
        return _months(label, int(found[1]), 1 + 6 * (int(found[2]) - 1), 6)
    if found := _QUARTER.match(label):
        return _months(label, int(found[1]), 1 + 3 * (int(found[2]) - 1), 3)
    if found := _YEAR.match(label):
        return _months(label, int(found[1]), 1, 12)
    raise ValueError(f"not a period (2026, 2026-H1, 2026-Q2, 2026-03): {label!r}")


def previous_period(period: Period) -> Period:
    """The period of the same kind just before this one (2026-H1 → 2025-H2, 2026-03 → 2026-02,
    2026 → 2025); the monitor sets every figure beside it."""
    months = (period.last.year - period.first.year) * 12 + period.last.month - period.first.month
    before = period.first - timedelta(days=1)
    label = period.label
    if months == 11:
        return parse_period(f"{before.year}")
    if months == 5:
        return parse_period(f"{before.year}-H{1 if before.month <= 6 else 2}")
    if months == 2:
        return parse_period(f"{before.year}-Q{(before.month - 1) // 3 + 1}")
    if months == 0:
        return parse_period(f"{before.year}-{before.month:02d}")
    raise ValueError(f"not a period of a known kind: {label!r}")


def half_year_of(day: date) -> Period:
    """The half-year a day falls in (the monitor's default period)."""
    return parse_period(f"{day.year}-H{1 if day.month <= 6 else 2}")
