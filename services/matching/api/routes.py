"""Employers, vacancies, carvings and matches. Write routes check the role first (WriterUow,
KeeperUow); the handlers check it again, and the tenancy."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from services.matching.api.common import CREATED, PAGED, STATE, create, ranked_page
from services.matching.api.deps import Index, KeeperUow, Settings, Uow, WriterUow
from services.matching.api.formats import WerksoortCode
from services.matching.api.mapping import vacancy_spec
from services.matching.api.schemas import (
    CandidateMatchPage,
    CloseVacancy,
    CreateCarving,
    CreateEmployer,
    CreateVacancy,
    EmployerOut,
    EmployerPage,
    VacancyMatchPage,
    VacancyOut,
    VacancyPage,
)
from services.matching.api.views import (
    candidate_match_view,
    employer_view,
    vacancy_match_view,
    vacancy_view,
)
from services.matching.commands import (
    CarveVacancy,
    PublishVacancy,
    RegisterEmployer,
)
from services.matching.commands import CloseVacancy as CloseVacancyCommand
from services.matching.handlers import carving, matches, vacancies
from shared.http.deps import IdempotencyKey
from shared.http.pagination import PagerDep
from shared.http.routes import UnitOfWorkRoute

router = APIRouter(route_class=UnitOfWorkRoute)
EmployerId = Annotated[UUID, Path(alias="employerId", description="the employer id")]
VacancyId = Annotated[UUID, Path(alias="vacancyId", description="the vacancy id")]
CandidateId = Annotated[UUID, Path(alias="candidateId", description="the candidate id")]


@router.post("/employers", status_code=201, response_model=EmployerOut, responses=CREATED,
             tags=["employers"])
async def create_employer(body: CreateEmployer, uow: KeeperUow, request: Request,
                          idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Register an employer (KvK number, sector, location, contacts) for your organisation."""
    command = RegisterEmployer(
        kvk_number=body.kvk_number, name=body.name, sector=body.sector, gemeente=body.gemeente,
        contacts=tuple(c.model_dump(mode="json", by_alias=True) for c in body.contacts))

    async def make() -> tuple[BaseModel, str]:
        employer = await vacancies.register_employer(uow, command)
        return employer_view(employer), f"/v1/employers/{employer.id}"

    return await create(uow, request, idempotency_key, body, make)


@router.get("/employers", response_model=EmployerPage, responses=PAGED, tags=["employers"])
async def list_employers(uow: Uow, pager: PagerDep) -> EmployerPage:
    """Employers in your gemeenten and those your organisation keeps, by name (a WSP: those
    it keeps, pushed by webhook or registered here)."""
    items, total = await vacancies.employer_page(uow, pager.params)
    return pager.page(EmployerPage, [employer_view(e) for e in items], total)


@router.get("/employers/{employerId}", response_model=EmployerOut, tags=["employers"])
async def get_employer(employer_id: EmployerId, uow: Uow) -> EmployerOut:
    """One employer."""
    return employer_view(await vacancies.get_employer(uow, employer_id))


@router.post("/vacancies", status_code=201, response_model=VacancyOut, responses=CREATED,
             tags=["vacancies"])
async def create_vacancy(body: CreateVacancy, uow: KeeperUow, request: Request,
                         idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Publish a vacancy: tasks with their hours, coded demands and skills."""
    command = PublishVacancy(employer_id=body.employer_id, vacancy=vacancy_spec(body))

    async def make() -> tuple[BaseModel, str]:
        vacancy = await vacancies.publish_vacancy(uow, command)
        return vacancy_view(vacancy), f"/v1/vacancies/{vacancy.id}"

    return await create(uow, request, idempotency_key, body, make)


@router.get("/vacancies", response_model=VacancyPage, responses=PAGED, tags=["vacancies"])
async def list_vacancies(
    uow: Uow, pager: PagerDep,
    status: Annotated[str | None, Query(pattern="^(open|closed)$")] = None,
    werksoort: Annotated[WerksoortCode | None, Query()] = None,
    external_ref: Annotated[str | None, Query(
        alias="externalRef", max_length=100, pattern=r"^[A-Za-z0-9._:-]+$",
        description="the reference a WSP gave the vacancy in its webhook")] = None,
) -> VacancyPage:
    """Vacancies where you work (your gemeenten) and those you keep, newest first (a WSP:
    those it keeps)."""
    items, total = await vacancies.vacancy_page(uow, pager.params, status=status,
                                                werksoort=werksoort, external_ref=external_ref)
    return pager.page(VacancyPage, [vacancy_view(v) for v in items], total)


@router.get("/vacancies/{vacancyId}", response_model=VacancyOut, tags=["vacancies"])
async def get_vacancy(vacancy_id: VacancyId, uow: Uow) -> VacancyOut:
    """One vacancy (or carved job) with its tasks."""
    return vacancy_view(await vacancies.get_vacancy(uow, vacancy_id))


@router.post("/vacancies/{vacancyId}/closures", status_code=201, response_model=VacancyOut,
             responses=CREATED, tags=["vacancies"])
async def close_vacancy(vacancy_id: VacancyId, body: CloseVacancy, uow: KeeperUow,
                        request: Request,
                        idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Withdraw the vacancy, or record it as filled (its keeper, a WSP too, or the gemeente
    where the work is)."""
    command = CloseVacancyCommand(vacancy_id=vacancy_id, reason=body.reason)

    async def make() -> tuple[BaseModel, str]:
        vacancy = await vacancies.close_vacancy(uow, command)
        return vacancy_view(vacancy), f"/v1/vacancies/{vacancy.id}"

    return await create(uow, request, idempotency_key, body, make)


@router.post("/vacancies/{vacancyId}/carvings", status_code=201, response_model=VacancyOut,
             responses=CREATED, tags=["vacancies"])
async def create_carving(vacancy_id: VacancyId, body: CreateCarving, uow: WriterUow,
                         settings: Settings, request: Request,
                         idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Jobcarving: a new vacancy of some of this one's tasks, linked to it (carvedFrom)."""
    command = CarveVacancy(vacancy_id=vacancy_id, tasks=tuple(body.tasks))

    async def make() -> tuple[BaseModel, str]:
        carved = await carving.carve(uow, command,
                                     min_hours=settings.matching_min_carved_hours)
        return vacancy_view(carved), f"/v1/vacancies/{carved.id}"

    return await create(uow, request, idempotency_key, body, make)


@router.get("/vacancies/{vacancyId}/matches", response_model=CandidateMatchPage,
            responses={**PAGED, **STATE}, tags=["matches"])
async def vacancy_matches(vacancy_id: VacancyId, uow: Uow, pager: PagerDep, index: Index,
                          settings: Settings) -> CandidateMatchPage:
    """Your candidates for this vacancy, best first, each with the reasons."""
    ranked = await matches.candidates_for(uow, index, vacancy_id, pager.params,
                                          min_carved_hours=settings.matching_min_carved_hours)
    return ranked_page(pager, CandidateMatchPage,
                       [candidate_match_view(p, m) for p, m in ranked.items], ranked.total,
                       vacancy_id=ranked.vacancy.id)


@router.get("/candidates/{candidateId}/matches", response_model=VacancyMatchPage,
            responses={**PAGED, **STATE}, tags=["matches"])
async def candidate_matches(candidate_id: CandidateId, uow: Uow, pager: PagerDep,
                            settings: Settings) -> VacancyMatchPage:
    """Open vacancies you may see for this candidate, best first, each with the reasons."""
    ranked = await matches.vacancies_for(uow, candidate_id, pager.params,
                                         min_carved_hours=settings.matching_min_carved_hours)
    return ranked_page(pager, VacancyMatchPage,
                       [vacancy_match_view(v, m) for v, m in ranked.items], ranked.total,
                       candidate_id=candidate_id)
