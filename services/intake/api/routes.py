"""Intake's endpoints under /v1. Each declares its roles and checks the tenant.

Write routes check the role as a dependency (`requires`), before FastAPI reads the body: a
caller without the role gets 403 whatever it sends. Handlers check again (defence in depth).
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.intake import handlers
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
from services.intake.domain.candidate import Status
from services.intake.store.models import Candidate
from services.intake.store.repository import CandidateFilter, CandidateRepository
from shared.auth import CurrentPrincipal, OrgKind, Principal, requires
from shared.http.deps import IdempotencyKey, PageDep, RuntimeDep
from shared.http.idempotency import create_once
from shared.http.openapi import problem_response
from shared.http.pagination import set_link_header

router = APIRouter(tags=["candidates"])
CREATED_HEADERS = {"Location": {"description": "URI of the created resource",
                                "schema": {"type": "string"}}}
CandidateId = Annotated[UUID, Path(alias="candidateId", description="the candidate's id")]
CONFLICT: dict[int | str, dict[str, Any]] = {
    409: problem_response("Duplicate, or not allowed in the candidate's status")}
# The gemeente's own klantmanager (or admin): the only writer of a candidate's record.
GemeenteWriter = Annotated[Principal, Depends(requires(*handlers.GEMEENTE_WRITERS,
                                                       kinds=(OrgKind.GEMEENTE,)))]


@router.post("/candidates", status_code=201, response_model=CandidateOut,
             responses={201: {"headers": CREATED_HEADERS}, **CONFLICT})
async def register_candidate(
    body: RegisterCandidate, principal: GemeenteWriter, runtime: RuntimeDep,
    request: Request, idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Register a candidate in the caller's gemeente (409 if the BSN is already registered)."""

    async def create(session: AsyncSession) -> tuple[CandidateOut, str]:
        candidate = await handlers.register_candidate(
            session, principal=principal, command=body, oin=runtime.settings.oin)
        return candidate_out(candidate, principal), f"/v1/candidates/{candidate.id}"

    try:
        return await create_once(
            runtime, organisation=principal.idempotency_scope, key=idempotency_key,
            path=request.url.path, payload=_payload(body), create=create)
    except IntegrityError:
        # Two registrations of one BSN raced; the other committed first.
        async with runtime.sessions() as session:
            existing = await CandidateRepository(session).find_by_bsn(
                gemeente=principal.org, bsn=body.bsn)
        if existing is None:
            raise
        raise handlers.duplicate_of(existing.id) from None


@router.get("/candidates", response_model=CandidatePage,
            responses={200: {"headers": {"Link": {"$ref": "#/components/headers/Link"}}}})
async def list_candidates(
    principal: CurrentPrincipal, runtime: RuntimeDep, page: PageDep, request: Request,
    response: Response,
    status: Annotated[Status | None, Query(description="filter on status")] = None,
    target_group: Annotated[TargetGroupCode | None, Query(alias="targetGroup")] = None,
    route: Annotated[RouteCode | None, Query()] = None,
) -> CandidatePage:
    """Candidates the caller may see: a gemeente its own, an uitvoerder those referred to it."""
    filters = CandidateFilter(status=status.value if status else None,
                              target_group=target_group.value if target_group else None,
                              route=route.value if route else None)
    async with runtime.unit_of_work() as session:
        items, total = await handlers.list_candidates(
            session, principal=principal, filters=filters, params=page)
        body = CandidatePage(items=[candidate_out(c, principal) for c in items], page=page.page,
                             page_size=page.page_size, total=total)
    set_link_header(request, response, page, total)
    return body


@router.get("/candidates/{candidateId}", response_model=CandidateOut)
async def get_candidate(
    candidate_id: CandidateId, principal: CurrentPrincipal, runtime: RuntimeDep,
) -> CandidateOut:
    """One candidate; an uitvoerder's read is allowed only while referred, and is logged."""
    async with runtime.unit_of_work() as session:
        candidate = await handlers.read_candidate(session, principal=principal,
                                                  candidate_id=candidate_id)
        return candidate_out(candidate, principal)


@router.post("/candidates/{candidateId}/route-decisions", status_code=201,
             response_model=RouteDecisionOut,
             responses={201: {"headers": CREATED_HEADERS}, **CONFLICT})
async def decide_route(
    candidate_id: CandidateId, body: DecideRoute, principal: GemeenteWriter,
    runtime: RuntimeDep, request: Request, idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Decide the route: exempt, care, regular-work, or refer to an uitvoerder."""

    async def create(session: AsyncSession) -> tuple[RouteDecisionOut, str]:
        decision = await handlers.decide_route(
            session, principal=principal, candidate_id=candidate_id, command=body,
            oin=runtime.settings.oin)
        out = RouteDecisionOut.model_validate(decision, from_attributes=True)
        return out, f"/v1/candidates/{candidate_id}/route-decisions/{decision.id}"

    return await create_once(
        runtime, organisation=principal.idempotency_scope, key=idempotency_key,
        path=request.url.path, payload=_payload(body), create=create)


@router.post("/candidates/{candidateId}/programme-decisions", status_code=201,
             response_model=ProgrammeDecisionOut,
             responses={201: {"headers": CREATED_HEADERS}, **CONFLICT})
async def decide_programme(
    candidate_id: CandidateId, body: DecideProgramme, principal: GemeenteWriter,
    runtime: RuntimeDep, request: Request, idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Decide the programme (uitstroom, ontwikkel, werk) and the uitvoerder that runs it."""

    async def create(session: AsyncSession) -> tuple[ProgrammeDecisionOut, str]:
        decision = await handlers.decide_programme(
            session, principal=principal, candidate_id=candidate_id, command=body,
            oin=runtime.settings.oin)
        out = ProgrammeDecisionOut.model_validate(decision, from_attributes=True)
        return out, f"/v1/candidates/{candidate_id}/programme-decisions/{decision.id}"

    return await create_once(
        runtime, organisation=principal.idempotency_scope, key=idempotency_key,
        path=request.url.path, payload=_payload(body), create=create)


@router.post("/candidates/{candidateId}/closures", status_code=201, response_model=ClosureOut,
             responses={201: {"headers": CREATED_HEADERS}, **CONFLICT})
async def close_candidate(
    candidate_id: CandidateId, body: CloseCandidate, principal: GemeenteWriter,
    runtime: RuntimeDep, request: Request, idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Close the candidate's klantreis; every referral ends with it."""

    async def create(session: AsyncSession) -> tuple[ClosureOut, str]:
        candidate = await handlers.close_candidate(
            session, principal=principal, candidate_id=candidate_id, command=body,
            oin=runtime.settings.oin)
        out = ClosureOut(candidate_id=candidate.id, reason=body.reason,
                         closed_at=candidate.closed_at)
        return out, f"/v1/candidates/{candidate_id}"

    return await create_once(
        runtime, organisation=principal.idempotency_scope, key=idempotency_key,
        path=request.url.path, payload=_payload(body), create=create)


@router.get("/access-logs", response_model=AccessLogPage, tags=["access-logs"],
            responses={200: {"headers": {"Link": {"$ref": "#/components/headers/Link"}}}})
async def list_access_logs(
    principal: CurrentPrincipal, runtime: RuntimeDep, page: PageDep, request: Request,
    response: Response,
    candidate_id: Annotated[UUID | None, Query(alias="candidateId")] = None,
) -> AccessLogPage:
    """The gemeente's log of who read its residents' personal data, when and on what ground."""
    async with runtime.sessions() as session:
        items, total = await handlers.access_log(session, principal=principal,
                                                 candidate_id=candidate_id, params=page)
    set_link_header(request, response, page, total)
    return AccessLogPage(items=[AccessLogOut.model_validate(e, from_attributes=True)
                                for e in items],
                         page=page.page, page_size=page.page_size, total=total)


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


def _payload(body: Any) -> Any:
    return body.model_dump(mode="json")
