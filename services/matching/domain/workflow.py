"""Proposals' state machine and the rules of placements and employers."""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from enum import StrEnum

from shared.events.matching import PlacementForm

KVK = re.compile(r"^\d{8}$")
TRIAL_MAX_MONTHS = 3  # DOMAIN.md: proefplaatsing at most 3 months (the gemeente's)
TRIAL_MAX_MONTHS_UWV = 2  # DOMAIN.md: 2 months when through UWV


class RuleViolation(ValueError):
    """Input that breaks a matching rule; `field` names the offending input."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class IllegalTransition(ValueError):
    """A proposal cannot go from its state to the requested one."""


class ProposalStatus(StrEnum):
    """Where a proposal of a candidate to an employer stands."""

    PROPOSED = "proposed"
    INTERVIEW = "interview"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


_NEXT: Mapping[ProposalStatus, frozenset[ProposalStatus]] = {
    ProposalStatus.PROPOSED: frozenset({ProposalStatus.INTERVIEW, ProposalStatus.ACCEPTED,
                                        ProposalStatus.DECLINED, ProposalStatus.WITHDRAWN}),
    ProposalStatus.INTERVIEW: frozenset({ProposalStatus.ACCEPTED, ProposalStatus.DECLINED,
                                         ProposalStatus.WITHDRAWN}),
}
CLOSED_STATES = frozenset({ProposalStatus.ACCEPTED, ProposalStatus.DECLINED,
                           ProposalStatus.WITHDRAWN})


def transition(current: ProposalStatus, wanted: ProposalStatus) -> ProposalStatus:
    """The new state, or IllegalTransition (closed proposals stay closed)."""
    if wanted not in _NEXT.get(current, frozenset()):
        raise IllegalTransition(f"a proposal cannot go from {current.value} to {wanted.value}")
    return wanted


def check_kvk(number: str) -> None:
    """A KvK number is 8 digits (no check digit since 2016's numbers)."""
    if not KVK.match(number):
        raise RuleViolation("kvkNumber", "a KvK number is 8 digits")


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def check_placement(form: PlacementForm, start: date, planned_end: date | None,
                    hourly_wage: Decimal, *, through_uwv: bool = False) -> None:
    """A trial has an end within 3 months (2 through UWV) and no wage (the benefit stays);
    others are paid."""
    if planned_end is not None and planned_end <= start:
        raise RuleViolation("plannedEnd", "must be after the start date")
    if form is PlacementForm.TRIAL:
        if planned_end is None:
            raise RuleViolation("plannedEnd", "a trial placement needs its planned end")
        months = TRIAL_MAX_MONTHS_UWV if through_uwv else TRIAL_MAX_MONTHS
        if planned_end > add_months(start, months):
            how = " through UWV" if through_uwv else ""
            raise RuleViolation("plannedEnd",
                                f"a trial placement{how} lasts at most {months} months")
        if hourly_wage != 0:
            raise RuleViolation("hourlyWage", "a trial placement keeps the benefit: no wage")
    elif hourly_wage <= 0:
        raise RuleViolation("hourlyWage", f"a {form.value} placement is paid: give the wage")


def check_ending(start: date, end: date) -> None:
    """A placement ends on or after its start."""
    if end < start:
        raise RuleViolation("endDate", "before the placement's start date")
