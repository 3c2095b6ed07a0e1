"""Proposals and placements. Write routes check the role first (WriterUow); the handlers check
it again, and the tenancy."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from services.matching.api.common import CREATED, PAGED, create
from services.matching.api.deps import Settings, Uow, WriterUow
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
from services.matching.commands import EndPlacement as EndPlacementCommand
from services.matching.commands import MoveProposal, ProposeCandidate, StartPlacement
from services.matching.domain.workflow import ProposalStatus
from services.matching.handlers import placements, proposals
from shared.http.deps import IdempotencyKey
from shared.http.pagination import PagerDep
from shared.http.routes import UnitOfWorkRoute

router = APIRouter(route_class=UnitOfWorkRoute)
VacancyId = Annotated[UUID, Path(alias="vacancyId", description="the vacancy id")]
ProposalId = Annotated[UUID, Path(alias="proposalId", description="the proposal id")]
PlacementId = Annotated[UUID, Path(alias="placementId", description="the placement id")]
CandidateFilter = Annotated[UUID | None, Query(alias="candidateId")]


@router.post("/vacancies/{vacancyId}/proposals", status_code=201, response_model=ProposalOut,
             responses=CREATED, tags=["proposals"])
async def create_proposal(vacancy_id: VacancyId, body: CreateProposal, uow: WriterUow,
                          settings: Settings, request: Request,
                          idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Propose a candidate to the employer (a hard conflict without a carving is a 409)."""
    command = ProposeCandidate(vacancy_id=vacancy_id, candidate_id=body.candidate_id)

    async def make() -> tuple[BaseModel, str]:
        proposal = await proposals.propose(
            uow, command, min_carved_hours=settings.matching_min_carved_hours)
        return proposal_view(proposal), f"/v1/proposals/{proposal.id}"

    return await create(uow, request, idempotency_key, body, make)


@router.get("/proposals", response_model=ProposalPage, responses=PAGED, tags=["proposals"])
async def list_proposals(
    uow: Uow, pager: PagerDep, candidate_id: CandidateFilter = None,
    vacancy_id: Annotated[UUID | None, Query(alias="vacancyId")] = None,
    status: Annotated[ProposalStatus | None, Query()] = None,
) -> ProposalPage:
    """Proposals of your candidates, newest first."""
    items, total = await proposals.proposal_page(uow, pager.params, candidate_id=candidate_id,
                                                 vacancy_id=vacancy_id, status=status)
    return pager.page(ProposalPage, [proposal_view(p) for p in items], total)


@router.get("/proposals/{proposalId}", response_model=ProposalOut, tags=["proposals"])
async def get_proposal(proposal_id: ProposalId, uow: Uow) -> ProposalOut:
    """One proposal."""
    return proposal_view(await proposals.get_proposal(uow, proposal_id))


@router.post("/proposals/{proposalId}/status-changes", status_code=201,
             response_model=ProposalOut, responses=CREATED, tags=["proposals"])
async def change_proposal(proposal_id: ProposalId, body: ChangeProposalStatus,
                          uow: WriterUow, request: Request,
                          idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """proposed → interview → accepted | declined | withdrawn (anything else is a 409)."""
    command = MoveProposal(proposal_id=proposal_id, status=ProposalStatus(body.status))

    async def make() -> tuple[BaseModel, str]:
        proposal = await proposals.move_proposal(uow, command)
        return proposal_view(proposal), f"/v1/proposals/{proposal.id}"

    return await create(uow, request, idempotency_key, body, make)


@router.post("/placements", status_code=201, response_model=PlacementOut, responses=CREATED,
             tags=["placements"])
async def create_placement(body: CreatePlacement, uow: WriterUow,
                           settings: Settings, request: Request,
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
    max_hours = Decimal(str(settings.matching_max_hours_per_week))

    async def make() -> tuple[BaseModel, str]:
        placement = await placements.start_placement(uow, command,
                                                     max_hours_per_week=max_hours)
        return placement_view(placement), f"/v1/placements/{placement.id}"

    return await create(uow, request, idempotency_key, body, make)


@router.get("/placements", response_model=PlacementPage, responses=PAGED, tags=["placements"])
async def list_placements(uow: Uow, pager: PagerDep,
                          candidate_id: CandidateFilter = None) -> PlacementPage:
    """Placements of your candidates, latest start first."""
    items, total = await placements.placement_page(uow, pager.params,
                                                   candidate_id=candidate_id)
    return pager.page(PlacementPage, [placement_view(p) for p in items], total)


@router.get("/placements/{placementId}", response_model=PlacementOut, tags=["placements"])
async def get_placement(placement_id: PlacementId, uow: Uow) -> PlacementOut:
    """One placement."""
    return placement_view(await placements.get_placement(uow, placement_id))


@router.post("/placements/{placementId}/endings", status_code=201, response_model=PlacementOut,
             responses=CREATED, tags=["placements"])
async def end_placement(placement_id: PlacementId, body: EndPlacement, uow: WriterUow,
                        request: Request,
                        idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """End the placement with its reason."""
    command = EndPlacementCommand(placement_id=placement_id, end_date=body.end_date,
                                  reason=body.reason)

    async def make() -> tuple[BaseModel, str]:
        placement = await placements.end_placement(uow, command)
        return placement_view(placement), f"/v1/placements/{placement.id}"

    return await create(uow, request, idempotency_key, body, make)
