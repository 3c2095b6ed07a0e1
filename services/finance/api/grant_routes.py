"""LKS grants: the lists, the college's worklist of pending grants and its decisions.

Registered before the other routers: `/grants/pending` and `/grants/unpayable` must be matched
before `/grants/{grantId}`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse

from services.finance.api.deps import GemeenteDeciderUow, Uow
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
from services.finance.commands import DecideGrant, ListGrants, ListUnpayable, ReadGrant, RefuseGrant
from services.finance.handlers import grant_decisions, grant_queries
from services.finance.handlers.grant_queries import GrantList, ShownGrant
from shared.auth import CurrentPrincipal
from shared.dutch_time import dutch_today
from shared.events.finance import LksRefusalReason
from shared.http.deps import IdempotencyKey
from shared.http.idempotency import create_once
from shared.http.openapi import problem_response
from shared.http.pagination import PagerDep
from shared.http.routes import UnitOfWorkRoute
from shared.http.schemas import ApiModel, Day

router = APIRouter(tags=["lks"], route_class=UnitOfWorkRoute)
GrantId = Annotated[UUID, Path(alias="grantId", description="the grant id")]
LINK: dict[int | str, dict[str, Any]] = {
    200: {"headers": {"Link": {"$ref": "#/components/headers/Link"}}}}


def _page(pager: PagerDep, found: GrantList) -> GrantPage:
    return pager.page(GrantPage, [grant_out(g) for g in found.items], found.total)


@router.get("/grants", response_model=GrantPage, responses=LINK)
async def list_grants(
    principal: CurrentPrincipal, uow: Uow, pager: PagerDep,
    status: Annotated[GrantStatus | None, Query(description="a code of grant-statuses")] = None,
    candidate_id: Annotated[UUID | None, Query(alias="candidateId")] = None,
) -> GrantPage:
    """The caller's grants: a gemeente's own, an uitvoerder's for the placements it runs."""
    return _page(pager, await grant_queries.list_grants(uow, ListGrants(
        pager.params.page, pager.params.page_size, status, candidate_id)))


@router.get("/grants/pending", response_model=GrantPage, responses=LINK)
async def pending_grants(principal: CurrentPrincipal, uow: Uow, pager: PagerDep) -> GrantPage:
    """The college's worklist: grants finance proposed that wait for a decision, oldest
    first (the caller's own, as for the list of grants)."""
    return _page(pager, await grant_queries.pending_grants(uow, pager.params.page,
                                                           pager.params.page_size))


@router.get("/grants/unpayable", response_model=UnpayableList)
async def unpayable(
    principal: CurrentPrincipal, uow: Uow,
    on: Annotated[Day | None, Query(description="The day to judge on (default: today)")] = None,
) -> UnpayableList:
    """LKS work not paid for want of a (valid) loonwaarde: placements without a grant, and
    running grants whose loonwaarde has expired, oldest first."""
    found = await grant_queries.unpayable(uow, ListUnpayable(on or dutch_today()))
    return UnpayableList(items=[UnpayablePlacement(
        placement_id=u.placement_id, candidate_id=u.candidate_id, gemeente=u.gemeente,
        provider=u.provider, employer_kvk=u.employer_kvk, start_date=u.start_date,
        reason=u.reason, since=u.since, grant_id=u.grant_id) for u in found])


@router.get("/grants/{grantId}", response_model=GrantOut)
async def get_grant(grant_id: GrantId, principal: CurrentPrincipal, uow: Uow) -> GrantOut:
    """One grant, if the caller may see it."""
    return grant_out(await grant_queries.read_grant(uow, ReadGrant(grant_id)))


DECIDED: dict[int | str, dict[str, Any]] = {
    200: {"headers": {"Location": {"description": "URI of the grant",
                                   "schema": {"type": "string"}}}},
    409: problem_response("The grant is decided already, or this Idempotency-Key was used for "
                          "another request")}


async def _once(uow: Uow, key: str | None, request: Request, body: ApiModel,
                decide: Callable[[], Awaitable[ShownGrant]]) -> JSONResponse:
    """A decision at most once per Idempotency-Key: a retry gets the first answer (200) instead
    of the 409 a second decision gets."""

    async def create() -> tuple[GrantOut, str]:
        shown = await decide()
        return grant_out(shown), f"/v1/grants/{shown.grant.id}"

    return await create_once(uow, key=key, request=request,
                             payload=body.model_dump(mode="json"), create=create,
                             status_code=200)


@router.post("/grants/{grantId}/decisions", response_model=GrantOut, responses=DECIDED)
async def decide_grant(grant_id: GrantId, body: GrantDecisionIn, uow: GemeenteDeciderUow,
                       request: Request,
                       idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """The college grants LKS (a caseworker, controller or admin of the grant's own gemeente):
    decision number, start, monthly amount and loonwaarde as finance computed them (else 400
    naming finance's figure), and the re-assessment date → finance.lks-granted; paid from the
    next payment run. A grant is decided once (409); a retry with the same Idempotency-Key
    gets the first answer."""
    command = DecideGrant(
        grant_id=grant_id, decision_number=body.decision_number, start=body.start,
        monthly_amount=Decimal(body.monthly_amount), wage_value_pct=body.wage_value_pct,
        reassessment_date=body.reassessment_date)
    return await _once(uow, idempotency_key, request, body,
                       lambda: grant_decisions.decide_grant(uow, command))


@router.post("/grants/{grantId}/refusals", response_model=GrantOut, responses=DECIDED)
async def refuse_grant(grant_id: GrantId, body: GrantRefusalIn, uow: GemeenteDeciderUow,
                       request: Request,
                       idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """The college refuses LKS with a reason of /v1/reference/lks-refusal-reasons →
    finance.lks-refused; never paid. A retry with the same Idempotency-Key gets the first
    answer."""
    command = RefuseGrant(grant_id=grant_id, reason=LksRefusalReason(body.reason))
    return await _once(uow, idempotency_key, request, body,
                       lambda: grant_decisions.refuse_grant(uow, command))
