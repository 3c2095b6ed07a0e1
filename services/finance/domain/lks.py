"""Loonkostensubsidie (LKS): the amount the gemeente pays the employer.

Sources: Participatiewet art. 10d (LKS to the employer; at most 70% of the WML), art. 6 (the
loonwaarde), the Regeling loonkostensubsidie Participatiewet (holiday pay and the employer-cost
allowance on top of the wage gap), Wet minimumloon en minimumvakantiebijslag (the WML).

Per hour:   gap = WML − loonwaarde% × function wage, at least 0 and at most cap% × WML.
Per month:  gap × (1 + holiday pay%) × hours per month × (1 + allowance%),
            hours per month = hours per week × 52 / 12.
A wage above the WML lowers the subsidy (the loonwaarde is a share of that wage): the subsidy
only ever bridges up to the WML. Everything is `Decimal` and exact until one rounding at the end
(to cents, half-up). All amounts and percentages come in as `LksParameters`; none is a literal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from services.finance.domain.parameters import LksParameters, ParameterTable, UsedParameters
from shared.minimum_wage import birthdays_between, needs_youth_share

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
WEEKS_PER_YEAR = Decimal(52)
MONTHS_PER_YEAR = Decimal(12)
ZERO = Decimal(0)


@dataclass(frozen=True)
class Job:
    """What the calculation needs of a job: hours, the function wage and the loonwaarde."""

    hours_per_week: Decimal
    hourly_wage: Decimal
    wage_value_pct: Decimal


@dataclass(frozen=True)
class Calculation:
    """A full month's amount with the figures behind it (unrounded but for `monthly_amount`)."""

    hours_per_month: Decimal
    hourly_gap: Decimal
    cap_applied: bool
    monthly_amount: Decimal


def to_cents(amount: Decimal) -> Decimal:
    """The one rounding: to cents, half-up."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def hours_per_month(hours_per_week: Decimal) -> Decimal:
    """Hours a month on average: hours a week × 52 / 12."""
    return hours_per_week * WEEKS_PER_YEAR / MONTHS_PER_YEAR


def hourly_gap(job: Job, parameters: LksParameters) -> tuple[Decimal, bool]:
    """The subsidised gap per hour and whether the cap (art. 10d lid 3) cut it."""
    gap = parameters.wml_hourly - job.wage_value_pct * job.hourly_wage / HUNDRED
    cap = parameters.cap_pct * parameters.wml_hourly / HUNDRED
    if gap > cap:
        return cap, True
    return max(gap, ZERO), False


def exact_monthly_amount(job: Job, parameters: LksParameters) -> Decimal:
    """A full calendar month's amount, not yet rounded (the grant code sums these)."""
    gap, _ = hourly_gap(job, parameters)
    return (gap * (1 + parameters.holiday_pay_pct / HUNDRED) * hours_per_month(job.hours_per_week)
            * (1 + parameters.allowance_pct / HUNDRED))


def calculate(job: Job, parameters: LksParameters) -> Calculation:
    """The full month's amount, rounded once, with its breakdown (what the calculator shows)."""
    gap, capped = hourly_gap(job, parameters)
    return Calculation(hours_per_month=hours_per_month(job.hours_per_week), hourly_gap=gap,
                       cap_applied=capped,
                       monthly_amount=to_cents(exact_monthly_amount(job, parameters)))


class WageValuePeriod(NamedTuple):
    """A loonwaarde that applies from `effective_from` (its measurement date) to `valid_until`.

    A plain immutable value (a named tuple): a payment run makes a hundred thousand of these
    from the rows it reads, at a fraction of a frozen dataclass's cost."""

    effective_from: date
    valid_until: date
    wage_value_pct: int


class GrantTerms(NamedTuple):
    """A grant as the month split needs it (a named tuple, as WageValuePeriod: a run makes
    one per grant paid)."""

    start: date
    end: date | None
    hours_per_week: Decimal
    hourly_wage: Decimal
    wage_values: Sequence[WageValuePeriod]  # by effective_from; the later one wins from its date
    # The employee's birth date: below 21 the jeugd-WML for the age on each day applies (the
    # month is split on the birthday). Unknown: the adult WML (the grant shows a warning).
    birth_date: date | None = None


def month_bounds(month: date) -> tuple[date, date]:
    """First and last day of the month that `month` lies in."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def wage_value_on(periods: Sequence[WageValuePeriod], day: date) -> int | None:
    """The loonwaarde in effect on `day`: the latest measured on or before it, if not expired."""
    current: WageValuePeriod | None = None
    for period in periods:
        if period.effective_from <= day:
            current = period
    if current is None or current.valid_until < day:
        return None
    return current.wage_value_pct


def month_amount(terms: GrantTerms, month: date, table: ParameterTable) -> Decimal:
    """The grant's amount for a calendar month, split by calendar days at every change.

    A month is cut at the placement's start and end, each new loonwaarde (from its measured
    date), the day after a loonwaarde expires, each new parameter value (the WML changes on
    1 January and 1 July) and each birthday up to 21 (the jeugd-WML follows the age). Each
    piece pays the full-month amount under its own values × its days / the month's days; days
    without a valid loonwaarde pay nothing. Rounded once, at the end.
    """
    first, last = month_bounds(month)
    start = max(first, terms.start)
    stop = last if terms.end is None else min(last, terms.end)
    if start > stop:
        return ZERO.quantize(CENT)
    days_in_month = Decimal((last - first).days + 1)
    total = ZERO
    cuts = _cuts(terms, start, stop, table)
    for piece_start, piece_end in zip(cuts, cuts[1:], strict=False):
        pct = wage_value_on(terms.wage_values, piece_start)
        if pct is None:
            continue
        job = Job(terms.hours_per_week, terms.hourly_wage, Decimal(pct))
        age = needs_youth_share(terms.birth_date, piece_start)
        full_month = exact_monthly_amount(job, table.lks_on(piece_start, age))
        days = Decimal((piece_end - piece_start).days)
        # A whole month is not prorated: × 31 / 31 could leave a 28th-digit remainder.
        total += full_month if days == days_in_month else full_month * days / days_in_month
    return to_cents(total)


def _cuts(terms: GrantTerms, start: date, stop: date, table: ParameterTable) -> list[date]:
    """Piece boundaries: start, every change day inside, and the day after `stop`."""
    changes = set(table.change_dates(start, stop))
    if terms.birth_date is not None:
        changes.update(birthdays_between(terms.birth_date, start, stop))
    for period in terms.wage_values:
        if start < period.effective_from <= stop:
            changes.add(period.effective_from)
        expiry = period.valid_until + timedelta(days=1)
        if start < expiry <= stop:
            changes.add(expiry)
    return [start, *sorted(changes), stop + timedelta(days=1)]


@dataclass(frozen=True)
class GrantStart:
    """From when a placement's LKS can be granted, or why it cannot (yet)."""

    valid_from: date | None
    wage_value_pct: int | None
    reason: str | None  # "wage-value-missing" | "wage-value-expired"


WAGE_VALUE_MISSING = "wage-value-missing"
WAGE_VALUE_EXPIRED = "wage-value-expired"
NO_PARAMETERS = "no-parameters"


def grant_start(start: date, end: date | None,
                periods: Sequence[WageValuePeriod]) -> GrantStart:
    """A loonwaarde valid on the start day grants from the start; else one measured later
    (before the placement ended) grants from its measured date; else nothing, with the reason.

    No subsidy is paid for days before a loonwaarde was established (the optional flat rate of
    50% of WML during measurement is not implemented).
    """
    pct = wage_value_on(periods, start)
    if pct is not None:
        return GrantStart(start, pct, None)
    for period in sorted(periods, key=lambda p: p.effective_from):
        if period.effective_from > start and (end is None or period.effective_from <= end):
            return GrantStart(period.effective_from, period.wage_value_pct, None)
    earlier = any(p.effective_from <= start for p in periods)
    return GrantStart(None, None, WAGE_VALUE_EXPIRED if earlier else WAGE_VALUE_MISSING)


@dataclass(frozen=True)
class BelowMinimumWage:
    """An hourly wage below the minimum wage that applies (the wage floor)."""

    minimum: Decimal  # per hour, the youth share applied
    in_effect_from: date  # the later of the WML's and the youth share's dates
    age: int | None  # None: the adult WML


def below_minimum_wage(hourly_wage: Decimal, used: UsedParameters,
                       age: int | None) -> BelowMinimumWage | None:
    """The employer pays at least the minimum wage for the employee's age (Wet minimumloon en
    minimumvakantiebijslag art. 7, 8): a lower wage is no LKS job. None when it is not below."""
    minimum = used.values().wml_hourly
    if hourly_wage >= minimum:
        return None
    since = used.wml.effective_from
    if used.youth_share is not None:
        since = max(since, used.youth_share.effective_from)
    return BelowMinimumWage(minimum=minimum, in_effect_from=since,
                            age=age if used.youth_share is not None else None)
