"""Finance's commands and queries: plain typed objects the handlers take, no HTTP in them.

Who asks is not in them: the handlers take the caller from the unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from shared.events.finance import LksRefusalReason
from shared.events.matching import PlacementForm


@dataclass(frozen=True)
class SetLegalParameter:
    """The platform operator sets a national legal parameter from a date."""

    code: str
    effective_from: date
    value: Decimal
    unit: str
    source: str


@dataclass(frozen=True)
class StartPaymentRun:
    """Pay a gemeente's decided grants for one month."""

    gemeente: str
    month: str  # "2026-01", bounded by the API
    today: date
    lead_days: int


@dataclass(frozen=True)
class ReadPaymentRun:
    """A run's progress, for the gemeente that owns the run (another gemeente's is a 404)."""

    run_id: UUID


@dataclass(frozen=True)
class ReadPaymentLines:
    """One page of a run's lines, for the gemeente that owns the run."""

    run_id: UUID
    page: int
    page_size: int

    @property
    def offset(self) -> int:
        """Lines to skip."""
        return (self.page - 1) * self.page_size


@dataclass(frozen=True)
class ListGrants:
    """The caller's grants, optionally of one status or candidate."""

    page: int
    page_size: int
    status: str | None = None
    candidate_id: UUID | None = None


@dataclass(frozen=True)
class ReadGrant:
    """One grant, if the caller may see it."""

    grant_id: UUID


@dataclass(frozen=True)
class ListUnpayable:
    """LKS work not paid for want of a (valid) loonwaarde, judged on a day."""

    on: date


@dataclass(frozen=True)
class DecideGrant:
    """The college grants LKS to the employer (beschikking): the terms it decides on."""

    grant_id: UUID
    decision_number: str
    start: date
    monthly_amount: Decimal
    wage_value_pct: int
    reassessment_date: date


@dataclass(frozen=True)
class RefuseGrant:
    """The college refuses LKS, with its reason."""

    grant_id: UUID
    reason: LksRefusalReason


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


@dataclass(frozen=True)
class SetBudget:
    """The gemeente sets (or changes) its budget for a year."""

    gemeente: str
    year: int
    funded_places: int
    place_price: Decimal
    lks_budget: Decimal


@dataclass(frozen=True)
class ReadBudget:
    """A gemeente's budget of a year against its realisation."""

    gemeente: str
    year: int


@dataclass(frozen=True)
class SetReserve:
    """The uitvoerder sets its stimulus reserve; the answer shows a year's draws."""

    provider: str
    amount: Decimal
    year: int


@dataclass(frozen=True)
class ReadReserve:
    """The uitvoerder's reserve and a year's draws on it."""

    provider: str
    year: int


@dataclass(frozen=True)
class Entity:
    """The entity that invoices gemeenten (the Westrom model), who owns it and who buys."""

    code: str
    shareholders: tuple[str, ...]
    buyers: tuple[str, ...]


@dataclass(frozen=True)
class SetTariff:
    """The entity sets its tariff for a product from a date (the same date replaces it)."""

    entity: str
    product: str
    effective_from: date
    form: PlacementForm | None
    tariff: Decimal
    risk_surcharge_pct: Decimal


@dataclass(frozen=True)
class ReadInvoice:
    """The entity's invoice of a gemeente's month."""

    entity: Entity
    gemeente: str
    month: str  # "2026-01"
