"""Plausibility bounds of the national legal parameters (issue 13): a typing error or a probe in
`POST /v1/parameters` must not become the WML every grant and matching's wage floor use.

Each known code has a unit and bounds; an unknown code is refused. The bounds are sanity
checks, not legal values: they only say what a new value may look like next to the values the
table already holds (the WML and the bijstand norm move by indexation, a few per cent a half
year, so a change of more than a fifth is a typing error). Pure rules, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from services.finance.domain.parameters import (
    ADULT_AGE,
    YOUNGEST_AGE,
    Code,
    MissingParameter,
    ParameterTable,
    youth_share_code,
)

EUR_PER_HOUR = "EUR/hour"
EUR_PER_MONTH = "EUR/month"
PERCENT = "percent"
MONTHS = "months"
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
# At most this share up or down from the value in effect the day before (indexed amounts).
MAX_STEP = Decimal("0.20")
YOUTH_AGES = range(YOUNGEST_AGE, ADULT_AGE)


@dataclass(frozen=True)
class Bounds:
    """What a value of one code may be: its unit, an absolute range, and whether it is an
    indexed amount that may move at most MAX_STEP from the value before it."""

    unit: str
    low: Decimal
    high: Decimal
    indexed: bool = False
    whole: bool = False


# The absolute ranges of the amounts only catch a first value (no value before it): a WML per
# hour or a bijstand norm per month of that order, nothing more.
BOUNDS: dict[str, Bounds] = {
    Code.WML_HOURLY: Bounds(EUR_PER_HOUR, Decimal(1), Decimal(100), indexed=True),
    Code.BIJSTAND_NORM_SINGLE: Bounds(EUR_PER_MONTH, Decimal(100), Decimal(10000), indexed=True),
    Code.HOLIDAY_PAY: Bounds(PERCENT, Decimal(0), HUNDRED),
    Code.EMPLOYER_COST_ALLOWANCE: Bounds(PERCENT, Decimal(0), HUNDRED),
    Code.LKS_CAP: Bounds(PERCENT, Decimal(0), HUNDRED),
    Code.REASSESSMENT_MONTHS: Bounds(MONTHS, Decimal(1), Decimal(60), whole=True),
    **{youth_share_code(age): Bounds(PERCENT, Decimal(0), HUNDRED) for age in YOUTH_AGES},
}
KNOWN_CODES: tuple[str, ...] = tuple(sorted(BOUNDS))


@dataclass(frozen=True)
class Implausible(ValueError):
    """A value refused, with the field it is about and why."""

    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"


def _youth_age(code: str) -> int | None:
    for age in YOUTH_AGES:
        if code == youth_share_code(age):
            return age
    return None


def _value_before(table: ParameterTable, code: str, day: date) -> Decimal | None:
    try:
        return table.value_on(code, day - timedelta(days=1))
    except MissingParameter:
        return None


def _value_on(table: ParameterTable, code: str, day: date) -> Decimal | None:
    try:
        return table.value_on(code, day)
    except MissingParameter:
        return None


def check(table: ParameterTable, *, code: str, effective_from: date, value: Decimal,
          unit: str) -> None:
    """Raise `Implausible` unless a new row (code, effective_from, value, unit) is plausible
    next to `table`."""
    bounds = BOUNDS.get(code)
    if bounds is None:
        raise Implausible("code", f"unknown parameter; known codes: {', '.join(KNOWN_CODES)}")
    if unit != bounds.unit:
        raise Implausible("unit", f"{code} is in {bounds.unit}")
    if bounds.whole and value != value.to_integral_value():
        raise Implausible("value", f"{code} is a whole number of {bounds.unit}")
    # Amounts are shown (and paid) in cents: a value with a fraction of a cent would be shown
    # as a different amount than the one the formula uses.
    if unit in (EUR_PER_HOUR, EUR_PER_MONTH) and value != value.quantize(CENT):
        raise Implausible("value", f"{code} is an amount in euros: whole cents, two decimals")
    before = _value_before(table, code, effective_from) if bounds.indexed else None
    if before is not None:
        low, high = before * (1 - MAX_STEP), before * (1 + MAX_STEP)
        if not low <= value <= high:
            raise Implausible("value", f"more than {MAX_STEP * HUNDRED:.0f} % away from the "
                              f"value before it ({before} {bounds.unit}): allowed "
                              f"{low:.4f} … {high:.4f}")
    elif not bounds.low <= value <= bounds.high:
        raise Implausible("value", f"{code} must lie between {bounds.low} and {bounds.high} "
                          f"{bounds.unit}")
    age = _youth_age(code)
    if age is not None:
        _check_youth_order(table, age, effective_from, value)


def _check_youth_order(table: ParameterTable, age: int, day: date, value: Decimal) -> None:
    """The jeugd-WML share rises with age: never above the next age's (21: the full 100 %),
    never below the previous age's, as in effect on the new row's date."""
    younger = _value_on(table, youth_share_code(age - 1), day) if age > YOUNGEST_AGE else None
    older = HUNDRED if age + 1 >= ADULT_AGE else _value_on(table, youth_share_code(age + 1), day)
    if older is not None and value > older:
        raise Implausible("value", f"the share at {age} may not exceed the share at {age + 1} "
                          f"({older} %)")
    if younger is not None and value < younger:
        raise Implausible("value", f"the share at {age} may not be below the share at "
                          f"{age - 1} ({younger} %)")
