"""Finance's commands: plain typed objects the handlers take, no HTTP in them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from shared.events.finance import LksRefusalReason


@dataclass(frozen=True)
class SetLegalParameter:
    """The platform operator sets a national legal parameter from a date."""

    code: str
    effective_from: date
    value: Decimal
    unit: str
    source: str
    author: str  # "sub@ORG" of the operator's user


@dataclass(frozen=True)
class StartPaymentRun:
    """Pay a gemeente's decided grants for one month."""

    gemeente: str
    month: str  # "2026-01", bounded by the API
    started_by: str
    today: date
    lead_days: int


@dataclass(frozen=True)
class ReadPaymentLines:
    """One page of a run's payment lines, for the gemeente that owns the run."""

    run_id: UUID
    gemeente: str  # the reader's gemeente; another gemeente's run is a 404
    page: int
    page_size: int


@dataclass(frozen=True)
class DecideGrant:
    """The college grants LKS to the employer (beschikking): the terms it decides on."""

    grant_id: UUID
    gemeente: str  # the deciding gemeente (the caller); another gemeente's grant is a 404
    decision_number: str
    start: date
    monthly_amount: Decimal
    wage_value_pct: int
    reassessment_date: date
    decided_by: str  # "sub@GM0757"


@dataclass(frozen=True)
class RefuseGrant:
    """The college refuses LKS, with its reason."""

    grant_id: UUID
    gemeente: str
    reason: LksRefusalReason
    decided_by: str


@dataclass(frozen=True)
class CalculateLks:
    """A full month's LKS for a job before placement (nothing is stored)."""

    month_start: date
    hours_per_week: Decimal
    hourly_wage: Decimal
    wage_value_pct: int
    age: int | None  # None: the adult WML


@dataclass(frozen=True)
class CandidateBusinessCase:
    """One candidate's LKS job against staying on bijstand (adult WML, as the norm is)."""

    month_start: date
    hours_per_week: Decimal
    hourly_wage: Decimal
    wage_value_pct: int
    guidance_cost_per_year: Decimal
