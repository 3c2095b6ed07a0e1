"""Request and response bodies of matching's API (camelCase on the wire).

Numbers and codes follow api/formats.py: money a two-decimal string, hours and demands JSON
numbers echoed as sent, coded fields enums of matching's reference lists.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AfterValidator, Field

from services.matching.api.formats import (
    DemandValue,
    EndReasonCode,
    Hours,
    Number,
    PlacementFormCode,
    Wage,
    WerksoortCode,
)
from services.matching.domain.workflow import ProposalStatus
from shared.events.intake import Programme
from shared.events.matching import PlacementEndReason, PlacementForm
from shared.events.vocabulary import CONSTRAINTS, Werksoort
from shared.http.schemas import ApiModel, Day
from shared.http.schemas import GemeenteCode as GemeenteCodeShape
from shared.organisations import is_gemeente


def _known_gemeente(code: str) -> str:
    # A well-formed code of no gemeente (GM9999) would file a vacancy where nobody sees it.
    if not is_gemeente(code):
        raise ValueError(f"{code} is not a gemeente this product knows "
                         f"(CBS codes in shared/organisations.py)")
    return code


ShortText = Annotated[str, Field(min_length=1, max_length=200)]
GemeenteCode = Annotated[GemeenteCodeShape, AfterValidator(_known_gemeente)]
KvkNumber = Annotated[str, Field(pattern=r"^\d{8}$", description="8-digit KvK number")]


class ContactIn(ApiModel):
    """A contact person at the employer (never sent in events)."""

    name: ShortText
    email: str | None = Field(default=None, max_length=200, pattern=r"^[^@\s]+@[^@\s]+$")
    phone: str | None = Field(default=None, max_length=30, pattern=r"^[0-9 +()-]+$")


class CreateEmployer(ApiModel):
    """An employer the accountmanager works with."""

    kvk_number: KvkNumber
    name: ShortText
    sector: WerksoortCode
    gemeente: GemeenteCode = Field(description="where the employer is located")
    contacts: list[ContactIn] = Field(default_factory=list, max_length=10)


class EmployerOut(ApiModel):
    """A registered employer."""

    id: UUID
    kvk_number: str
    name: str
    sector: Werksoort
    gemeente: str
    owner_org: str
    contacts: list[ContactIn]
    created_at: datetime


class EmployerPage(ApiModel):
    """One page of employers."""

    items: list[EmployerOut]
    page: int
    page_size: int
    total: int


class DemandIn(ApiModel):
    """A coded demand of a task (constraint vocabulary); a value for LIMIT codes only."""

    # Diagnose owns and serves the list; the enum documents it here, and the domain's check
    # (domain/demands.py) gives the 400 that names the list.
    code: str = Field(max_length=40, examples=["lifting-max-kg"], description=(
        "a code of diagnose's /v1/reference/constraint-codes"),
        json_schema_extra={"enum": list(CONSTRAINTS)})
    value: DemandValue | None = None


class TaskIn(ApiModel):
    """One task of the job, with its share of the weekly hours."""

    name: ShortText
    hours_per_week: Hours
    demands: list[DemandIn] = Field(default_factory=list, max_length=20)
    skills: list[ShortText] = Field(default_factory=list, max_length=20)


class VacancyFields(ApiModel):
    """What a vacancy says, whoever sends it."""

    title: ShortText
    werksoort: WerksoortCode
    gemeente: GemeenteCode = Field(description="where the work is")
    hours_per_week: Hours
    hourly_wage: Wage | None = None
    contract_forms: list[PlacementFormCode] = Field(min_length=1, max_length=6)
    tasks: list[TaskIn] = Field(min_length=1, max_length=30)
    positions: int = Field(default=1, ge=1, le=100, strict=True, description=(
        "how many people the employer seeks; the vacancy closes (filled) when placements from "
        "it reach this number"))


class CreateVacancy(VacancyFields):
    """A vacancy of a registered employer."""

    employer_id: UUID


class DemandOut(ApiModel):
    """A coded demand as stored (the value a JSON number, as sent)."""

    code: str
    value: Number | None = None


class TaskOut(ApiModel):
    """A task as stored."""

    name: str
    hours_per_week: Number
    demands: list[DemandOut]
    skills: list[str]


class VacancyOut(ApiModel):
    """A vacancy or carved job."""

    id: UUID
    employer_id: UUID
    owner_org: str
    gemeente: str
    title: str
    werksoort: Werksoort
    hours_per_week: Number
    hourly_wage: Wage | None
    contract_forms: list[PlacementForm]
    tasks: list[TaskOut]
    status: Literal["open", "closed"]
    close_reason: str | None
    carved_from: UUID | None
    external_ref: str | None
    positions: int
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None


class VacancyPage(ApiModel):
    """One page of vacancies."""

    items: list[VacancyOut]
    page: int
    page_size: int
    total: int


class CloseVacancy(ApiModel):
    """Withdraw a vacancy, or record it as filled."""

    reason: Literal["withdrawn", "filled"]


class CreateCarving(ApiModel):
    """The tasks (by name) of the original that make up the carved job."""

    tasks: list[ShortText] = Field(min_length=1, max_length=30)


class ConflictOut(ApiModel):
    """A task demand the candidate's constraint forbids (demanded/allowed: null for flags)."""

    task: str
    code: str
    demanded: Number | None
    allowed: Number | None


class ComponentOut(ApiModel):
    """One score component: value 0..1, its weight, and what it was based on."""

    name: Literal["skills", "interest", "hours", "travel", "programme"]
    value: float
    weight: float
    detail: str


class CarvingOut(ApiModel):
    """The part of the job the candidate can do."""

    tasks: list[str]
    hours_per_week: Number


class Explanation(ApiModel):
    """Why a match ranks where it does."""

    score: float
    fitting_tasks: list[str]
    conflicts: list[ConflictOut]
    suggested_carving: CarvingOut | None
    components: list[ComponentOut]


class CandidateMatch(Explanation):
    """A candidate for a vacancy."""

    candidate_id: UUID
    gemeente: str
    provider: str
    programme: Programme
    wage_value_pct: int | None


class CandidateMatchPage(ApiModel):
    """One page of ranked candidates."""

    vacancy_id: UUID
    items: list[CandidateMatch]
    page: int
    page_size: int
    total: int


class VacancyMatch(Explanation):
    """A vacancy for a candidate."""

    vacancy_id: UUID
    title: str
    werksoort: Werksoort
    gemeente: str
    employer_id: UUID


class VacancyMatchPage(ApiModel):
    """One page of ranked vacancies."""

    candidate_id: UUID
    items: list[VacancyMatch]
    page: int
    page_size: int
    total: int


class CreateProposal(ApiModel):
    """Propose a candidate for the vacancy."""

    candidate_id: UUID


class ProposalOut(ApiModel):
    """A proposal and where it stands."""

    id: UUID
    vacancy_id: UUID
    candidate_id: UUID
    gemeente: str
    provider: str
    status: ProposalStatus
    score: float
    carved_tasks: list[str] | None
    proposed_at: datetime
    updated_at: datetime
    closed_at: datetime | None


class ProposalPage(ApiModel):
    """One page of proposals."""

    items: list[ProposalOut]
    page: int
    page_size: int
    total: int


class ChangeProposalStatus(ApiModel):
    """Move the proposal on: interview, accepted, declined or withdrawn."""

    status: Literal["interview", "accepted", "declined", "withdrawn"]


class CreatePlacement(ApiModel):
    """A candidate starts work (or a trial) with an employer."""

    candidate_id: UUID
    employer_id: UUID
    vacancy_id: UUID | None = None
    form: PlacementFormCode
    hours_per_week: Hours
    hourly_wage: Wage
    start_date: Day
    planned_end: Day | None = None
    proposal_id: UUID | None = Field(default=None, description=(
        "the accepted proposal this placement comes from (same candidate and vacancy)"))
    through_uwv: bool = Field(default=False, description=(
        "a trial placement arranged through UWV lasts at most 2 months instead of 3"))


class EndPlacement(ApiModel):
    """The placement ended."""

    end_date: Day
    reason: EndReasonCode


class PlacementOut(ApiModel):
    """A placement."""

    id: UUID
    candidate_id: UUID
    gemeente: str
    provider: str
    employer_id: UUID
    vacancy_id: UUID | None
    proposal_id: UUID | None
    form: PlacementForm
    through_uwv: bool
    hours_per_week: Number
    hourly_wage: Wage
    start_date: date
    planned_end: date | None
    end_date: date | None = Field(json_schema_extra={"format": "date"})
    end_reason: PlacementEndReason | None
    started_at: datetime
    ended_at: datetime | None


class PlacementPage(ApiModel):
    """One page of placements."""

    items: list[PlacementOut]
    page: int
    page_size: int
    total: int
