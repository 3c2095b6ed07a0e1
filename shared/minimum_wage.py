"""The minimum wage that applies to a person on a day: one rule for finance and matching.

Wet minimumloon en minimumvakantiebijslag art. 7 and 8: from 21 the full WML applies; below 21
the jeugd-WML, a share of it by age (15: 30 %, … 20: 80 %; the shares are legal parameters, kept
by finance and published as `finance.legal-parameter-set`). The age changes on the birthday, so
a month can be split by days. Pure rules, no I/O; the values come from the caller's table.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

ADULT_AGE = 21
YOUNGEST_AGE = 15
WML_HOURLY_CODE = "wml-hourly"


def youth_share_code(age: int) -> str:
    """The parameter code of the jeugd-WML share for an age below 21 (`youth-share-pct-18`)."""
    return f"youth-share-pct-{max(age, YOUNGEST_AGE)}"


def age_on(birth_date: date, day: date) -> int:
    """Whole years of age on `day` (someone born on 29 February turns a year older on 1 March)."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - (1 if before_birthday else 0)


def birthdays_between(birth_date: date, start: date, end: date) -> list[date]:
    """Days in (start, end] on which the person turns a year older while still below 21."""
    found = []
    for year in range(start.year, end.year + 1):
        try:
            birthday = birth_date.replace(year=year)
        except ValueError:  # 29 February in a common year: the age changes on 1 March
            birthday = date(year, 3, 1)
        if start < birthday <= end and age_on(birth_date, birthday) <= ADULT_AGE:
            found.append(birthday)
    return found


def applicable_hourly_wml(adult_wml: Decimal, youth_share_pct: Decimal | None) -> Decimal:
    """The WML per hour for one person: the adult WML, or its youth share below 21."""
    if youth_share_pct is None:
        return adult_wml
    return adult_wml * youth_share_pct / Decimal(100)


def needs_youth_share(birth_date: date | None, day: date) -> int | None:
    """The age whose youth share applies on `day`, or None for the adult WML (or unknown age)."""
    if birth_date is None:
        return None
    age = age_on(birth_date, day)
    return age if age < ADULT_AGE else None

