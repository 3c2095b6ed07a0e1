"""When a month may be paid: a payment run pays a month that has started (or starts within the
configured lead time), never a future month — a run locks its month for good (one run per
gemeente and month), so a run for 2027-03 made today would block that month's real run."""

from __future__ import annotations

from datetime import date, timedelta


def first_run_day(month_start: date, lead_days: int) -> date:
    """The first day a run for the month starting on `month_start` may be made."""
    return month_start - timedelta(days=max(0, lead_days))


def may_run(month_start: date, today: date, lead_days: int) -> bool:
    """May a run for that month be made today?"""
    return today >= first_run_day(month_start, lead_days)
