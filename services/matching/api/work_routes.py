"""Proposals and placements. Write routes check the role first (Writer); tenancy in handlers."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from services.matching import handlers, placing
from services.matching.api.common import CREATED, PAGED, Writer, create, settings_of
from services.matching.api.schemas import (
    ChangeProposalStatus,
    CreatePlacement,
    CreateProposal,
    EndPlacement,
    PlacementOut,
    PlacementPage,
    ProposalOut,
    ProposalPage,
)
from services.matching.api.views import placement_view, proposal_view
from services.matching.commands import StartPlacement
from services.matching.domain.workflow import ProposalStatus
from services.matching.handlers import placements
from services.matching.store.models import Placement, Proposal
from services.matching.store.repository import PlacementRepository, ProposalRepository
from shared.auth import CurrentPrincipal
from shared.http.deps import IdempotencyKey, PageDep, RuntimeDep
from shared.http.pagination import set_link_header
from shared.problems import NotFound

router = APIRouter()
VacancyId = Annotated[UUID, Path(alias="vacancyId", description="the vacancy id")]
ProposalId = Annotated[UUID, Path(alias="proposalId", description="the proposal id")]
PlacementId = Annotated[UUID, Path(alias="placementId", description="the placement id")]
CandidateFilter = Annotated[UUID | None, Query(alias="candidateId")]


@router.post("/vacancies/{vacancyId}/proposals", status_code=201, response_model=ProposalOut,
             responses=CREATED, tags=["proposals"])
async def create_proposal(vacancy_id: VacancyId, body: CreateProposal,
                          principal: Writer, runtime: RuntimeDep, request: Request,
                          idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Propose a candidate to the employer (a hard conflict without a carving is a 409)."""
    settings = settings_of(request)

    async def make(session: AsyncSession) -> tuple[BaseModel, str]:
        proposal = await placing.propose(
            session, principal=principal, vacancy_id=vacancy_id, command=body,
            min_carved_hours=settings.matching_min_carved_hours, oin=runtime.settings.oin)
        return proposal_view(proposal), f"/v1/proposals/{proposal.id}"

    return await create(runtime, principal, request, idempotency_key, body, make)


@router.get("/proposals", response_model=ProposalPage, responses=PAGED, tags=["proposals"])
async def list_proposals(
    principal: CurrentPrincipal, runtime: RuntimeDep, page: PageDep, request: Request,
    response: Response, candidate_id: CandidateFilter = None,
    vacancy_id: Annotated[UUID | None, Query(alias="vacancyId")] = None,
    status: Annotated[ProposalStatus | None, Query()] = None,
) -> ProposalPage:
    """Proposals of your candidates, newest first."""
    handlers.require_reader(principal)
    async with runtime.sessions() as session:
        repo = ProposalRepository(session)
        query = repo.visible_query(principal)
        if candidate_id:
            query = query.where(Proposal.candidate_id == candidate_id)
        if vacancy_id:
            query = query.where(Proposal.vacancy_id == vacancy_id)
        if status:
            query = query.where(Proposal.status == status.value)
        items, total = await repo.page(query, page)
    set_link_header(request, response, page, total)
    return ProposalPage(items=[proposal_view(p) for p in items], page=page.page,
                        page_size=page.page_size, total=total)


@router.get("/proposals/{proposalId}", response_model=ProposalOut, tags=["proposals"])
async def get_proposal(proposal_id: ProposalId, principal: CurrentPrincipal,
                       runtime: RuntimeDep) -> ProposalOut:
    """One proposal."""
    handlers.require_reader(principal)
    async with runtime.sessions() as session:
        proposal = await ProposalRepository(session).visible(principal, proposal_id)
    if proposal is None:
        raise NotFound(f"no proposal {proposal_id} for this organisation")
    return proposal_view(proposal)


@router.post("/proposals/{proposalId}/status-changes", status_code=201,
             response_model=ProposalOut, responses=CREATED, tags=["proposals"])
async def change_proposal(proposal_id: ProposalId, body: ChangeProposalStatus,
                          principal: Writer, runtime: RuntimeDep, request: Request,
                          idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """proposed → interview → accepted | declined | withdrawn (anything else is a 409)."""

    async def make(session: AsyncSession) -> tuple[BaseModel, str]:
        proposal = await placing.change_proposal(session, principal=principal,
                                                 proposal_id=proposal_id, command=body,
                                                 oin=runtime.settings.oin)
        return proposal_view(proposal), f"/v1/proposals/{proposal.id}"

    return await create(runtime, principal, request, idempotency_key, body, make)


@router.post("/placements", status_code=201, response_model=PlacementOut, responses=CREATED,
             tags=["placements"])
async def create_placement(body: CreatePlacement, principal: Writer,
                           runtime: RuntimeDep, request: Request,
                           idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Start a placement: trial, lks, regular, sheltered, secondment or wsw.

    LKS and sheltered pay at least the minimum wage for the person on the start date (400
    naming it; 400 too when none is known for that day); sheltered needs a granted beschut-werk
    indication (400); paid jobs running together stay within MATCHING_MAX_HOURS_PER_WEEK and a
    trial does not run beside a paid job at the same employer (409 naming the other
    placement). With `proposalId`, the proposal must be accepted and for this candidate and
    vacancy; the placement that fills the vacancy's last position closes it.
    """
    command = StartPlacement(
        candidate_id=body.candidate_id, employer_id=body.employer_id,
        vacancy_id=body.vacancy_id, proposal_id=body.proposal_id, form=body.form,
        hours_per_week=body.hours_per_week, hourly_wage=Decimal(body.hourly_wage),
        start_date=body.start_date, planned_end=body.planned_end,
        through_uwv=body.through_uwv)
    max_hours = Decimal(str(settings_of(request).matching_max_hours_per_week))

    async def make(session: AsyncSession) -> tuple[BaseModel, str]:
        placement = await placements.start_placement(
            session, principal=principal, command=command, max_hours_per_week=max_hours,
            oin=runtime.settings.oin)
        return placement_view(placement), f"/v1/placements/{placement.id}"

    return await create(runtime, principal, request, idempotency_key, body, make)


@router.get("/placements", response_model=PlacementPage, responses=PAGED, tags=["placements"])
async def list_placements(principal: CurrentPrincipal, runtime: RuntimeDep, page: PageDep,
                          request: Request, response: Response,
                          candidate_id: CandidateFilter = None) -> PlacementPage:
    """Placements of your candidates, latest start first."""
    handlers.require_reader(principal)
    async with runtime.sessions() as session:
        repo = PlacementRepository(session)
        query = repo.visible_query(principal)
        if candidate_id:
            query = query.where(Placement.candidate_id == candidate_id)
        items, total = await repo.page(query, page)
    set_link_header(request, response, page, total)
    return PlacementPage(items=[placement_view(p) for p in items], page=page.page,
                         page_size=page.page_size, total=total)


@router.get("/placements/{placementId}", response_model=PlacementOut, tags=["placements"])
async def get_placement(placement_id: PlacementId, principal: CurrentPrincipal,
                        runtime: RuntimeDep) -> PlacementOut:
    """One placement."""
    handlers.require_reader(principal)
    async with runtime.sessions() as session:
        placement = await PlacementRepository(session).visible(principal, placement_id)
    if placement is None:
        raise NotFound(f"no placement {placement_id} for this organisation")
    return placement_view(placement)


@router.post("/placements/{placementId}/endings", status_code=201, response_model=PlacementOut,
             responses=CREATED, tags=["placements"])
async def end_placement(placement_id: PlacementId, body: EndPlacement,
                        principal: Writer, runtime: RuntimeDep, request: Request,
                        idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """End the placement with its reason."""

    async def make(session: AsyncSession) -> tuple[BaseModel, str]:
        placement = await placing.end_placement(session, principal=principal,
                                                placement_id=placement_id, command=body,
                                                oin=runtime.settings.oin)
        return placement_view(placement), f"/v1/placements/{placement.id}"

    return await create(runtime, principal, request, idempotency_key, body, make)
