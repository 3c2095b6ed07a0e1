"""The monitor's pure rules: % of target, change, the previous period, regional suppression,
Dutch number writing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from services.reporting.dashboard.pages import euro, nl_number, percent
from services.reporting.domain.monitor import change, pct_of, region_total, suppress_region
from services.reporting.domain.periods import parse_period, previous_period


def test_percentage_of_a_target() -> None:
    assert pct_of(470, 483) == 97.3  # 97.308…
    assert pct_of(120, 108) == 111.1  # 111.11…
    assert pct_of("734582.40", "1500000.00") == 49.0  # money strings: 48.97…
    assert pct_of(5, 0) is None and pct_of(5, None) is None and pct_of("<5", 10) is None


def test_change_since_the_previous_period() -> None:
    assert change(470, 437) == 33
    assert change("734582.40", "0.00") == Decimal("734582.40")
    assert change("<5", 3) is None and change(3, None) is None


@pytest.mark.parametrize(("label", "before"), [
    ("2026-H1", "2025-H2"), ("2026-H2", "2026-H1"), ("2026-Q1", "2025-Q4"),
    ("2026-Q3", "2026-Q2"), ("2026-01", "2025-12"), ("2026-07", "2026-06"), ("2026", "2025")])
def test_the_previous_period_is_of_the_same_kind(label: str, before: str) -> None:
    assert previous_period(parse_period(label)).label == before


def test_there_is_no_period_before_2000() -> None:
    with pytest.raises(ValueError):
        previous_period(parse_period("2000-H1"))


def test_small_cells_and_the_regions_total() -> None:
    places = {"Boxtel": 470, "Gestel": 31, "Vught": 3, "Meierijstad": 44}
    assert suppress_region(places) == {"Boxtel": 470, "Gestel": 31, "Vught": "<5",
                                       "Meierijstad": 44}
    # Vught's 3 could be worked back from an exact 548: rounded to tens (half-up) → 550
    assert region_total(places) == (550, True)
    assert region_total({"a": 541, "b": 4}) == (550, True)  # 545 → 550, half-up
    assert region_total({"a": 540, "b": 4}) == (540, True)  # 544 → 540
    # No small cell: the exact sum; zeros are no small cells.
    assert region_total({"a": 470, "b": 31, "c": 0}) == (501, False)
    assert region_total({"a": 2, "b": 1}) == ("<5", False)  # a total of 1–4 is "<5" itself
    assert region_total({"a": 0, "b": 0}) == (0, False)


def test_numbers_as_a_dutch_reader_writes_them() -> None:
    assert nl_number(2100) == "2.100" and nl_number(87.45, 1) == "87,5"
    assert euro("735467.40") == "€\u00a0735.467,40" and euro(None) == "–"  # never split
    assert percent(97.3) == "97,3%" and nl_number("<5") == "&lt;5"
