"""The monitor's pure rules: % of target, change, the previous period, regional suppression,
Dutch number writing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from services.reporting.dashboard.pages import euro, nl_number, percent
from services.reporting.domain.monitor import HIDDEN, change, pct_of, suppress_region
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


def test_one_small_cell_hides_the_smallest_other() -> None:
    # Vught's 3 alone would be 2,100-style arithmetic away from the total: 31 is hidden too.
    assert suppress_region({"Boxtel": 470, "Gestel": 31, "Vught": 3, "Meierijstad": 44}) == {
        "Boxtel": 470, "Gestel": HIDDEN, "Vught": "<5", "Meierijstad": 44}
    # Two small cells already protect each other; zeros are no small cells.
    assert suppress_region({"a": 2, "b": 3, "c": 40, "d": 0}) == {
        "a": "<5", "b": "<5", "c": 40, "d": 0}
    assert suppress_region({"a": 0, "b": 9}) == {"a": 0, "b": 9}
    assert suppress_region({"a": 4}) == {"a": "<5"}  # alone: nothing else to hide


def test_numbers_as_a_dutch_reader_writes_them() -> None:
    assert nl_number(2100) == "2.100" and nl_number(87.45, 1) == "87,5"
    assert euro("735467.40") == "€\u00a0735.467,40" and euro(None) == "–"  # never split
    assert percent(97.3) == "97,3%" and nl_number("<5") == "&lt;5"
