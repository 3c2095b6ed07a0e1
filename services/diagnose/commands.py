"""What a consultant (or a reader) asks of diagnose: plain typed commands, free of HTTP.

The API's request bodies map onto these (api/schemas.py); the handlers take nothing else. The
codes are the shared vocabulary's enums, so a handler never sees an unchecked string for them.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from shared.events.intake import Programme
from shared.events.vocabulary import DevelopmentPotential, DiagnosisOutcome, Instrument, Werksoort


@dataclass(frozen=True)
class ListDiagnoses:
    """Which cases to list (always within what the caller may see)."""

    status: str | None = None
    instrument: Instrument | None = None
    overdue: bool = False  # only open cases past their planned end
    candidate_id: uuid.UUID | None = None


@dataclass(frozen=True)
class PlanInstrument:
    """Start (or re-plan) an instrument; no planned end: the instrument's usual term."""

    diagnosis_id: uuid.UUID
    instrument: Instrument
    started_on: date
    planned_end: date | None = None
    migrated: bool = False


@dataclass(frozen=True)
class RecordZrm:
    """ZRM scores per domain on one date; partial says (with a reason) why not all 13."""

    diagnosis_id: uuid.UUID
    assessed_on: date
    scores: Mapping[str, int]
    partial: bool = False
    partial_reason: str | None = None
    migrated: bool = False


@dataclass(frozen=True)
class ConstraintItem:
    """A coded functional constraint; a value (kg, hours) for limits only."""

    code: str
    value: Decimal | None = None


@dataclass(frozen=True)
class UpdateProfile:
    """The whole work profile; replaces the previous one."""

    diagnosis_id: uuid.UUID
    hours_per_week: Decimal
    home_gemeente: str
    travel_radius_km: int
    constraints: tuple[ConstraintItem, ...] = ()
    interests: tuple[Werksoort, ...] = ()
    skills: tuple[str, ...] = ()
    certificates: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecordWageValue:
    """A loonwaardemeting at a workplace; no validUntil: the re-assessment period."""

    diagnosis_id: uuid.UUID
    method: str
    wage_value_pct: int
    measured_at: date
    workplace: str
    job_title: str
    valid_until: date | None = None
    migrated: bool = False


@dataclass(frozen=True)
class PlanStep:
    """One step of the werk-ontwikkel-plan."""

    description: str
    due_on: date | None = None


@dataclass(frozen=True)
class PlanWorkplace:
    """A workplace in the plan and what it is for."""

    workplace: str
    purpose: str


@dataclass(frozen=True)
class UpdatePlan:
    """The werk-ontwikkel-plan, replaced as a whole."""

    diagnosis_id: uuid.UUID
    goals: tuple[str, ...]
    steps: tuple[PlanStep, ...] = ()
    workplaces: tuple[PlanWorkplace, ...] = ()


@dataclass(frozen=True)
class IssueAdvice:
    """The advice to the gemeente."""

    diagnosis_id: uuid.UUID
    programme: Programme
    lks_indicated: bool
    sheltered_work_indicated: bool
    development_potential: DevelopmentPotential
    summary: str
    uwv_advice_requested_on: date | None = None


@dataclass(frozen=True)
class CloseDiagnosis:
    """Close the case with its outcome."""

    diagnosis_id: uuid.UUID
    outcome: DiagnosisOutcome
