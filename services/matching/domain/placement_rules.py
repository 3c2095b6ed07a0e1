"""The law's rules for starting a placement (issue 12). Pure: the caller brings the rows.

- Wage floor: an LKS or sheltered placement pays at least the minimum wage that applies to the
  person on the start date — the WML in force that day, or its youth share for the age on that
  day (shared/minimum_wage.py). The values are legal parameters published by finance; an
  unknown one is refused, never assumed.
- Beschut werk needs the college's granted indication, in force on the start date.
- Dienstverbanden (lks, sheltered, regular, secondment) of one person that run at the same
  time may not exceed a number of hours a week together; a trial placement does not run beside
  a paid job at the same employer (a trial is unpaid work with the benefit kept: beside a paid
  job there it would be unpaid overtime).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from services.matching.domain.workflow import RuleViolation
from shared.events.matching import PlacementForm
from shared.minimum_wage import (
    WML_HOURLY_CODE,
    applicable_hourly_wml,
    needs_youth_share,
    youth_share_code,
)

FLOOR_FORMS = frozenset({PlacementForm.LKS, PlacementForm.SHELTERED})
PAID_FORMS = frozenset({PlacementForm.LKS, PlacementForm.SHELTERED, PlacementForm.REGULAR,
                        PlacementForm.SECONDMENT})
CENT = Decimal("0.01")


class PlacementClash(ValueError):
    """The new placement cannot run beside another one of the same person (→ 409)."""

    def __init__(self, other_id: str, reason: str) -> None:
        super().__init__(reason)
        self.other_id = other_id


def euros(amount: Decimal) -> str:
    """`€7.355`, `€14.71`, `€14.00`: every digit the rule used, at least cents."""
    shown = amount.normalize()
    if shown.as_tuple().exponent > -2:  # type: ignore[operator]
        shown = shown.quantize(CENT)
    return f"€{shown:f}"


@dataclass(frozen=True)
class ParameterValue:
    """One dated value of a legal parameter."""

    effective_from: date
    value: Decimal


def in_force(history: Sequence[ParameterValue], day: date) -> ParameterValue | None:
    """The value that took effect last on or before `day`."""
    started = [p for p in history if p.effective_from <= day]
    return max(started, key=lambda p: p.effective_from) if started else None


@dataclass(frozen=True)
class WageFloor:
    """The minimum hourly wage for one person on one day, and what it rests on."""

    day: date
    minimum: Decimal
    wml: ParameterValue
    age: int | None = None  # set when a youth share applies
    youth_share_pct: ParameterValue | None = None

    def describe(self) -> str:
        """The minimum and its ground, for a person to read."""
        base = f"WML {euros(self.wml.value)} in force from {self.wml.effective_from}"
        if self.youth_share_pct is None or self.age is None:
            return f"{euros(self.minimum)} an hour on {self.day} ({base})"
        share = f"{self.youth_share_pct.value.normalize():f} %"
        return (f"{euros(self.minimum)} an hour on {self.day} (age {self.age}: {share} of the "
                f"{base})")


def wage_floor(parameters: Mapping[str, Sequence[ParameterValue]], birth_date: date | None,
               day: date) -> WageFloor:
    """The floor on `day`; RuleViolation when a value it needs is not known for that day.

    Without a birth date the adult WML applies: the higher floor, so nobody is underpaid.
    """
    wml = in_force(parameters.get(WML_HOURLY_CODE, ()), day)
    if wml is None:
        raise RuleViolation("startDate", f"no statutory minimum wage ({WML_HOURLY_CODE}) is "
                            f"known for {day}: finance has not published one in force that "
                            f"day, so the wage cannot be checked")
    age = needs_youth_share(birth_date, day)
    if age is None:
        return WageFloor(day=day, minimum=wml.value, wml=wml)
    code = youth_share_code(age)
    share = in_force(parameters.get(code, ()), day)
    if share is None:
        raise RuleViolation("startDate", f"the person is {age} on {day} but no youth minimum "
                            f"wage share ({code}) is known for that day")
    return WageFloor(day=day, minimum=applicable_hourly_wml(wml.value, share.value), wml=wml,
                     age=age, youth_share_pct=share)


def check_wage(form: PlacementForm, hourly_wage: Decimal, floor: WageFloor) -> None:
    """An LKS or sheltered placement pays at least the floor (compared unrounded)."""
    if form in FLOOR_FORMS and hourly_wage < floor.minimum:
        raise RuleViolation("hourlyWage", f"{euros(hourly_wage)} is below the minimum wage of "
                            f"{floor.describe()}")


@dataclass(frozen=True)
class Indication:
    """The college's decision on a beschut-werk indication."""

    granted: bool
    decided_on: date
    valid_until: date | None


def check_indication(form: PlacementForm, indications: Sequence[Indication],
                     day: date) -> None:
    """A sheltered placement needs a granted indication in force on its start date."""
    if form is not PlacementForm.SHELTERED:
        return
    granted = [i for i in indications if i.granted]
    if any(i.decided_on <= day and (i.valid_until is None or day <= i.valid_until)
           for i in granted):
        return
    if not indications:
        why = "the college has decided no beschut-werk indication for this person"
    elif not granted:
        why = "the college refused the beschut-werk indication"
    else:
        why = f"no granted beschut-werk indication is in force on {day}"
    raise RuleViolation("form", f"a sheltered placement needs a granted beschut-werk "
                        f"indication (Participatiewet art. 10b, after UWV's advice): {why}")


@dataclass(frozen=True)
class Booked:
    """A placement as far as running beside another matters; `end` is its last day."""

    placement_id: str
    employer_id: str
    form: PlacementForm
    hours_per_week: Decimal
    start: date
    end: date | None


def overlaps(a: Booked, b: Booked) -> bool:
    """Do the two periods share a day (open ends run on)?"""
    return (a.end is None or b.start <= a.end) and (b.end is None or a.start <= b.end)


def check_beside(new: Booked, existing: Sequence[Booked], max_hours: Decimal) -> None:
    """PlacementClash when `new` cannot run beside the person's other placements."""
    running = sorted((b for b in existing if overlaps(new, b)),
                     key=lambda b: (b.start, b.placement_id))
    for other in running:
        same_employer = other.employer_id == new.employer_id
        if same_employer and {new.form, other.form} & {PlacementForm.TRIAL} and (
                new.form in PAID_FORMS or other.form in PAID_FORMS):
            raise PlacementClash(other.placement_id, (
                f"a trial placement cannot run beside a paid job at the same employer: "
                f"placement {other.placement_id} ({other.form.value} from {other.start})"))
    if new.form not in PAID_FORMS:
        return
    paid = [b for b in running if b.form in PAID_FORMS]
    total = new.hours_per_week + sum((b.hours_per_week for b in paid), Decimal(0))
    if paid and total > max_hours:
        first = paid[0]
        raise PlacementClash(first.placement_id, (
            f"together with placement {first.placement_id} ({first.form.value}, "
            f"{first.hours_per_week.normalize():f} h a week from {first.start})"
            + (f" and {len(paid) - 1} more" if len(paid) > 1 else "")
            + f" this makes {total.normalize():f} hours a week, more than the "
            f"{max_hours.normalize():f} allowed"))
