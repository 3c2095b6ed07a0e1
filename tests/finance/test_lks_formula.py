"""The LKS formula against cases worked out by hand (DOMAIN.md's rule; official parameters).

Shared factors for 36 h/week in 2026: hours/month = 36 × 52 / 12 = 156;
156 × 1.08 (holiday pay) × 1.235 (allowance) = 208.0728 euro per euro of hourly gap.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from services.finance.domain import lks
from services.finance.domain.lks import GrantTerms, Job, WageValuePeriod, month_amount
from services.finance.domain.parameters import (
    Code,
    MissingParameter,
    Parameter,
    ParameterTable,
)
from services.finance.domain.seed import official_parameters

TABLE = ParameterTable(official_parameters())
D = Decimal
JAN_2026 = date(2026, 1, 1)
FAR = date(2030, 1, 1)


def monthly(hours: str, wage: str, pct: int, day: date = JAN_2026,
            age: int | None = None) -> lks.Calculation:
    return lks.calculate(Job(D(hours), D(wage), D(pct)), TABLE.lks_on(day, age))


def grant(start: date, *periods: WageValuePeriod, end: date | None = None, hours: str = "36",
          wage: str = "14.71") -> GrantTerms:
    return GrantTerms(start=start, end=end, hours_per_week=D(hours), hourly_wage=D(wage),
                      wage_values=periods)


def test_worked_example_below_the_cap() -> None:
    # gap 14.71 − 0.50 × 14.71 = 7.355; 7.355 × 208.0728 = 1530.375444 → 1530.38
    result = monthly("36", "14.71", 50)
    assert (result.hours_per_month, result.hourly_gap) == (D(156), D("7.355"))
    assert result.monthly_amount == D("1530.38") and not result.cap_applied


def test_worked_example_capped_at_seventy_percent() -> None:
    # gap 14.71 − 0.20 × 14.71 = 11.768 > cap 0.70 × 14.71 = 10.297; × 208.0728 = 2142.5256
    result = monthly("36", "14.71", 20)
    assert result.hourly_gap == D("10.297") and result.cap_applied
    assert result.monthly_amount == D("2142.53")


def test_wage_value_thirty_percent_is_exactly_at_the_cap() -> None:
    # gap 0.70 × 14.71 = 10.297 = the cap itself: not cut, same amount as the capped case
    result = monthly("36", "14.71", 30)
    assert not result.cap_applied and result.monthly_amount == D("2142.53")


def test_wage_value_ninety_percent() -> None:
    # gap 14.71 × 0.10 = 1.471; × 208.0728 = 306.0750888 → 306.08
    assert monthly("36", "14.71", 90).monthly_amount == D("306.08")


def test_part_time_twenty_hours() -> None:
    # hours/month 20 × 52 / 12 = 86.666…; gap 0.40 × 14.71 = 5.884;
    # 5.884 × 1.08 × 1.235 = 7.8480792; × 1040 / 12 = 680.166864 → 680.17
    result = monthly("20", "14.71", 60)
    assert result.monthly_amount == D("680.17")


def test_a_wage_above_wml_lowers_the_subsidy() -> None:
    # wage 20.00 at 50%: gap 14.71 − 10.00 = 4.71; × 208.0728 = 980.022888 → 980.02
    assert monthly("36", "20.00", 50).monthly_amount == D("980.02")
    # at 80% the worker earns 16.00 > WML: nothing to bridge
    assert monthly("36", "20.00", 80).monthly_amount == D("0.00")


def test_youth_wml_by_age() -> None:
    # 18: WML 14.71 × 50% = 7.355; wage 7.355 at 50%: gap 3.6775; × 208.0728 = 765.1877… → 765.19
    assert monthly("36", "7.355", 50, age=18).monthly_amount == D("765.19")
    assert monthly("36", "14.71", 50, age=21).monthly_amount == D("1530.38")


def test_wml_change_on_first_of_july() -> None:
    # wage 15.00 at 50% = 7.50; June 2025 WML 14.06 → gap 6.56 × 208.0728 = 1364.957568;
    # July 2025 WML 14.40 → gap 6.90 × 208.0728 = 1435.70232
    terms = grant(date(2025, 3, 1), WageValuePeriod(date(2025, 3, 1), FAR, 50), wage="15.00")
    assert month_amount(terms, date(2025, 6, 1), TABLE) == D("1364.96")
    assert month_amount(terms, date(2025, 7, 1), TABLE) == D("1435.70")


def test_a_parameter_change_inside_a_month_splits_it_by_days() -> None:
    # A synthetic table whose WML changes on 16 June (30 days: 15 + 15): wage 15.00 at 50%
    # → (6.56 × 208.0728 × 15 + 6.90 × 208.0728 × 15) / 30 = 1400.329944 → 1400.33
    rows = [*official_parameters(),
            Parameter(Code.WML_HOURLY, date(2025, 6, 16), D("14.40"), "EUR/hour", "test")]
    table = ParameterTable(r for r in rows if not (r.code == Code.WML_HOURLY
                                                  and r.effective_from == date(2025, 7, 1)))
    terms = grant(date(2025, 3, 1), WageValuePeriod(date(2025, 3, 1), FAR, 50), wage="15.00")
    assert month_amount(terms, date(2025, 6, 1), table) == D("1400.33")


def test_a_new_wage_value_mid_month_splits_it_by_days() -> None:
    # January 2026 (31 days): 50% on 1–15 (1530.375444 × 15/31), 60% from the 16th
    # (gap 5.884 × 208.0728 = 1224.2995552, × 16/31): 42544.4245432 / 31 = 1372.4007… → 1372.40
    terms = grant(date(2025, 6, 1), WageValuePeriod(date(2025, 6, 1), FAR, 50),
                  WageValuePeriod(date(2026, 1, 16), FAR, 60))
    assert month_amount(terms, JAN_2026, TABLE) == D("1372.40")


def test_start_and_end_inside_the_month_pay_their_days() -> None:
    # started 22 January: 10 of 31 days → 1530.375444 × 10 / 31 = 493.6695 → 493.67
    started = grant(date(2026, 1, 22), WageValuePeriod(date(2025, 12, 1), FAR, 50))
    assert month_amount(started, JAN_2026, TABLE) == D("493.67")
    # ended 10 January: the same 10 days
    ended = grant(date(2025, 12, 1), WageValuePeriod(date(2025, 12, 1), FAR, 50),
                  end=date(2026, 1, 10))
    assert month_amount(ended, JAN_2026, TABLE) == D("493.67")
    assert month_amount(ended, date(2026, 2, 1), TABLE) == D("0.00")


def test_days_after_a_wage_value_expired_are_not_paid() -> None:
    terms = grant(date(2025, 12, 1), WageValuePeriod(date(2025, 1, 11), date(2026, 1, 10), 50))
    assert month_amount(terms, JAN_2026, TABLE) == D("493.67")


def test_parameters_by_date() -> None:
    assert TABLE.value_on(Code.EMPLOYER_COST_ALLOWANCE, date(2017, 12, 31)) == D("23")
    assert TABLE.value_on(Code.EMPLOYER_COST_ALLOWANCE, date(2018, 1, 1)) == D("23.5")
    assert TABLE.value_on(Code.WML_HOURLY, date(2026, 9, 1)) == D("14.71")  # latest applies
    with pytest.raises(MissingParameter):
        TABLE.lks_on(date(2023, 12, 1))


def test_grant_start_rules() -> None:
    start = date(2026, 2, 1)
    valid = WageValuePeriod(date(2025, 6, 1), date(2026, 6, 1), 55)
    assert lks.grant_start(start, None, [valid]) == lks.GrantStart(start, 55, None)
    later = WageValuePeriod(date(2026, 2, 10), date(2027, 2, 10), 45)
    assert lks.grant_start(start, None, [later]).valid_from == date(2026, 2, 10)
    expired = WageValuePeriod(date(2024, 6, 1), date(2025, 6, 1), 50)
    assert lks.grant_start(start, None, [expired]).reason == lks.WAGE_VALUE_EXPIRED
    assert lks.grant_start(start, None, []).reason == lks.WAGE_VALUE_MISSING


def youth_grant(birth: date, wage: str, pct: int = 50) -> GrantTerms:
    return GrantTerms(start=JAN_2026, end=None, hours_per_week=D("36"), hourly_wage=D(wage),
                      wage_values=[WageValuePeriod(date(2025, 6, 1), FAR, pct)],
                      birth_date=birth)


def test_youth_wml_at_18_for_a_whole_month() -> None:
    # Born 2007-06-15: 18 all of January 2026. Jeugd-WML 50 % × 14.71 = 7.355; wage 7.36.
    # gap 7.355 − 50 % × 7.36 = 3.675 (cap 70 % × 7.355 = 5.1485 not reached)
    # 3.675 × 208.0728 = 764.66754 → 764.67
    assert month_amount(youth_grant(date(2007, 6, 15), "7.36"), JAN_2026, TABLE) == D("764.67")


def test_youth_wml_at_20_for_a_whole_month() -> None:
    # Born 2005-06-15: 20 in January 2026. Jeugd-WML 80 % × 14.71 = 11.768; wage 11.77.
    # gap 11.768 − 5.885 = 5.883 × 208.0728 = 1224.0922824 → 1224.09
    assert month_amount(youth_grant(date(2005, 6, 15), "11.77"), JAN_2026, TABLE) == D(
        "1224.09")


def test_a_21st_birthday_mid_month_splits_it_by_days() -> None:
    # Born 2005-01-16: 20 on 1–15 January 2026, 21 from the 16th. Wage 14.71, loonwaarde 50 %.
    # Age 20: gap 11.768 − 7.355 = 4.413 × 208.0728 = 918.2252664 a month; × 15/31 = 444.30255
    # Age 21: gap 14.71 − 7.355 = 7.355 × 208.0728 = 1530.375444 a month; × 16/31 = 789.87120
    # 444.30255 + 789.87120 = 1234.17375 → 1234.17 (rounded once)
    assert month_amount(youth_grant(date(2005, 1, 16), "14.71"), JAN_2026, TABLE) == D(
        "1234.17")


def test_an_unknown_birth_date_is_the_adult_wml() -> None:
    terms = GrantTerms(start=JAN_2026, end=None, hours_per_week=D("36"), hourly_wage=D("14.71"),
                       wage_values=[WageValuePeriod(date(2025, 6, 1), FAR, 50)])
    assert month_amount(terms, JAN_2026, TABLE) == D("1530.38")  # DOMAIN.md's worked example


def test_the_wage_floor() -> None:
    adult = TABLE.lks_rows_on(JAN_2026)
    below = lks.below_minimum_wage(D("5.00"), adult, None)
    assert below is not None and (below.minimum, below.in_effect_from) == (
        D("14.71"), date(2026, 1, 1))
    assert lks.below_minimum_wage(D("14.71"), adult, None) is None
    young = TABLE.lks_rows_on(JAN_2026, 18)
    below_young = lks.below_minimum_wage(D("7.35"), young, 18)
    assert below_young is not None and below_young.minimum == D("7.355")  # 50 % × 14.71
    assert below_young.age == 18
    assert lks.below_minimum_wage(D("7.36"), young, 18) is None
