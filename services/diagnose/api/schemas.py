"""Request and response bodies of diagnose's API (camelCase on the wire).

Each request body turns itself into its command (`command(diagnosis_id)`): the handlers take
commands, never these models.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias
from uuid import UUID

from pydantic import Field, StrictInt

from services.diagnose import commands
from services.diagnose.api.formats import NumberOut, number_in
from services.diagnose.domain.reference import ZRM_DOMAINS, ZRM_MAX_SCORE, ZRM_MIN_SCORE
from services.diagnose.reference_lists import (
    CONSTRAINT_CODES,
    DEVELOPMENT_POTENTIALS,
    DIAGNOSIS_OUTCOMES,
    GEMEENTEN_LIST,
    INSTRUMENT_LIST,
    PROGRAMMES,
    WERKSOORTEN,
    MethodCode,
)
from shared.events.intake import Programme
from shared.events.vocabulary import DevelopmentPotential, DiagnosisOutcome, Instrument, Werksoort
from shared.http.reference import code_type, enum_type
from shared.http.schemas import ApiModel, Day

ShortText = Annotated[str, Field(min_length=1, max_length=200)]
# Hours and kilograms are JSON numbers in and out, echoed as sent (api/formats.py).
if TYPE_CHECKING:
    HoursPerWeek: TypeAlias = Decimal
    ConstraintValue: TypeAlias = Decimal
else:
    HoursPerWeek = number_in(minimum=0, exclusive_minimum=True, maximum=40, max_digits=4,
                             description="hours a week, more than 0 and at most 40, one decimal")
    ConstraintValue = number_in(minimum=0, maximum=9999, max_digits=5, description=(
        "the limit in the code's unit (kg, hours), one decimal; ranges per code at "
        "/v1/reference/constraint-codes"))
# Matching reads the work area from this code: one no gemeente has (GM9999) would give a profile
# that never matches, silently.
if TYPE_CHECKING:  # what the handlers receive
    GemeenteCode: TypeAlias = str
    ConstraintCode: TypeAlias = str
    InstrumentCode: TypeAlias = Instrument
    WerksoortCode: TypeAlias = Werksoort
    ProgrammeCode: TypeAlias = Programme
    PotentialCode: TypeAlias = DevelopmentPotential
    OutcomeCode: TypeAlias = DiagnosisOutcome
else:
    GemeenteCode = code_type(GEMEENTEN_LIST)
    ConstraintCode = code_type(CONSTRAINT_CODES)
    InstrumentCode = enum_type(INSTRUMENT_LIST, Instrument)
    WerksoortCode = enum_type(WERKSOORTEN, Werksoort)
    ProgrammeCode = enum_type(PROGRAMMES, Programme)
    PotentialCode = enum_type(DEVELOPMENT_POTENTIALS, DevelopmentPotential)
    OutcomeCode = enum_type(DIAGNOSIS_OUTCOMES, DiagnosisOutcome)
# The scores object as an integrator reads it: one optional property per ZRM domain (the codes
# of /v1/reference/zrm-domains), nothing else.
_ZRM_SCHEMA: dict[str, Any] = {
    "properties": {domain: {"type": "integer", "minimum": ZRM_MIN_SCORE,
                            "maximum": ZRM_MAX_SCORE, "title": label}
                   for domain, label in ZRM_DOMAINS.items()},
    "additionalProperties": False,
    "description": "ZRM domain code (/v1/reference/zrm-domains) → score 1..5"}


class PlanInstrument(ApiModel):
    """Start an instrument on the case; plannedEnd defaults to the instrument's usual term."""

    instrument: InstrumentCode
    started_on: Day
    planned_end: Day | None = None
    migrated: bool = Field(default=False, description=(
        "history from before the referral, recorded afterwards; without it a date before the "
        "referral is refused"))

    def command(self, diagnosis_id: UUID) -> commands.PlanInstrument:
        """The command this body asks for on the case."""
        return commands.PlanInstrument(
            diagnosis_id=diagnosis_id, instrument=self.instrument, started_on=self.started_on,
            planned_end=self.planned_end, migrated=self.migrated)


class RecordZrm(ApiModel):
    """ZRM scores (1–5) per domain, on one date."""

    assessed_on: Day
    scores: dict[str, StrictInt] = Field(json_schema_extra=_ZRM_SCHEMA)
    partial: bool = Field(default=False, description=(
        "fewer than the 13 domains, deliberately; needs partialReason"))
    partial_reason: str | None = Field(default=None, min_length=1, max_length=500)
    migrated: bool = Field(default=False, description=(
        "history from before the referral, recorded afterwards; without it a date before the "
        "referral is refused"))

    def command(self, diagnosis_id: UUID) -> commands.RecordZrm:
        """The command this body asks for on the case."""
        return commands.RecordZrm(
            diagnosis_id=diagnosis_id, assessed_on=self.assessed_on, scores=dict(self.scores),
            partial=self.partial, partial_reason=self.partial_reason, migrated=self.migrated)


class ConstraintIn(ApiModel):
    """A coded functional constraint; a value (kg, hours) for limits only."""

    code: ConstraintCode
    value: ConstraintValue | None = None


class ConstraintOut(ApiModel):
    """A recorded constraint; its value a JSON number as sent (10 stays 10)."""

    code: str
    value: NumberOut | None = None


class UpdateProfile(ApiModel):
    """The whole work profile; replaces the previous one."""

    constraints: list[ConstraintIn] = Field(default_factory=list, max_length=30)
    interests: list[WerksoortCode] = Field(default_factory=list, max_length=12)
    skills: list[ShortText] = Field(default_factory=list, max_length=50)
    certificates: list[ShortText] = Field(default_factory=list, max_length=50)
    hours_per_week: HoursPerWeek
    home_gemeente: GemeenteCode
    travel_radius_km: StrictInt = Field(ge=0, le=200)

    def command(self, diagnosis_id: UUID) -> commands.UpdateProfile:
        """The command this body asks for on the case."""
        return commands.UpdateProfile(
            diagnosis_id=diagnosis_id,
            constraints=tuple(commands.ConstraintItem(code=c.code, value=c.value)
                              for c in self.constraints),
            interests=tuple(self.interests), skills=tuple(self.skills),
            certificates=tuple(self.certificates), hours_per_week=self.hours_per_week,
            home_gemeente=self.home_gemeente, travel_radius_km=self.travel_radius_km)


class RecordWageValue(ApiModel):
    """A loonwaardemeting at a workplace with an accepted method."""

    method: MethodCode
    wage_value_pct: StrictInt
    measured_at: Day
    workplace: ShortText
    job_title: ShortText
    valid_until: Day | None = None
    migrated: bool = Field(default=False, description=(
        "history from before the referral, recorded afterwards; without it a date before the "
        "referral is refused"))

    def command(self, diagnosis_id: UUID) -> commands.RecordWageValue:
        """The command this body asks for on the case."""
        return commands.RecordWageValue(
            diagnosis_id=diagnosis_id, method=self.method, wage_value_pct=self.wage_value_pct,
            measured_at=self.measured_at, workplace=self.workplace, job_title=self.job_title,
            valid_until=self.valid_until, migrated=self.migrated)


class PlanStep(ApiModel):
    """One step of the plan."""

    description: ShortText
    due_on: Day | None = None


class PlanWorkplace(ApiModel):
    """A workplace in the plan and what it is for."""

    workplace: ShortText
    purpose: ShortText


class UpdatePlan(ApiModel):
    """The werk-ontwikkel-plan, replaced as a whole."""

    goals: list[ShortText] = Field(min_length=1, max_length=20)
    steps: list[PlanStep] = Field(default_factory=list, max_length=50)
    workplaces: list[PlanWorkplace] = Field(default_factory=list, max_length=20)

    def command(self, diagnosis_id: UUID) -> commands.UpdatePlan:
        """The command this body asks for on the case."""
        return commands.UpdatePlan(
            diagnosis_id=diagnosis_id, goals=tuple(self.goals),
            steps=tuple(commands.PlanStep(description=s.description, due_on=s.due_on)
                        for s in self.steps),
            workplaces=tuple(commands.PlanWorkplace(workplace=w.workplace, purpose=w.purpose)
                             for w in self.workplaces))


class IssueAdvice(ApiModel):
    """The advice to the gemeente; beschut werk needs the date UWV advice was requested."""

    programme: ProgrammeCode
    lks_indicated: bool
    sheltered_work_indicated: bool
    uwv_advice_requested_on: Day | None = None
    development_potential: PotentialCode
    summary: str = Field(min_length=1, max_length=4000)

    def command(self, diagnosis_id: UUID) -> commands.IssueAdvice:
        """The command this body asks for on the case."""
        return commands.IssueAdvice(
            diagnosis_id=diagnosis_id, programme=self.programme,
            lks_indicated=self.lks_indicated,
            sheltered_work_indicated=self.sheltered_work_indicated,
            uwv_advice_requested_on=self.uwv_advice_requested_on,
            development_potential=self.development_potential, summary=self.summary)


class CloseDiagnosis(ApiModel):
    """Close the case with its outcome."""

    outcome: OutcomeCode

    def command(self, diagnosis_id: UUID) -> commands.CloseDiagnosis:
        """The command this body asks for on the case."""
        return commands.CloseDiagnosis(diagnosis_id=diagnosis_id, outcome=self.outcome)


class ZrmAssessmentOut(ApiModel):
    """A recorded ZRM assessment."""

    id: UUID
    assessed_on: date
    scores: dict[str, int]
    partial: bool
    partial_reason: str | None = None
    migrated: bool


class ZrmDevelopmentOut(ApiModel):
    """Change per domain between the last two assessments."""

    from_date: date
    to_date: date
    changes: dict[str, int]


class ProfileOut(ApiModel):
    """The current work profile."""

    constraints: list[ConstraintOut]
    interests: list[Werksoort]
    skills: list[str]
    certificates: list[str]
    hours_per_week: NumberOut
    home_gemeente: str
    travel_radius_km: int
    updated_at: datetime


class WageValueOut(ApiModel):
    """A recorded wage value."""

    id: UUID
    method: str
    wage_value_pct: int
    measured_at: date
    workplace: str
    job_title: str
    valid_until: date
    migrated: bool


class PlanOut(ApiModel):
    """The current werk-ontwikkel-plan."""

    goals: list[str]
    steps: list[PlanStep]
    workplaces: list[PlanWorkplace]
    updated_at: datetime


class AdviceOut(ApiModel):
    """An issued advice."""

    id: UUID
    programme: Programme
    lks_indicated: bool
    sheltered_work_indicated: bool
    uwv_advice_requested_on: date | None = None
    development_potential: DevelopmentPotential
    summary: str
    issued_at: datetime


class ReassessmentTaskOut(ApiModel):
    """A wage value to measure again."""

    id: UUID
    diagnosis_id: UUID
    measurement_id: UUID | None = None
    due_date: date
    done: bool


class DiagnosisSummary(ApiModel):
    """A case as it appears on the worklist."""

    id: UUID
    candidate_id: UUID
    gemeente: str
    provider: str
    question: str
    status: str
    instrument: Instrument | None = None
    started_on: date | None = None
    planned_end: date | None = None
    overdue: bool
    outcome: DiagnosisOutcome | None = None
    opened_at: datetime


class DiagnosisOut(DiagnosisSummary):
    """The whole case: the read model of the werkdiagnose."""

    referral_id: UUID
    referred_on: date = Field(description="the day the gemeente referred (Dutch time): no step "
                                          "is dated before it unless migrated")
    instrument_migrated: bool
    closed_at: datetime | None = None
    zrm_assessments: list[ZrmAssessmentOut]
    zrm_development: ZrmDevelopmentOut | None = None
    profile: ProfileOut | None = None
    wage_values: list[WageValueOut]
    plan: PlanOut | None = None
    advices: list[AdviceOut]
    reassessment_tasks: list[ReassessmentTaskOut]


class DiagnosisPage(ApiModel):
    """One page of cases."""

    items: list[DiagnosisSummary]
    page: int
    page_size: int
    total: int


class Worklist(ApiModel):
    """What needs the consultant's attention: overdue cases and open re-assessments."""

    overdue: list[DiagnosisSummary]
    open_cases: int
    reassessments: list[ReassessmentTaskOut]


class PersonOut(ApiModel):
    """Who the person is, as intake shows it to this caller (never stored in diagnose)."""

    candidate_id: UUID
    given_name: str
    family_name: str
    birth_date: date
