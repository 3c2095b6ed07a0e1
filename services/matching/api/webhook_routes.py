"""The WSP's inbound webhook and outbound webhook subscriptions with their delivery log."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from services.matching import inbound, subscriptions
from services.matching.api.common import CREATED, PAGED, STATE, create, settings_of
from services.matching.api.views import delivery_view, subscription_view
from services.matching.api.webhook_schemas import (
    CreatedSubscription,
    CreateSubscription,
    DeliveryOut,
    DeliveryPage,
    NoBody,
    SubscriptionOut,
    SubscriptionPage,
    WspResult,
)
from services.matching.store.repository import SubscriptionRepository
from shared.auth import CurrentPrincipal, Principal, requires
from shared.http.deps import IdempotencyKey, PageDep, RuntimeDep
from shared.http.openapi import problem_response
from shared.http.pagination import set_link_header

router = APIRouter()
NO_BODY = NoBody()  # a redelivery has no body: the key and the path identify it
# The role check as a dependency: 403 before the body is validated (issue 13).
Manager = Annotated[Principal, Depends(requires(*subscriptions.MANAGERS))]
SubscriptionId = Annotated[UUID, Path(alias="subscriptionId", description="the subscription")]
DeliveryId = Annotated[UUID, Path(alias="deliveryId", description="the delivery id")]
WSP_BODY = {"requestBody": {"required": True, "content": {"application/json": {
    "schema": {"$ref": "#/components/schemas/WspVacancyMessage"}}}}}
SIGNATURE_HEADERS = [
    {"name": name, "in": "header", "required": True, "description": text,
     "schema": {"type": "string"}}
    for name, text in (("webhook-id", "unique message id: the idempotency key"),
                       ("webhook-timestamp", "seconds since the epoch; ±5 minutes"),
                       ("webhook-signature", "v1,<base64 HMAC-SHA256>; several space-separated"))]


@router.post("/webhooks/wsp/vacancies", status_code=201, response_model=WspResult,
             tags=["webhooks"], openapi_extra={**WSP_BODY, "parameters": SIGNATURE_HEADERS,
                                               "security": []},
             responses={200: {"description": "Updated or withdrawn (or a replay)",
                              "content": {"application/json": {"schema": {
                                  "$ref": "#/components/schemas/WspResult"}}}},
                        404: problem_response("No vacancy with this externalRef"),
                        409: problem_response("Created before, or closed")})
async def wsp_vacancies(request: Request, runtime: RuntimeDep) -> JSONResponse:
    """A WSP creates, updates or withdraws a vacancy (Standard Webhooks signed; no token)."""
    body = await request.body()
    return await inbound.receive(runtime, settings_of(request), request.headers, body)


@router.post("/webhook-subscriptions", status_code=201, response_model=CreatedSubscription,
             responses=CREATED, tags=["webhooks"])
async def create_subscription(body: CreateSubscription, principal: Manager,
                              runtime: RuntimeDep, request: Request,
                              idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Subscribe a callback URL to event types; the signing secret is shown only here."""
    settings = settings_of(request)

    async def make(session: AsyncSession) -> tuple[BaseModel, str]:
        row = await subscriptions.create(session, principal=principal, command=body,
                                         callback_policy=settings.callback_policy)
        out = CreatedSubscription(**subscription_view(row).model_dump(), secret=row.secret)
        return out, f"/v1/webhook-subscriptions/{row.id}"

    return await create(runtime, principal, request, idempotency_key, body, make)


@router.get("/webhook-subscriptions", response_model=SubscriptionPage, responses=PAGED,
            tags=["webhooks"])
async def list_subscriptions(principal: CurrentPrincipal, runtime: RuntimeDep, page: PageDep,
                             request: Request, response: Response) -> SubscriptionPage:
    """Your organisation's subscriptions."""
    subscriptions.require_manager(principal)
    async with runtime.sessions() as session:
        repo = SubscriptionRepository(session)
        items, total = await repo.page(repo.owned_query(principal), page)
    set_link_header(request, response, page, total)
    return SubscriptionPage(items=[subscription_view(s) for s in items], page=page.page,
                            page_size=page.page_size, total=total)


@router.get("/webhook-subscriptions/{subscriptionId}", response_model=SubscriptionOut,
            tags=["webhooks"])
async def get_subscription(subscription_id: SubscriptionId, principal: CurrentPrincipal,
                           runtime: RuntimeDep) -> SubscriptionOut:
    """One subscription (active, or disabled with the reason)."""
    async with runtime.sessions() as session:
        return subscription_view(await subscriptions.owned(session, principal,
                                                           subscription_id))


@router.delete("/webhook-subscriptions/{subscriptionId}", status_code=204, tags=["webhooks"])
async def delete_subscription(subscription_id: SubscriptionId, principal: Manager,
                              runtime: RuntimeDep) -> Response:
    """Stop deliveries and forget the subscription with its delivery log."""
    async with runtime.unit_of_work() as session:
        await subscriptions.remove(session, principal=principal,
                                   subscription_id=subscription_id)
    return Response(status_code=204)


@router.get("/webhook-subscriptions/{subscriptionId}/deliveries", response_model=DeliveryPage,
            responses=PAGED, tags=["webhooks"])
async def list_deliveries(subscription_id: SubscriptionId, principal: CurrentPrincipal,
                          runtime: RuntimeDep, page: PageDep, request: Request,
                          response: Response) -> DeliveryPage:
    """Deliveries of one subscription, newest first, each with its attempt log."""
    async with runtime.sessions() as session:
        subscription = await subscriptions.owned(session, principal, subscription_id)
        items, total = await SubscriptionRepository(session).deliveries_page(subscription.id,
                                                                             page)
        attempts = await subscriptions.attempts_of(session, items)
    set_link_header(request, response, page, total)
    return DeliveryPage(items=[delivery_view(d, attempts[d.id]) for d in items],
                        page=page.page, page_size=page.page_size, total=total)


@router.post("/webhook-deliveries/{deliveryId}/redeliveries", status_code=201,
             response_model=DeliveryOut, responses={**CREATED, **STATE}, tags=["webhooks"])
async def redeliver(delivery_id: DeliveryId, principal: Manager, runtime: RuntimeDep,
                    request: Request, idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Send a delivery again now (after it failed, or if you lost it); a retried request with
    the same Idempotency-Key answers the first redelivery instead of scheduling another."""

    async def make(session: AsyncSession) -> tuple[BaseModel, str]:
        delivery = await subscriptions.redeliver(session, principal=principal,
                                                 delivery_id=delivery_id)
        attempts = await subscriptions.attempts_of(session, [delivery])
        return (delivery_view(delivery, attempts[delivery.id]),
                f"/v1/webhook-deliveries/{delivery_id}")

    return await create(runtime, principal, request, idempotency_key, NO_BODY, make)
