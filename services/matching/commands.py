"""Matching's commands: plain typed objects, no HTTP in them (the api maps bodies onto these,
the WSP webhook its message). Limits from the settings are the handlers' keyword arguments."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from services.matching.domain.workflow import ProposalStatus
from shared.events.matching import PlacementEndReason, PlacementForm
from shared.events.vocabulary import Werksoort

Contact = dict[str, str | None]  # name, email, phone: kept as given, never sent in events


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
class VacancySpec:
    """What a vacancy says, whoever sends it (checked by the domain before it is kept)."""

    title: str
    werksoort: Werksoort
    gemeente: str
    hours_per_week: Decimal
    hourly_wage: Decimal | None
    contract_forms: tuple[PlacementForm, ...]
    tasks: tuple[TaskSpec, ...]
    positions: int = 1


@dataclass(frozen=True, kw_only=True)
class RegisterEmployer:
    """An employer the caller's organisation works with (one per KvK number)."""

    kvk_number: str
    name: str
    sector: Werksoort
    gemeente: str
    contacts: tuple[Contact, ...] = ()


@dataclass(frozen=True, kw_only=True)
class PublishVacancy:
    """A vacancy of a visible employer."""

    employer_id: uuid.UUID
    vacancy: VacancySpec


@dataclass(frozen=True, kw_only=True)
class CloseVacancy:
    """Withdraw a vacancy, or record it as filled."""

    vacancy_id: uuid.UUID
    reason: Literal["withdrawn", "filled"]


@dataclass(frozen=True, kw_only=True)
class CarveVacancy:
    """A carved job of some (not all) of a vacancy's tasks, named as in the vacancy."""

    vacancy_id: uuid.UUID
    tasks: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class ProposeCandidate:
    """Propose a candidate for a vacancy."""

    vacancy_id: uuid.UUID
    candidate_id: uuid.UUID


@dataclass(frozen=True, kw_only=True)
class MoveProposal:
    """Move a proposal on: interview, accepted, declined or withdrawn."""

    proposal_id: uuid.UUID
    status: ProposalStatus


@dataclass(frozen=True, kw_only=True)
class EndPlacement:
    """A placement ended, on a date, for a reason."""

    placement_id: uuid.UUID
    end_date: date
    reason: PlacementEndReason


@dataclass(frozen=True, kw_only=True)
class Subscribe:
    """Deliver these event types to a callback URL."""

    url: str
    event_types: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class WspEmployerSpec:
    """The employer as a WSP knows it (registered under the WSP on first sight)."""

    kvk_number: str
    name: str
    sector: Werksoort
    gemeente: str


@dataclass(frozen=True, kw_only=True)
class WspVacancyChange:
    """A WSP creates, updates or withdraws the vacancy it knows as `external_ref`; create and
    update carry the vacancy and its employer."""

    action: Literal["create", "update", "withdraw"]
    external_ref: str
    vacancy: VacancySpec | None = None
    employer: WspEmployerSpec | None = None


@dataclass(frozen=True, kw_only=True)
class ChangeEmployer:
    """The keeper changes an employer; None leaves a field as it is."""

    employer_id: uuid.UUID
    name: str | None = None
    sector: Werksoort | None = None
    gemeente: str | None = None
    contacts: tuple[Contact, ...] | None = None


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
