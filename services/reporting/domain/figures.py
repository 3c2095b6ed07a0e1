"""Rules that turn facts into the figures councils read: suppression, ages, subgroups, spreads."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

SUPPRESSED = "<5"
SMALL_CELL_MAX = 4  # 1–4 people: shown as "<5" beyond the gemeente itself (as CBS does)
YOUTH_AGES = range(16, 28)  # 16 up to and including 27

# Which placements are places, and where, is not defined here: shared/figures.py is the one
# definition (finance's budget uses it too); domain/places.py applies it to reporting's counts.

# Youth subgroups from the target group intake registered (see docs/reporting.md).
SUBGROUP_OF_TARGET_GROUP = {
    "wsw-indicatie": "sw",
    "jongere": "stages",
}
DEFAULT_SUBGROUP = "p-wet"
SUBGROUPS = ("sw", "p-wet", "stages")

# Outcomes of diagnosis-closed that mean "went to work".
WORK_OUTCOMES = ("through-to-work", "regular-work")


Cell = int | str


def suppress(count: int, *, exact: bool) -> Cell:
    """A count as shown: exact for the gemeente itself, "<5" for 1–4 people beyond it."""
    if exact or count == 0 or count > SMALL_CELL_MAX:
        return count
    return SUPPRESSED


def is_small(count: int) -> bool:
    """True for 1–4 people: a figure derived from them (a median) is not shown beyond."""
    return 0 < count <= SMALL_CELL_MAX


def age_on(birth_year: int, day: date) -> int:
    """Age in whole years as the birth year allows (events carry only the year)."""
    return day.year - birth_year


def subgroup_of(target_group: str | None) -> str:
    """SW, P-wet or stages for the youth table."""
    return SUBGROUP_OF_TARGET_GROUP.get(target_group or "", DEFAULT_SUBGROUP)


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (what a policy officer can check by hand); None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q * len(ordered)))
    return float(ordered[rank - 1])


def add_months(day: date, months: int) -> date:
    """`months` later, clamped to the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate_day)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a 28th")
