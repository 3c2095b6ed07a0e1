"""Matching's commands: plain typed objects, no HTTP in them (the api maps bodies onto these)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from shared.events.matching import PlacementForm
from shared.events.vocabulary import Werksoort


@dataclass(frozen=True, kw_only=True)
class StartPlacement:
    """A candidate starts work (or a trial) with an employer, perhaps from a proposal."""

    candidate_id: uuid.UUID
    employer_id: uuid.UUID
    vacancy_id: uuid.UUID | None
    proposal_id: uuid.UUID | None
    form: PlacementForm
    hours_per_week: Decimal
    hourly_wage: Decimal
    start_date: date
    planned_end: date | None
    through_uwv: bool


@dataclass(frozen=True, kw_only=True)
class DemandSpec:
    """A coded demand of a task; a value for LIMIT codes only."""

    code: str
    value: Decimal | None


@dataclass(frozen=True, kw_only=True)
class TaskSpec:
    """One task of a job with its weekly hours, demands and skills."""

    name: str
    hours_per_week: Decimal
    demands: tuple[DemandSpec, ...]
    skills: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class ChangeEmployer:
    """The keeper changes an employer; None leaves a field as it is."""

    employer_id: uuid.UUID
    name: str | None = None
    sector: Werksoort | None = None
    gemeente: str | None = None
    contacts: tuple[dict[str, str | None], ...] | None = None


@dataclass(frozen=True, kw_only=True)
class ChangeVacancy:
    """The keeper changes an open vacancy; None leaves a field as it is (the hourly wage is
    removed only with `clears_hourly_wage`)."""

    vacancy_id: uuid.UUID
    title: str | None = None
    werksoort: Werksoort | None = None
    gemeente: str | None = None
    hours_per_week: Decimal | None = None
    hourly_wage: Decimal | None = None
    clears_hourly_wage: bool = False
    contract_forms: tuple[PlacementForm, ...] | None = None
    tasks: tuple[TaskSpec, ...] | None = None
    positions: int | None = None
