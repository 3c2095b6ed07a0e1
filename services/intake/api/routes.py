"""Intake's candidate endpoints under /v1: HTTP → command → handler → response, nothing more.

Write routes take the writer's unit of work (`WriterUow`), whose role is checked before FastAPI
reads the body: a caller without the role gets 403 whatever it sends. Handlers check again
(defence in depth).
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse

from services.intake import commands
from services.intake.api.deps import Uow, WriterUow
from services.intake.api.schemas import (
    AccessLogOut,
    AccessLogPage,
    CandidateOut,
    CandidatePage,
    CloseCandidate,
    ClosureOut,
    DecideProgramme,
    DecideRoute,
    LatestAdviceOut,
    ProgrammeDecisionOut,
    ProgrammeOut,
    ReferralOut,
    RegisterCandidate,
    RouteCode,
    RouteDecisionOut,
    TargetGroupCode,
)
from services.intake.domain.candidate import Benefit, Status, TargetGroup
from services.intake.handlers import candidates as handlers
from services.intake.store.models import Candidate, NewCandidate
from shared.auth import OrgKind, Principal
from shared.http.deps import IdempotencyKey
from shared.http.idempotency import create_once
from shared.http.openapi import problem_response
from shared.http.pagination import PagerDep
from shared.http.routes import UnitOfWorkRoute

router = APIRouter(tags=["candidates"], route_class=UnitOfWorkRoute)
CREATED_HEADERS = {"Location": {"description": "URI of the created resource",
                                "schema": {"type": "string"}}}
CandidateId = Annotated[UUID, Path(alias="candidateId", description="the candidate's id")]
CONFLICT: dict[int | str, dict[str, Any]] = {
    409: problem_response("Duplicate, or not allowed in the candidate's status")}
LINKED: dict[int | str, dict[str, Any]] = {
    200: {"headers": {"Link": {"$ref": "#/components/headers/Link"}}}}


@router.post("/candidates", status_code=201, response_model=CandidateOut,
             responses={201: {"headers": CREATED_HEADERS}, **CONFLICT})
async def register_candidate(
    body: RegisterCandidate, uow: WriterUow, request: Request,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Register a candidate in the caller's gemeente (409 if the BSN is already registered)."""
    command = commands.RegisterCandidate(
        bsn=body.bsn, given_name=body.given_name, family_name=body.family_name,
        birth_date=body.birth_date, postcode=body.postcode, target_group=body.target_group,
        benefit=body.benefit)

    async def create() -> tuple[CandidateOut, str]:
        new = await handlers.register_candidate(uow, command)
        return registered_out(new), f"/v1/candidates/{new.id}"

    return await create_once(uow, key=idempotency_key, request=request,
                             payload=_payload(body, idempotency_key), create=create)


@router.get("/candidates", response_model=CandidatePage, responses=LINKED)
async def list_candidates(
    uow: Uow, pager: PagerDep,
    status: Annotated[Status | None, Query(description="filter on status")] = None,
    target_group: Annotated[TargetGroupCode | None, Query(alias="targetGroup")] = None,
    route: Annotated[RouteCode | None, Query()] = None,
) -> CandidatePage:
    """Candidates the caller may see: a gemeente its own, an uitvoerder those referred to it."""
    filters = commands.CandidateFilter(status=status, target_group=target_group, route=route)
    items, total = await handlers.list_candidates(uow, filters, pager.params)
    return pager.page(CandidatePage, [candidate_out(c, uow.principal) for c in items], total)


@router.get("/candidates/{candidateId}", response_model=CandidateOut)
async def get_candidate(candidate_id: CandidateId, uow: Uow) -> CandidateOut:
    """One candidate; an uitvoerder's read is allowed only while referred, and is logged."""
    candidate = await handlers.read_candidate(uow, candidate_id)
    return candidate_out(candidate, uow.principal)


@router.post("/candidates/{candidateId}/route-decisions", status_code=201,
             response_model=RouteDecisionOut,
             responses={201: {"headers": CREATED_HEADERS}, **CONFLICT})
async def decide_route(
    candidate_id: CandidateId, body: DecideRoute, uow: WriterUow,
    request: Request, idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Decide the route: exempt, care, regular-work, or refer to an uitvoerder."""
    command = commands.DecideRoute(candidate_id=candidate_id, route=body.route,
                                   provider=body.provider, question=body.question)

    async def create() -> tuple[RouteDecisionOut, str]:
        decision = await handlers.decide_route(uow, command)
        out = RouteDecisionOut.model_validate(decision, from_attributes=True)
        return out, f"/v1/candidates/{candidate_id}/route-decisions/{decision.id}"

    return await create_once(uow, key=idempotency_key, request=request,
                             payload=_payload(body, idempotency_key), create=create)


@router.post("/candidates/{candidateId}/programme-decisions", status_code=201,
             response_model=ProgrammeDecisionOut,
             responses={201: {"headers": CREATED_HEADERS}, **CONFLICT})
async def decide_programme(
    candidate_id: CandidateId, body: DecideProgramme, uow: WriterUow,
    request: Request, idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Decide the programme (uitstroom, ontwikkel, werk) and the uitvoerder that runs it."""
    command = commands.DecideProgramme(
        candidate_id=candidate_id, programme=body.programme, provider=body.provider,
        start_date=body.start_date, migrated=body.migrated)

    async def create() -> tuple[ProgrammeDecisionOut, str]:
        decision = await handlers.decide_programme(uow, command)
        out = ProgrammeDecisionOut.model_validate(decision, from_attributes=True)
        return out, f"/v1/candidates/{candidate_id}/programme-decisions/{decision.id}"

    return await create_once(uow, key=idempotency_key, request=request,
                             payload=_payload(body, idempotency_key), create=create)


@router.post("/candidates/{candidateId}/closures", status_code=201, response_model=ClosureOut,
             responses={201: {"headers": CREATED_HEADERS}, **CONFLICT})
async def close_candidate(
    candidate_id: CandidateId, body: CloseCandidate, uow: WriterUow,
    request: Request, idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Close the candidate's klantreis; every referral ends with it."""
    command = commands.CloseCandidate(candidate_id=candidate_id, reason=body.reason)

    async def create() -> tuple[ClosureOut, str]:
        candidate = await handlers.close_candidate(uow, command)
        out = ClosureOut(candidate_id=candidate.id, reason=body.reason,
                         closed_at=candidate.closed_at)
        return out, f"/v1/candidates/{candidate_id}"

    return await create_once(uow, key=idempotency_key, request=request,
                             payload=_payload(body, idempotency_key), create=create)


@router.get("/access-logs", response_model=AccessLogPage, tags=["access-logs"],
            responses=LINKED)
async def list_access_logs(
    uow: Uow, pager: PagerDep,
    candidate_id: Annotated[UUID | None, Query(alias="candidateId")] = None,
) -> AccessLogPage:
    """The gemeente's log of who read its residents' personal data, when and on what ground."""
    items, total = await handlers.access_log(uow, candidate_id, pager.params)
    return pager.page(AccessLogPage, [AccessLogOut.model_validate(e, from_attributes=True)
                                      for e in items], total)


def registered_out(new: NewCandidate) -> CandidateOut:
    """The API view of a candidate just registered, from the values written (no re-read).

    Constructed without validation: every value is one the handler just wrote (the body was
    validated on the way in), and this is the hot path.
    """
    return CandidateOut.model_construct(
        id=new.id, gemeente=new.gemeente, bsn=new.bsn, given_name=new.given_name,
        family_name=new.family_name, birth_date=new.birth_date, postcode=new.postcode,
        target_group=TargetGroup(new.target_group), benefit=Benefit(new.benefit),
        status=Status(new.status), route=None, referrals=[], programme=None,
        closure_reason=None, closed_at=None, latest_advice=None,
        registered_at=new.registered_at, updated_at=new.updated_at,
    )


def candidate_out(candidate: Candidate, principal: Principal) -> CandidateOut:
    """The API view of a candidate; the BSN only for the gemeente itself."""
    programme = None
    if candidate.programme and candidate.programme_provider and candidate.programme_start:
        programme = ProgrammeOut(programme=candidate.programme,
                                 provider=candidate.programme_provider,
                                 start_date=candidate.programme_start,
                                 migrated=candidate.programme_migrated)
    return CandidateOut(
        id=candidate.id, gemeente=candidate.gemeente,
        bsn=candidate.bsn if principal.kind is OrgKind.GEMEENTE else None,
        given_name=candidate.given_name, family_name=candidate.family_name,
        birth_date=candidate.birth_date, postcode=candidate.postcode,
        target_group=candidate.target_group, benefit=candidate.benefit,
        status=candidate.status, route=candidate.route,
        referrals=[ReferralOut(id=r.id, provider=r.provider, question=r.question,
                               referred_at=r.referred_at, active=r.ended_at is None)
                   for r in candidate.referrals],
        programme=programme, closure_reason=candidate.closure_reason,
        latest_advice=_advice_for(candidate, principal),
        closed_at=candidate.closed_at, registered_at=candidate.registered_at,
        updated_at=candidate.updated_at,
    )


def _advice_for(candidate: Candidate, principal: Principal) -> LatestAdviceOut | None:
    """The gemeente sees the latest advice; an uitvoerder only an advice it gave itself."""
    advice = candidate.latest_advice
    if advice is None or (principal.kind is not OrgKind.GEMEENTE and
                          advice.provider != principal.org):
        return None
    return LatestAdviceOut.model_validate(advice, from_attributes=True)


def _payload(body: Any, idempotency_key: str | None) -> Any:
    # What the key promises to stand for; only dumped when there is a key to bind it to.
    return body.model_dump(mode="json") if idempotency_key is not None else None
