"""Events published by diagnose: codes, percentages and dates; never names or free text."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from shared.events.catalogue import EventData, register
from shared.events.intake import Programme
from shared.events.vocabulary import DevelopmentPotential, DiagnosisOutcome, Instrument, Werksoort


class CaseRef(EventData):
    """What every diagnose event says about whose case it is."""

    diagnosis_id: UUID
    candidate_id: UUID
    gemeente: str
    provider: str


class Constraint(BaseModel):
    """A coded functional constraint; `value` for limits (kg, hours), absent for flags."""

    model_config = ConfigDict(frozen=True, alias_generator=to_camel, populate_by_name=True,
                              extra="ignore")
    code: str
    value: Decimal | None = None


@register
class DiagnosisStarted(CaseRef):
    """The uitvoerder started an instrument on a case."""

    name = "diagnose.diagnosis-started"
    instrument: Instrument
    started_on: date
    planned_end: date


@register
class WageValueMeasured(CaseRef):
    """A loonwaarde was measured at a workplace with a validated method."""

    name = "diagnose.wage-value-measured"
    measurement_id: UUID
    method: str
    wage_value_pct: int
    measured_at: date
    valid_until: date


@register
class ProfileUpdated(CaseRef):
    """What matching needs about the candidate's work capacity and wishes."""

    name = "diagnose.profile-updated"
    constraints: tuple[Constraint, ...]
    interests: tuple[Werksoort, ...]
    skills: tuple[str, ...]
    certificates: tuple[str, ...]
    hours_per_week: Decimal
    home_gemeente: str
    travel_radius_km: int
    updated_at: datetime


@register
class AdviceIssued(CaseRef):
    """The uitvoerder's advice to the gemeente."""

    name = "diagnose.advice-issued"
    advice_id: UUID
    programme: Programme
    lks_indicated: bool
    sheltered_work_indicated: bool
    uwv_advice_requested_on: date | None = None
    development_potential: DevelopmentPotential
    issued_at: datetime


@register
class DiagnosisClosed(CaseRef):
    """The case was closed, with its outcome (for MWD/OAD: the seeds' outcome categories)."""

    name = "diagnose.diagnosis-closed"
    instrument: Instrument | None = None
    outcome: DiagnosisOutcome
    closed_at: datetime
