"""Legal parameters with the date each value takes effect: the only source of legal amounts.

Every rule in this package takes its amounts and percentages from a `ParameterTable` built from
the `parameters` table (seeded from `seed.py`, extended by an admin with new effective-dated
rows). The value that applies on a day is the latest one effective on or before that day; a day
before a parameter's first row has no value (`MissingParameter`).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

ADULT_AGE = 21  # from 21 the full WML applies (Wet minimumloon en minimumvakantiebijslag art. 7)
YOUNGEST_AGE = 15


class Code(StrEnum):
    """The parameter codes the rules read."""

    WML_HOURLY = "wml-hourly"  # statutory minimum wage per hour, 21 and older
    HOLIDAY_PAY = "holiday-pay-pct"  # vakantiebijslag
    EMPLOYER_COST_ALLOWANCE = "employer-cost-allowance-pct"  # werkgeverslasten opslag
    LKS_CAP = "lks-cap-pct"  # LKS per hour at most this share of WML
    REASSESSMENT_MONTHS = "wage-value-reassessment-months"
    BIJSTAND_NORM_SINGLE = "bijstand-norm-single-month"


def youth_share_code(age: int) -> str:
    """The code of the jeugd-WML share for an age below 21 (`youth-share-pct-18`)."""
    return f"youth-share-pct-{age}"


LKS_CODES = frozenset({Code.WML_HOURLY, Code.HOLIDAY_PAY, Code.EMPLOYER_COST_ALLOWANCE,
                       Code.LKS_CAP})


def _is_lks_code(code: str) -> bool:
    return code in LKS_CODES or code.startswith("youth-share-pct-")


class MissingParameter(LookupError):
    """No value of a parameter is in effect on a day (before its first row)."""

    def __init__(self, code: str, day: date) -> None:
        super().__init__(f"no value of {code} in effect on {day.isoformat()}")
        self.code = code
        self.day = day


@dataclass(frozen=True)
class Parameter:
    """One effective-dated value with its unit and the publication it comes from."""

    code: str
    effective_from: date
    value: Decimal
    unit: str
    source: str


@dataclass(frozen=True)
class LksParameters:
    """The values the LKS formula needs on one day (for one age)."""

    wml_hourly: Decimal  # already the youth WML when an age below 21 was given
    holiday_pay_pct: Decimal
    allowance_pct: Decimal
    cap_pct: Decimal


@dataclass(frozen=True)
class UsedParameters:
    """The rows behind an `LksParameters`: for the breakdown a caller gets to see."""

    wml: Parameter
    youth_share: Parameter | None
    holiday_pay: Parameter
    allowance: Parameter
    cap: Parameter

    def values(self) -> LksParameters:
        """The bare values for the formula."""
        wml = self.wml.value
        if self.youth_share is not None:
            wml = wml * self.youth_share.value / 100
        return LksParameters(wml_hourly=wml, holiday_pay_pct=self.holiday_pay.value,
                             allowance_pct=self.allowance.value, cap_pct=self.cap.value)


class ParameterTable:
    """All rows, by code, in effective order; answers "which value on this day"."""

    def __init__(self, rows: Iterable[Parameter]) -> None:
        self._rows: dict[str, list[Parameter]] = {}
        for row in sorted(rows, key=lambda r: (r.code, r.effective_from)):
            self._rows.setdefault(row.code, []).append(row)
        self._starts = {code: [r.effective_from for r in rows]
                        for code, rows in self._rows.items()}
        self._lks_cache: dict[tuple[date, int], LksParameters] = {}
        self._lks_changes = sorted({d for code, starts in self._starts.items()
                                    if _is_lks_code(code) for d in starts})

    def row_on(self, code: str, day: date) -> Parameter:
        """The row of `code` in effect on `day`."""
        starts = self._starts.get(code, [])
        index = bisect.bisect_right(starts, day) - 1
        if index < 0:
            raise MissingParameter(code, day)
        return self._rows[code][index]

    def value_on(self, code: str, day: date) -> Decimal:
        """The value of `code` in effect on `day`."""
        return self.row_on(code, day).value

    def lks_rows_on(self, day: date, age: int | None = None) -> UsedParameters:
        """The rows the LKS formula uses on `day`; the jeugd-WML share for an age below 21."""
        youth = None
        if age is not None and age < ADULT_AGE:
            youth = self.row_on(youth_share_code(max(age, YOUNGEST_AGE)), day)
        return UsedParameters(
            wml=self.row_on(Code.WML_HOURLY, day), youth_share=youth,
            holiday_pay=self.row_on(Code.HOLIDAY_PAY, day),
            allowance=self.row_on(Code.EMPLOYER_COST_ALLOWANCE, day),
            cap=self.row_on(Code.LKS_CAP, day))

    def lks_on(self, day: date, age: int | None = None) -> LksParameters:
        """The formula's values on `day` (memoised: a payment run asks for few distinct days)."""
        key = (day, age if age is not None and age < ADULT_AGE else ADULT_AGE)
        found = self._lks_cache.get(key)
        if found is None:
            found = self._lks_cache[key] = self.lks_rows_on(day, age).values()
        return found

    def change_dates(self, start: date, end: date) -> list[date]:
        """Days in (start, end] on which a parameter of the LKS formula takes a new value."""
        changes = self._lks_changes
        return changes[bisect.bisect_right(changes, start):bisect.bisect_right(changes, end)]

    def rows(self) -> list[Parameter]:
        """Every row, by code and date."""
        return [row for code in sorted(self._rows) for row in self._rows[code]]


# Amounts indexed on fixed days each year: the WML (1 January and 1 July, Wet minimumloon art.
# 14) and the bijstand norms, which follow it (Participatiewet art. 38). A day after such a date
# with no row from it uses an older value: allowed, but never silently.
INDEXATION_DAYS: dict[str, tuple[tuple[int, int], ...]] = {
    Code.WML_HOURLY: ((1, 1), (7, 1)),
    Code.BIJSTAND_NORM_SINGLE: ((1, 1), (7, 1)),
}


def last_indexation(code: str, day: date) -> date | None:
    """The latest indexation day of `code` on or before `day` (None: not an indexed code)."""
    days = INDEXATION_DAYS.get(code)
    if days is None:
        return None
    return max(date(year, month, d) for year in (day.year - 1, day.year)
               for month, d in days if date(year, month, d) <= day)


def staleness_warning(row: Parameter, day: date) -> str | None:
    """A warning when `row` (in effect on `day`) predates the code's last indexation."""
    due = last_indexation(row.code, day)
    if due is None or row.effective_from >= due:
        return None
    return (f"{row.code}: no value published from {due.isoformat()} (indexed on 1 January and "
            f"1 July); the value from {row.effective_from.isoformat()} ({row.value} {row.unit})"
            " is used")
