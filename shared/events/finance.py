"""Events published by finance: amounts, periods and ids; never names or free text."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from shared.events.catalogue import EventData, register
from shared.events.subjects import NATIONAL


class BudgetLine(StrEnum):
    """The budget lines a gemeente keeps for the klantreis."""

    GUIDANCE = "guidance"  # begeleiding: funded places x price
    LKS = "lks"  # loonkostensubsidie


@register
class ReassessmentDue(EventData):
    """A wage value that LKS depends on expires soon: the uitvoerder must measure again."""

    name = "finance.reassessment-due"
    candidate_id: UUID
    gemeente: str
    provider: str | None = None
    measurement_id: UUID | None = None
    valid_until: date
    due_date: date


@register
class LksGranted(EventData):
    """The college granted loonkostensubsidie to the employer for one placement."""

    name = "finance.lks-granted"
    grant_id: UUID
    placement_id: UUID
    candidate_id: UUID
    gemeente: str
    employer_kvk: str
    wage_value_pct: int
    monthly_amount: Decimal  # for a full calendar month at the start
    valid_from: date
    # The college's decision (beschikking): published when a gemeente role decides the grant,
    # not when the placement arrives (the grant is pending until then).
    decision_number: str | None = None
    reassessment_date: date | None = None
    granted_at: datetime


@register
class LksAdjusted(EventData):
    """A grant's amount changed from a date (new wage value, new WML, changed hours)."""

    name = "finance.lks-adjusted"
    grant_id: UUID
    placement_id: UUID
    candidate_id: UUID
    gemeente: str
    wage_value_pct: int
    monthly_amount: Decimal
    effective_from: date
    adjusted_at: datetime


@register
class LksEnded(EventData):
    """A grant ended because its placement ended."""

    name = "finance.lks-ended"
    grant_id: UUID
    placement_id: UUID
    candidate_id: UUID
    gemeente: str
    end_date: date
    ended_at: datetime


@register
class PaymentRunCompleted(EventData):
    """A monthly payment run for one gemeente finished."""

    name = "finance.payment-run-completed"
    subject_field = "run_id"
    run_id: UUID
    gemeente: str
    month: str  # "2026-01"
    payment_count: int
    total_amount: Decimal
    completed_at: datetime


@register
class BudgetSet(EventData):
    """A gemeente's budget for a year was set or changed; reporting shows realisation against it."""

    name = "finance.budget-set"
    gemeente: str
    year: int
    funded_places: int
    place_price: Decimal
    guidance_budget: Decimal
    lks_budget: Decimal
    set_at: datetime

    def subject_id(self) -> str:
        """A budget is the gemeente's for one year: `<gemeente>-<year>`."""
        return f"{self.gemeente}-{self.year}"


@register
class BudgetExceeded(EventData):
    """Realisation passed a budget line."""

    name = "finance.budget-exceeded"
    gemeente: str
    year: int
    line: BudgetLine
    budgeted: Decimal
    realised: Decimal
    detected_at: datetime

    def subject_id(self) -> str:
        """The budget that was passed: `<gemeente>-<year>`."""
        return f"{self.gemeente}-{self.year}"


class LksRefusalReason(StrEnum):
    """Why the college refused an LKS grant."""

    NOT_IN_TARGET_GROUP = "not-in-target-group"
    FULL_WAGE_CAPACITY = "full-wage-capacity"  # loonwaarde 100 %: no gap to bridge
    NO_SHELTERED_INDICATION = "no-sheltered-indication"
    WAGE_BELOW_MINIMUM = "wage-below-minimum"
    OTHER = "other"


@register
class LksRefused(EventData):
    """The college refused an LKS grant (a decision to the employer, with its reason)."""

    name = "finance.lks-refused"
    grant_id: UUID
    placement_id: UUID
    candidate_id: UUID
    gemeente: str
    reason: LksRefusalReason
    refused_at: datetime


@register
class LegalParameterSet(EventData):
    """The platform operator set a national legal parameter (WML, youth share, allowance, …).

    National data, not a gemeente's: published under the pseudo-gemeente `NL`. Matching folds
    the minimum-wage rows for its wage floor; the event carries source and author for audit.
    """

    name = "finance.legal-parameter-set"
    subject_field = "code"
    code: str  # e.g. "wml-hourly", "youth-share-pct-18"
    effective_from: date
    value: Decimal
    source: str
    author: str  # the operator's user (token subject) and organisation, "sub@ORG"
    set_at: datetime

    def tenant(self) -> str:
        """National data, not a gemeente's: the pseudo-gemeente `NL`."""
        return NATIONAL
