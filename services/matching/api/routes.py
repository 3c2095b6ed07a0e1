"""Employers, vacancies, carvings and matches. Write routes check the role first (Writer);
tenancy is checked in the handlers."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from services.matching import handlers, matcher
from services.matching.api.common import (
    CREATED,
    PAGED,
    STATE,
    Writer,
    create,
    index_of,
    settings_of,
)
from services.matching.api.deps import Keeper
from services.matching.api.formats import WerksoortCode
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
from services.matching.placing import matchable, visible_candidate
from services.matching.store.models import Vacancy
from services.matching.store.repository import OPEN, EmployerRepository, VacancyRepository
from shared.auth import CurrentPrincipal
from shared.http.deps import IdempotencyKey, PageDep, RuntimeDep
from shared.http.pagination import set_link_header
from shared.problems import Conflict

router = APIRouter()
EmployerId = Annotated[UUID, Path(alias="employerId", description="the employer id")]
VacancyId = Annotated[UUID, Path(alias="vacancyId", description="the vacancy id")]
CandidateId = Annotated[UUID, Path(alias="candidateId", description="the candidate id")]


@router.post("/employers", status_code=201, response_model=EmployerOut, responses=CREATED,
             tags=["employers"])
async def create_employer(body: CreateEmployer, principal: Keeper,
                          runtime: RuntimeDep, request: Request,
                          idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Register an employer (KvK number, sector, location, contacts) for your organisation."""

    async def make(session: AsyncSession) -> tuple[BaseModel, str]:
        employer = await handlers.create_employer(session, principal=principal, command=body)
        return employer_view(employer), f"/v1/employers/{employer.id}"

    return await create(runtime, principal, request, idempotency_key, body, make)


@router.get("/employers", response_model=EmployerPage, responses=PAGED, tags=["employers"])
async def list_employers(principal: CurrentPrincipal, runtime: RuntimeDep, page: PageDep,
                         request: Request, response: Response) -> EmployerPage:
    """Employers in your gemeenten and those your organisation keeps, by name (a WSP: those
    it keeps, pushed by webhook or registered here)."""
    handlers.require_keeper_reader(principal)
    async with runtime.sessions() as session:
        repo = EmployerRepository(session)
        items, total = await repo.page(repo.visible_query(principal), page)
    set_link_header(request, response, page, total)
    return EmployerPage(items=[employer_view(e) for e in items], page=page.page,
                        page_size=page.page_size, total=total)


@router.get("/employers/{employerId}", response_model=EmployerOut, tags=["employers"])
async def get_employer(employer_id: EmployerId, principal: CurrentPrincipal,
                       runtime: RuntimeDep) -> EmployerOut:
    """One employer."""
    handlers.require_keeper_reader(principal)
    async with runtime.sessions() as session:
        return employer_view(await handlers.visible_employer(session, principal, employer_id))


@router.post("/vacancies", status_code=201, response_model=VacancyOut, responses=CREATED,
             tags=["vacancies"])
async def create_vacancy(body: CreateVacancy, principal: Keeper, runtime: RuntimeDep,
                         request: Request,
                         idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Publish a vacancy: tasks with their hours, coded demands and skills."""

    async def make(session: AsyncSession) -> tuple[BaseModel, str]:
        vacancy = await handlers.create_vacancy(session, principal=principal, command=body,
                                                oin=runtime.settings.oin)
        return vacancy_view(vacancy), f"/v1/vacancies/{vacancy.id}"

    return await create(runtime, principal, request, idempotency_key, body, make)


@router.get("/vacancies", response_model=VacancyPage, responses=PAGED, tags=["vacancies"])
async def list_vacancies(
    principal: CurrentPrincipal, runtime: RuntimeDep, page: PageDep, request: Request,
    response: Response,
    status: Annotated[str | None, Query(pattern="^(open|closed)$")] = None,
    werksoort: Annotated[WerksoortCode | None, Query()] = None,
    external_ref: Annotated[str | None, Query(
        alias="externalRef", max_length=100, pattern=r"^[A-Za-z0-9._:-]+$",
        description="the reference a WSP gave the vacancy in its webhook")] = None,
) -> VacancyPage:
    """Vacancies where you work (your gemeenten) and those you keep, newest first (a WSP:
    those it keeps)."""
    handlers.require_keeper_reader(principal)
    async with runtime.sessions() as session:
        repo = VacancyRepository(session)
        query = repo.visible_query(principal)
        if status:
            query = query.where(Vacancy.status == status)
        if werksoort:
            query = query.where(Vacancy.werksoort == werksoort.value)
        if external_ref:
            query = query.where(Vacancy.external_ref == external_ref)
        items, total = await repo.page(query, page)
    set_link_header(request, response, page, total)
    return VacancyPage(items=[vacancy_view(v) for v in items], page=page.page,
                       page_size=page.page_size, total=total)


@router.get("/vacancies/{vacancyId}", response_model=VacancyOut, tags=["vacancies"])
async def get_vacancy(vacancy_id: VacancyId, principal: CurrentPrincipal,
                      runtime: RuntimeDep) -> VacancyOut:
    """One vacancy (or carved job) with its tasks."""
    handlers.require_keeper_reader(principal)
    async with runtime.sessions() as session:
        return vacancy_view(await handlers.visible_vacancy(session, principal, vacancy_id))


@router.post("/vacancies/{vacancyId}/closures", status_code=201, response_model=VacancyOut,
             responses=CREATED, tags=["vacancies"])
async def close_vacancy(vacancy_id: VacancyId, body: CloseVacancy, principal: Keeper,
                        runtime: RuntimeDep, request: Request,
                        idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Withdraw the vacancy, or record it as filled (its keeper, a WSP too, or the gemeente
    where the work is)."""

    async def make(session: AsyncSession) -> tuple[BaseModel, str]:
        vacancy = await handlers.close_vacancy(session, principal=principal,
                                               vacancy_id=vacancy_id, command=body,
                                               oin=runtime.settings.oin)
        return vacancy_view(vacancy), f"/v1/vacancies/{vacancy.id}"

    return await create(runtime, principal, request, idempotency_key, body, make)


@router.post("/vacancies/{vacancyId}/carvings", status_code=201, response_model=VacancyOut,
             responses=CREATED, tags=["vacancies"])
async def create_carving(vacancy_id: VacancyId, body: CreateCarving,
                         principal: Writer, runtime: RuntimeDep, request: Request,
                         idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Jobcarving: a new vacancy of some of this one's tasks, linked to it (carvedFrom)."""
    settings = settings_of(request)

    async def make(session: AsyncSession) -> tuple[BaseModel, str]:
        carved = await handlers.carve(session, principal=principal, vacancy_id=vacancy_id,
                                      command=body, min_hours=settings.matching_min_carved_hours,
                                      oin=runtime.settings.oin)
        return vacancy_view(carved), f"/v1/vacancies/{carved.id}"

    return await create(runtime, principal, request, idempotency_key, body, make)


@router.get("/vacancies/{vacancyId}/matches", response_model=CandidateMatchPage,
            responses={**PAGED, **STATE}, tags=["matches"])
async def vacancy_matches(vacancy_id: VacancyId, principal: CurrentPrincipal,
                          runtime: RuntimeDep, page: PageDep, request: Request,
                          response: Response) -> CandidateMatchPage:
    """Your candidates for this vacancy, best first, each with the reasons."""
    handlers.require_reader(principal)
    async with runtime.sessions() as session:
        vacancy = await handlers.visible_vacancy(session, principal, vacancy_id)
        if vacancy.status != OPEN:
            raise Conflict("the vacancy is closed")
        ranked = await matcher.rank_candidates(
            session, index_of(request), principal, vacancy, page,
            settings_of(request).matching_min_carved_hours)
    set_link_header(request, response, page, ranked.total)
    return CandidateMatchPage(
        vacancy_id=vacancy.id, items=[candidate_match_view(p, m) for p, m in ranked.items],
        page=page.page, page_size=page.page_size, total=ranked.total)


@router.get("/candidates/{candidateId}/matches", response_model=VacancyMatchPage,
            responses={**PAGED, **STATE}, tags=["matches"])
async def candidate_matches(candidate_id: CandidateId, principal: CurrentPrincipal,
                            runtime: RuntimeDep, page: PageDep, request: Request,
                            response: Response) -> VacancyMatchPage:
    """Open vacancies you may see for this candidate, best first, each with the reasons."""
    handlers.require_reader(principal)
    async with runtime.sessions() as session:
        row = matchable(await visible_candidate(session, principal, candidate_id))
        vacancies = await VacancyRepository(session).open_visible(principal)
    items, total = matcher.rank_vacancies(matcher.profile_of(row), vacancies, page,
                                          settings_of(request).matching_min_carved_hours)
    set_link_header(request, response, page, total)
    return VacancyMatchPage(candidate_id=candidate_id,
                            items=[vacancy_match_view(v, m) for v, m in items],
                            page=page.page, page_size=page.page_size, total=total)
