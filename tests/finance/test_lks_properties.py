"""Invariants of the LKS formula over many jobs (hypothesis): never negative, never above the
cap, never more subsidy for a higher wage value."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from services.finance.domain import lks
from services.finance.domain.lks import GrantTerms, Job, WageValuePeriod
from services.finance.domain.parameters import ParameterTable
from services.finance.domain.seed import official_parameters

TABLE = ParameterTable(official_parameters())
months = st.sampled_from([date(2024, 3, 1), date(2024, 9, 1), date(2025, 2, 1),
                          date(2025, 8, 1), date(2026, 1, 1), date(2026, 11, 1)])
hours = st.decimals(min_value="0.5", max_value="60", places=2)
wages = st.decimals(min_value="0", max_value="60", places=2)
pcts = st.integers(min_value=0, max_value=100)
ages = st.one_of(st.none(), st.integers(min_value=15, max_value=70))


def cap_for_month(hours_per_week: Decimal, month: date, age: int | None) -> Decimal:
    """The most a full month can pay: the capped gap with every factor."""
    p = TABLE.lks_on(month, age)
    cap = p.cap_pct * p.wml_hourly / 100
    return lks.to_cents(cap * (1 + p.holiday_pay_pct / 100) * lks.hours_per_month(hours_per_week)
                        * (1 + p.allowance_pct / 100))


@settings(max_examples=300, deadline=None)
@given(month=months, hours_per_week=hours, wage=wages, pct=pcts, age=ages)
def test_never_negative_never_above_the_cap(month: date, hours_per_week: Decimal,
                                            wage: Decimal, pct: int, age: int | None) -> None:
    result = lks.calculate(Job(hours_per_week, wage, Decimal(pct)), TABLE.lks_on(month, age))
    assert Decimal(0) <= result.monthly_amount <= cap_for_month(hours_per_week, month, age)
    assert result.hourly_gap >= 0


@settings(max_examples=300, deadline=None)
@given(month=months, hours_per_week=hours, wage=wages, low=pcts, high=pcts)
def test_monotone_non_increasing_in_wage_value(month: date, hours_per_week: Decimal,
                                               wage: Decimal, low: int, high: int) -> None:
    low, high = min(low, high), max(low, high)
    params = TABLE.lks_on(month)
    more = lks.calculate(Job(hours_per_week, wage, Decimal(low)), params).monthly_amount
    less = lks.calculate(Job(hours_per_week, wage, Decimal(high)), params).monthly_amount
    assert less <= more


@settings(max_examples=200, deadline=None)
@given(month=months, hours_per_week=hours, wage=wages, pct=pcts,
       start_day=st.integers(min_value=1, max_value=28),
       change_day=st.integers(min_value=1, max_value=28), new_pct=pcts)
def test_a_split_month_stays_between_zero_and_the_cap(
        month: date, hours_per_week: Decimal, wage: Decimal, pct: int, start_day: int,
        change_day: int, new_pct: int) -> None:
    far = date(2030, 1, 1)
    terms = GrantTerms(start=month.replace(day=start_day), end=None,
                       hours_per_week=hours_per_week, hourly_wage=wage,
                       wage_values=[WageValuePeriod(date(2024, 1, 1), far, pct),
                                    WageValuePeriod(month.replace(day=change_day), far, new_pct)])
    amount = lks.month_amount(terms, month, TABLE)
    assert Decimal(0) <= amount <= cap_for_month(hours_per_week, month, None)
