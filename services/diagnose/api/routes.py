"""Diagnose's endpoints, all under /v1/diagnoses. Tenancy is checked in handlers.

Commands check the role as a dependency (`requires`), before FastAPI reads the body: a caller
without the role gets 403 whatever it sends. Handlers check again (defence in depth).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID
from zoneinfo import ZoneInfo

import httpx
from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from services.diagnose import handlers
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
from services.diagnose.settings import DiagnoseSettings
from services.diagnose.store.repository import OPEN, CaseFilter, CaseRepository
from shared.auth import CurrentPrincipal, OrgKind, Principal, requires
from shared.http.deps import IdempotencyKey, PageDep, RuntimeDep
from shared.http.idempotency import CreateFn, create_once
from shared.http.openapi import problem_response
from shared.http.pagination import MAX_PAGE_SIZE, PageParams, set_link_header
from shared.problems import Forbidden, NotFound, ServiceUnavailable

DUTCH_TIME = ZoneInfo("Europe/Amsterdam")
router = APIRouter(prefix="/diagnoses", tags=["diagnoses"])
DiagnosisId = Annotated[UUID, Path(alias="diagnosisId", description="the diagnosis case id")]
Responses = dict[int | str, dict[str, Any]]
CREATED: Responses = {
    201: {"headers": {"Location": {"description": "URI of the created resource",
                                   "schema": {"type": "string"}}}},
    409: problem_response("The diagnosis is closed")}
CLOSED_CASE: Responses = {409: problem_response("The diagnosis is closed")}
# The uitvoerder's trajectconsulent (or admin): the only one who works a case.
Consultant = Annotated[Principal, Depends(requires(*handlers.CONSULTANTS,
                                                   kinds=(OrgKind.PROVIDER,)))]


def today() -> date:
    """Today in the Netherlands: a measurement dated today is never "in the future"."""
    return datetime.now(DUTCH_TIME).date()


@router.get("", response_model=DiagnosisPage,
            responses={200: {"headers": {"Link": {"$ref": "#/components/headers/Link"}}}})
async def list_diagnoses(
    principal: CurrentPrincipal, runtime: RuntimeDep, page: PageDep, request: Request,
    response: Response,
    status: Annotated[str | None, Query(pattern="^(open|closed)$")] = None,
    instrument: Annotated[InstrumentCode | None, Query()] = None,
    overdue: Annotated[bool, Query(description="only open cases past their planned end")] = False,
    candidate_id: Annotated[UUID | None, Query(alias="candidateId")] = None,
) -> DiagnosisPage:
    """Cases of the caller's uitvoerder (for a gemeente: of its residents), soonest due first."""
    filters = CaseFilter(status=status, instrument=instrument.value if instrument else None,
                         overdue_on=today() if overdue else None, candidate_id=candidate_id)
    async with runtime.sessions() as session:
        items, total = await handlers.list_cases(session, principal=principal, filters=filters,
                                                 params=page)
    set_link_header(request, response, page, total)
    return DiagnosisPage(items=[summary_of(c, today()) for c in items], page=page.page,
                         page_size=page.page_size, total=total)


@router.get("/worklist", response_model=Worklist)
async def worklist(principal: CurrentPrincipal, runtime: RuntimeDep) -> Worklist:
    """Open cases past their planned end, and wage values to measure again."""
    async with runtime.sessions() as session:
        handlers.require_reader(principal)
        repo = CaseRepository(session)
        overdue, _ = await repo.page_visible(
            principal, CaseFilter(overdue_on=today()), _all())
        _, open_cases = await repo.page_visible(principal, CaseFilter(status=OPEN), _all(1))
        tasks = await repo.open_tasks(principal)
    return Worklist(overdue=[summary_of(c, today()) for c in overdue], open_cases=open_cases,
                    reassessments=[task_of(t) for t in tasks])


def _all(size: int = MAX_PAGE_SIZE) -> PageParams:
    return PageParams(page=1, page_size=size)


@router.get("/{diagnosisId}", response_model=DiagnosisOut)
async def get_diagnosis(diagnosis_id: DiagnosisId, principal: CurrentPrincipal,
                        runtime: RuntimeDep) -> DiagnosisOut:
    """The whole case: instrument, ZRM (with development), profile, wage values, plan, advice."""
    async with runtime.sessions() as session:
        case = await handlers.read_case(session, principal=principal, case_id=diagnosis_id)
        tasks = await CaseRepository(session).tasks_of(case.id)
        return case_view(case, tasks, today())


@router.get("/{diagnosisId}/person", response_model=PersonOut,
            responses={503: problem_response("Intake did not answer")})
async def get_person(diagnosis_id: DiagnosisId, principal: CurrentPrincipal,
                     runtime: RuntimeDep, request: Request) -> PersonOut:
    """Who the person is, asked of intake with the caller's own token (intake logs the read)."""
    async with runtime.sessions() as session:
        case = await handlers.read_case(session, principal=principal, case_id=diagnosis_id)
    client: httpx.AsyncClient = request.app.state.intake_client
    try:
        answer = await client.get(f"/v1/candidates/{case.candidate_id}",
                                  headers={"Authorization": request.headers["authorization"]})
    except httpx.HTTPError as exc:
        raise ServiceUnavailable(f"intake did not answer: {type(exc).__name__}") from exc
    if answer.status_code == 404:
        raise NotFound("intake does not show this person to you (no active referral)")
    if answer.status_code in (401, 403):
        raise Forbidden("intake refused to show this person to you")
    if answer.status_code != 200:
        raise ServiceUnavailable(f"intake answered {answer.status_code}")
    body = answer.json()
    return PersonOut(candidate_id=case.candidate_id, given_name=body["givenName"],
                     family_name=body["familyName"], birth_date=body["birthDate"])


async def _create(runtime: RuntimeDep, principal: Principal, request: Request,
                  key: str | None, body: BaseModel, make: CreateFn) -> JSONResponse:
    """Run a creating command once per Idempotency-Key (the shared mechanism, our arguments)."""
    return await create_once(runtime, organisation=principal.idempotency_scope, key=key,
                             path=request.url.path, payload=body.model_dump(mode="json"),
                             create=make)


@router.post("/{diagnosisId}/instrument-plans", status_code=201, response_model=DiagnosisOut,
             responses=CREATED)
async def plan_instrument(diagnosis_id: DiagnosisId, body: PlanInstrument,
                          principal: Consultant, runtime: RuntimeDep, request: Request,
                          idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Start an instrument (werkdiagnose, quickscan, MWD, OAD, GIDS) with its planned end."""

    async def make(session: AsyncSession) -> tuple[BaseModel, str]:
        case = await handlers.plan_instrument(session, principal=principal,
                                              case_id=diagnosis_id, command=body,
                                              oin=runtime.settings.oin)
        tasks = await CaseRepository(session).tasks_of(case.id)
        return case_view(case, tasks, today()), f"/v1/diagnoses/{case.id}"

    return await _create(runtime, principal, request, idempotency_key, body, make)


@router.post("/{diagnosisId}/zrm-assessments", status_code=201,
             response_model=ZrmAssessmentOut, responses=CREATED)
async def record_zrm(diagnosis_id: DiagnosisId, body: RecordZrm, principal: Consultant,
                     runtime: RuntimeDep, request: Request,
                     idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Record ZRM scores (1–5 per domain) on a date; development shows on the case."""

    async def make(session: AsyncSession) -> tuple[BaseModel, str]:
        assessment = await handlers.record_zrm(session, principal=principal,
                                               case_id=diagnosis_id, command=body,
                                               today=today())
        out = ZrmAssessmentOut.model_validate(assessment, from_attributes=True)
        return out, f"/v1/diagnoses/{diagnosis_id}"

    return await _create(runtime, principal, request, idempotency_key, body, make)


@router.put("/{diagnosisId}/profile", response_model=ProfileOut, responses=CLOSED_CASE)
async def update_profile(diagnosis_id: DiagnosisId, body: UpdateProfile,
                         principal: Consultant, runtime: RuntimeDep) -> ProfileOut:
    """Replace the work profile: constraints (coded), interests, skills, hours, work area."""
    async with runtime.unit_of_work() as session:
        profile = await handlers.update_profile(session, principal=principal,
                                                case_id=diagnosis_id, command=body,
                                                oin=runtime.settings.oin)
        return ProfileOut.model_validate(profile, from_attributes=True)


@router.post("/{diagnosisId}/wage-value-measurements", status_code=201,
             response_model=WageValueOut, responses=CREATED)
async def record_wage_value(diagnosis_id: DiagnosisId, body: RecordWageValue,
                            principal: Consultant, runtime: RuntimeDep, request: Request,
                            idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Record a loonwaardemeting (validUntil defaults to the re-assessment period)."""
    settings: DiagnoseSettings = request.app.state.settings

    async def make(session: AsyncSession) -> tuple[BaseModel, str]:
        measurement = await handlers.record_wage_value(
            session, principal=principal, case_id=diagnosis_id, command=body,
            settings=settings, today=today())
        return (WageValueOut.model_validate(measurement, from_attributes=True),
                f"/v1/diagnoses/{diagnosis_id}")

    return await _create(runtime, principal, request, idempotency_key, body, make)


@router.put("/{diagnosisId}/plan", response_model=PlanOut, responses=CLOSED_CASE)
async def update_plan(diagnosis_id: DiagnosisId, body: UpdatePlan,
                      principal: Consultant, runtime: RuntimeDep) -> PlanOut:
    """Replace the werk-ontwikkel-plan: goals, steps and the purpose of each workplace."""
    async with runtime.unit_of_work() as session:
        plan = await handlers.update_plan(session, principal=principal, case_id=diagnosis_id,
                                          command=body)
        return PlanOut.model_validate(plan, from_attributes=True)


@router.post("/{diagnosisId}/advices", status_code=201, response_model=AdviceOut,
             responses=CREATED)
async def issue_advice(diagnosis_id: DiagnosisId, body: IssueAdvice,
                       principal: Consultant, runtime: RuntimeDep, request: Request,
                       idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Advise the gemeente: programme, LKS and beschut werk indication, development potential."""

    async def make(session: AsyncSession) -> tuple[BaseModel, str]:
        advice = await handlers.issue_advice(session, principal=principal,
                                             case_id=diagnosis_id, command=body,
                                             oin=runtime.settings.oin)
        return AdviceOut.model_validate(advice, from_attributes=True), \
            f"/v1/diagnoses/{diagnosis_id}"

    return await _create(runtime, principal, request, idempotency_key, body, make)


@router.post("/{diagnosisId}/closures", status_code=201, response_model=DiagnosisOut,
             responses=CREATED)
async def close_diagnosis(diagnosis_id: DiagnosisId, body: CloseDiagnosis,
                          principal: Consultant, runtime: RuntimeDep, request: Request,
                          idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Close the case with its outcome (for MWD/OAD: the categories councils report)."""

    async def make(session: AsyncSession) -> tuple[BaseModel, str]:
        case = await handlers.close_case(session, principal=principal, case_id=diagnosis_id,
                                         command=body, oin=runtime.settings.oin)
        tasks = await CaseRepository(session).tasks_of(case.id)
        return case_view(case, tasks, today()), f"/v1/diagnoses/{case.id}"

    return await _create(runtime, principal, request, idempotency_key, body, make)
