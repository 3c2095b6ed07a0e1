"""LKS grants: the lists, the college's worklist of pending grants and its decisions.

Registered before the other routers: `/grants/pending` and `/grants/unpayable` must be matched
before `/grants/{grantId}`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.finance import access
from services.finance.api.deps import GemeenteDecider, UnitOfWork
from services.finance.api.formats import GrantStatus
from services.finance.api.schemas import (
    GrantDecisionIn,
    GrantOut,
    GrantPage,
    GrantRefusalIn,
    UnpayableList,
    UnpayablePlacement,
)
from services.finance.api.views import grant_out
from services.finance.commands import DecideGrant, RefuseGrant
from services.finance.domain import lks
from services.finance.handlers import grant_decisions
from services.finance.store.models import Grant, Placement
from services.finance.store.repository import (
    GrantRepository,
    birth_dates_known,
    grants_with_expired_wage_value,
    placement_scope,
    visible_grants,
)
from shared.auth import CurrentPrincipal, Principal
from shared.events.finance import LksRefusalReason
from shared.http.deps import IdempotencyKey, PageDep, RuntimeDep
from shared.http.idempotency import create_once
from shared.http.openapi import problem_response
from shared.http.pagination import set_link_header
from shared.http.schemas import ApiModel, Day
from shared.problems import NotFound

router = APIRouter(tags=["lks"])
GrantId = Annotated[UUID, Path(alias="grantId", description="the grant id")]
LINK: dict[int | str, dict[str, Any]] = {
    200: {"headers": {"Link": {"$ref": "#/components/headers/Link"}}}}


async def _page(uow: UnitOfWork, query: Select[Grant], page: PageDep, request: Request,
                response: Response) -> GrantPage:
    items, total = await GrantRepository(uow).page(query, page)
    known = await birth_dates_known(uow, (g.candidate_id for g in items))
    set_link_header(request, response, page, total)
    return GrantPage(items=[grant_out(g, g.candidate_id in known) for g in items],
                     page=page.page, page_size=page.page_size, total=total)


@router.get("/grants", response_model=GrantPage, responses=LINK)
async def list_grants(
    principal: CurrentPrincipal, uow: UnitOfWork, page: PageDep, request: Request,
    response: Response,
    status: Annotated[GrantStatus | None, Query(description="a code of grant-statuses")] = None,
    candidate_id: Annotated[UUID | None, Query(alias="candidateId")] = None,
) -> GrantPage:
    """The caller's grants: a gemeente's own, an uitvoerder's for the placements it runs."""
    access.grant_reader(principal)
    return await _page(uow, visible_grants(principal, status, candidate_id), page, request,
                       response)


@router.get("/grants/pending", response_model=GrantPage, responses=LINK)
async def pending_grants(principal: CurrentPrincipal, uow: UnitOfWork, page: PageDep,
                         request: Request, response: Response) -> GrantPage:
    """The college's worklist: grants finance proposed that wait for a decision, oldest
    first (the caller's own, as for the list of grants)."""
    access.grant_reader(principal)
    query = visible_grants(principal, "pending").order_by(None).order_by(
        Grant.granted_at, Grant.id)
    return await _page(uow, query, page, request, response)


@router.get("/grants/unpayable", response_model=UnpayableList)
async def unpayable(
    principal: CurrentPrincipal, runtime: RuntimeDep,
    on: Annotated[Day | None, Query(description="The day to judge on (default: today)")] = None,
) -> UnpayableList:
    """LKS work not paid for want of a (valid) loonwaarde: placements without a grant, and
    running grants whose loonwaarde has expired, oldest first."""
    access.grant_reader(principal)
    on = on or datetime.now(UTC).date()
    async with runtime.sessions() as session:
        waiting = (await session.scalars(
            select(Placement).where(placement_scope(principal),
                                    Placement.unpayable_reason.is_not(None),
                                    Placement.end_date.is_(None))
            .order_by(Placement.unpayable_since, Placement.placement_id))).all()
        expired = (await session.execute(grants_with_expired_wage_value(principal, on))).all()
    items = [UnpayablePlacement(
        placement_id=p.placement_id, candidate_id=p.candidate_id, gemeente=p.gemeente,
        provider=p.provider, employer_kvk=p.employer_kvk, start_date=p.start_date,
        reason=p.unpayable_reason or "", since=p.unpayable_since) for p in waiting]
    items += [UnpayablePlacement(
        placement_id=g.placement_id, candidate_id=g.candidate_id, gemeente=g.gemeente,
        provider=g.provider, employer_kvk=g.employer_kvk, start_date=g.valid_from,
        reason=lks.WAGE_VALUE_EXPIRED, grant_id=g.id,
        since=datetime.combine(valid_until + timedelta(days=1), time(), UTC))
        for g, valid_until in expired]
    return UnpayableList(items=items)


async def _shown(uow: AsyncSession, grant: Grant) -> GrantOut:
    return grant_out(grant, bool(await birth_dates_known(uow, [grant.candidate_id])))


@router.get("/grants/{grantId}", response_model=GrantOut)
async def get_grant(grant_id: GrantId, principal: CurrentPrincipal, uow: UnitOfWork) -> GrantOut:
    """One grant, if the caller may see it."""
    access.grant_reader(principal)
    grant = await uow.scalar(visible_grants(principal).filter_by(id=grant_id))
    if grant is None:
        raise NotFound(f"no grant {grant_id} for this organisation")
    return await _shown(uow, grant)


DECIDED: dict[int | str, dict[str, Any]] = {
    200: {"headers": {"Location": {"description": "URI of the grant",
                                   "schema": {"type": "string"}}}},
    409: problem_response("The grant is decided already, or this Idempotency-Key was used for "
                          "another request")}


async def _once(runtime: RuntimeDep, principal: Principal, key: str | None, request: Request,
                body: ApiModel, decide: Callable[[AsyncSession], Awaitable[Grant]]
                ) -> JSONResponse:
    """A decision at most once per Idempotency-Key: a retry gets the first answer (200) instead
    of the 409 a second decision gets."""

    async def create(session: AsyncSession) -> tuple[GrantOut, str]:
        grant = await decide(session)
        return await _shown(session, grant), f"/v1/grants/{grant.id}"

    return await create_once(runtime, organisation=principal.idempotency_scope, key=key,
                             path=request.url.path, payload=body.model_dump(mode="json"),
                             create=create, status_code=200)


@router.post("/grants/{grantId}/decisions", response_model=GrantOut, responses=DECIDED)
async def decide_grant(grant_id: GrantId, body: GrantDecisionIn, principal: GemeenteDecider,
                       runtime: RuntimeDep, request: Request,
                       idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """The college grants LKS (a caseworker, controller or admin of the grant's own gemeente):
    decision number, start, monthly amount and loonwaarde as finance computed them (else 400
    naming finance's figure), and the re-assessment date → finance.lks-granted; paid from the
    next payment run. A grant is decided once (409); a retry with the same Idempotency-Key
    gets the first answer."""
    command = DecideGrant(
        grant_id=grant_id, gemeente=principal.org, decision_number=body.decision_number,
        start=body.start, monthly_amount=Decimal(body.monthly_amount),
        wage_value_pct=body.wage_value_pct, reassessment_date=body.reassessment_date,
        decided_by=f"{principal.subject}@{principal.org}")
    return await _once(runtime, principal, idempotency_key, request, body, lambda session:
                       grant_decisions.decide_grant(session, command=command,
                                                    oin=runtime.settings.oin))


@router.post("/grants/{grantId}/refusals", response_model=GrantOut, responses=DECIDED)
async def refuse_grant(grant_id: GrantId, body: GrantRefusalIn, principal: GemeenteDecider,
                       runtime: RuntimeDep, request: Request,
                       idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """The college refuses LKS with a reason of /v1/reference/lks-refusal-reasons →
    finance.lks-refused; never paid. A retry with the same Idempotency-Key gets the first
    answer."""
    command = RefuseGrant(grant_id=grant_id, gemeente=principal.org,
                          reason=LksRefusalReason(body.reason),
                          decided_by=f"{principal.subject}@{principal.org}")
    return await _once(runtime, principal, idempotency_key, request, body, lambda session:
                       grant_decisions.refuse_grant(session, command=command,
                                                    oin=runtime.settings.oin))
