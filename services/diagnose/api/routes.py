"""Diagnose's endpoints, all under /v1/diagnoses: HTTP in, one handler, the response out.

Tenancy and roles are the handlers' (through the unit of work); the consultant's commands take
the consultant's unit of work (`ConsultantUow`), whose role is checked before FastAPI reads the
body.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from services.diagnose.api.deps import ConsultantUow, PeopleDep, SettingsDep, Uow
from services.diagnose.api.schemas import (
    AdviceOut,
    CloseDiagnosis,
    DiagnosisOut,
    DiagnosisPage,
    InstrumentCode,
    IssueAdvice,
    PersonOut,
    PlanInstrument,
    PlanOut,
    ProfileOut,
    RecordWageValue,
    RecordZrm,
    UpdatePlan,
    UpdateProfile,
    WageValueOut,
    Worklist,
    ZrmAssessmentOut,
)
from services.diagnose.api.views import case_view, summary_of, task_of
from services.diagnose.commands import ListDiagnoses
from services.diagnose.handlers import advice, cases, measurements, profile
from shared.dutch_time import dutch_today
from shared.http.deps import IdempotencyKey
from shared.http.idempotency import CreateFn, create_once
from shared.http.openapi import problem_response
from shared.http.pagination import PagerDep
from shared.http.routes import UnitOfWorkRoute

router = APIRouter(prefix="/diagnoses", tags=["diagnoses"], route_class=UnitOfWorkRoute)
DiagnosisId = Annotated[UUID, Path(alias="diagnosisId", description="the diagnosis case id")]
Responses = dict[int | str, dict[str, Any]]
CREATED: Responses = {
    201: {"headers": {"Location": {"description": "URI of the created resource",
                                   "schema": {"type": "string"}}}},
    409: problem_response("The diagnosis is closed")}
CLOSED_CASE: Responses = {409: problem_response("The diagnosis is closed")}


@router.get("", response_model=DiagnosisPage,
            responses={200: {"headers": {"Link": {"$ref": "#/components/headers/Link"}}}})
async def list_diagnoses(
    uow: Uow, pager: PagerDep,
    status: Annotated[str | None, Query(pattern="^(open|closed)$")] = None,
    instrument: Annotated[InstrumentCode | None, Query()] = None,
    overdue: Annotated[bool, Query(description="only open cases past their planned end")] = False,
    candidate_id: Annotated[UUID | None, Query(alias="candidateId")] = None,
) -> DiagnosisPage:
    """Cases of the caller's uitvoerder (for a gemeente: of its residents), soonest due first."""
    query = ListDiagnoses(status=status, instrument=instrument, overdue=overdue,
                          candidate_id=candidate_id)
    today = dutch_today()
    items, total = await cases.list_cases(uow, query, pager.params, today=today)
    return pager.page(DiagnosisPage, [summary_of(c, today) for c in items], total)


@router.get("/worklist", response_model=Worklist)
async def worklist(uow: Uow) -> Worklist:
    """Open cases past their planned end, and wage values to measure again."""
    today = dutch_today()
    work = await cases.worklist(uow, today=today)
    return Worklist(overdue=[summary_of(c, today) for c in work.overdue],
                    open_cases=work.open_cases,
                    reassessments=[task_of(t) for t in work.reassessments])


@router.get("/{diagnosisId}", response_model=DiagnosisOut)
async def get_diagnosis(diagnosis_id: DiagnosisId, uow: Uow) -> DiagnosisOut:
    """The whole case: instrument, ZRM (with development), profile, wage values, plan, advice."""
    found = await cases.read_case(uow, diagnosis_id)
    return case_view(found.case, found.tasks, dutch_today())


@router.get("/{diagnosisId}/person", response_model=PersonOut,
            responses={503: problem_response("Intake did not answer")})
async def get_person(diagnosis_id: DiagnosisId, uow: Uow, people: PeopleDep) -> PersonOut:
    """Who the person is, asked of intake with the caller's own token (intake logs the read)."""
    person = await cases.person_of(uow, diagnosis_id, people)
    return PersonOut(candidate_id=person.candidate_id, given_name=person.given_name,
                     family_name=person.family_name, birth_date=person.birth_date)


async def _create(uow: Uow, request: Request, key: str | None, body: BaseModel,
                  make: CreateFn) -> JSONResponse:
    """Run a creating command once per Idempotency-Key (the shared mechanism, our arguments)."""
    return await create_once(uow, key=key, request=request,
                             payload=body.model_dump(mode="json"), create=make)


@router.post("/{diagnosisId}/instrument-plans", status_code=201, response_model=DiagnosisOut,
             responses=CREATED)
async def plan_instrument(diagnosis_id: DiagnosisId, body: PlanInstrument, uow: ConsultantUow,
                          request: Request,
                          idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Start an instrument (werkdiagnose, quickscan, MWD, OAD, GIDS) with its planned end."""

    async def make() -> tuple[BaseModel, str]:
        planned = await cases.plan_instrument(uow, body.command(diagnosis_id))
        return (case_view(planned.case, planned.tasks, dutch_today()),
                f"/v1/diagnoses/{planned.case.id}")

    return await _create(uow, request, idempotency_key, body, make)


@router.post("/{diagnosisId}/zrm-assessments", status_code=201,
             response_model=ZrmAssessmentOut, responses=CREATED)
async def record_zrm(diagnosis_id: DiagnosisId, body: RecordZrm, uow: ConsultantUow,
                     request: Request, idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Record ZRM scores (1–5 per domain) on a date; development shows on the case."""

    async def make() -> tuple[BaseModel, str]:
        assessment = await profile.record_zrm(uow, body.command(diagnosis_id), today=dutch_today())
        return (ZrmAssessmentOut.model_validate(assessment, from_attributes=True),
                f"/v1/diagnoses/{diagnosis_id}")

    return await _create(uow, request, idempotency_key, body, make)


@router.put("/{diagnosisId}/profile", response_model=ProfileOut, responses=CLOSED_CASE)
async def update_profile(diagnosis_id: DiagnosisId, body: UpdateProfile,
                         uow: ConsultantUow) -> ProfileOut:
    """Replace the work profile: constraints (coded), interests, skills, hours, work area."""
    updated = await profile.update_profile(uow, body.command(diagnosis_id))
    return ProfileOut.model_validate(updated, from_attributes=True)


@router.post("/{diagnosisId}/wage-value-measurements", status_code=201,
             response_model=WageValueOut, responses=CREATED)
async def record_wage_value(diagnosis_id: DiagnosisId, body: RecordWageValue, uow: ConsultantUow,
                            settings: SettingsDep, request: Request,
                            idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Record a loonwaardemeting (validUntil defaults to the re-assessment period)."""

    async def make() -> tuple[BaseModel, str]:
        measurement = await measurements.record_wage_value(
            uow, body.command(diagnosis_id), settings=settings, today=dutch_today())
        return (WageValueOut.model_validate(measurement, from_attributes=True),
                f"/v1/diagnoses/{diagnosis_id}")

    return await _create(uow, request, idempotency_key, body, make)


@router.put("/{diagnosisId}/plan", response_model=PlanOut, responses=CLOSED_CASE)
async def update_plan(diagnosis_id: DiagnosisId, body: UpdatePlan, uow: ConsultantUow) -> PlanOut:
    """Replace the werk-ontwikkel-plan: goals, steps and the purpose of each workplace."""
    plan = await advice.update_plan(uow, body.command(diagnosis_id))
    return PlanOut.model_validate(plan, from_attributes=True)


@router.post("/{diagnosisId}/advices", status_code=201, response_model=AdviceOut,
             responses=CREATED)
async def issue_advice(diagnosis_id: DiagnosisId, body: IssueAdvice, uow: ConsultantUow,
                       request: Request, idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Advise the gemeente: programme, LKS and beschut werk indication, development potential."""

    async def make() -> tuple[BaseModel, str]:
        issued = await advice.issue_advice(uow, body.command(diagnosis_id))
        return (AdviceOut.model_validate(issued, from_attributes=True),
                f"/v1/diagnoses/{diagnosis_id}")

    return await _create(uow, request, idempotency_key, body, make)


@router.post("/{diagnosisId}/closures", status_code=201, response_model=DiagnosisOut,
             responses=CREATED)
async def close_diagnosis(diagnosis_id: DiagnosisId, body: CloseDiagnosis, uow: ConsultantUow,
                          request: Request,
                          idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Close the case with its outcome (for MWD/OAD: the categories councils report)."""

    async def make() -> tuple[BaseModel, str]:
        closed = await cases.close_case(uow, body.command(diagnosis_id))
        view = case_view(closed.case, closed.tasks, dutch_today())
        return view, f"/v1/diagnoses/{closed.case.id}"

    return await _create(uow, request, idempotency_key, body, make)
