"""The WSP's inbound webhook and outbound webhook subscriptions with their delivery log."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError

from services.matching.api.common import CREATED, PAGED, STATE, create
from services.matching.api.deps import ManagerUow, Settings, Uow
from services.matching.api.mapping import wsp_change
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
    WspVacancyMessage,
)
from services.matching.commands import Subscribe, WspVacancyChange
from services.matching.handlers import inbound, subscriptions
from shared.http.deps import IdempotencyKey, RuntimeDep
from shared.http.errors import invalid_params_from
from shared.http.openapi import problem_response
from shared.http.pagination import PagerDep
from shared.http.routes import UnitOfWorkRoute
from shared.problems import BadRequest

router = APIRouter(route_class=UnitOfWorkRoute)
NO_BODY = NoBody()  # a redelivery has no body: the key and the path identify it
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


def read_message(body: bytes) -> WspVacancyChange:
    """The WSP's message as a command, or 400 with invalidParams."""
    try:
        message = WspVacancyMessage.model_validate_json(body)
    except ValidationError as exc:
        errors = list(exc.errors())
        if any(e.get("type") == "json_invalid" for e in errors):
            raise BadRequest("the request body is not valid JSON") from exc
        raise BadRequest("the request does not meet the schema; see invalidParams",
                         invalid_params=invalid_params_from(errors)) from exc
    return wsp_change(message)


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
    answer = await inbound.receive(runtime, request.headers, await request.body(),
                                   read_message)
    headers = {"Idempotent-Replayed": "true"} if answer.replayed else None
    return JSONResponse(answer.body, status_code=answer.status, headers=headers)


@router.post("/webhook-subscriptions", status_code=201, response_model=CreatedSubscription,
             responses=CREATED, tags=["webhooks"])
async def create_subscription(body: CreateSubscription, uow: ManagerUow,
                              settings: Settings, request: Request,
                              idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Subscribe a callback URL to event types; the signing secret is shown only here."""
    command = Subscribe(url=body.url, event_types=tuple(body.event_types))

    async def make() -> tuple[BaseModel, str]:
        row = await subscriptions.subscribe(uow, command,
                                            callback_policy=settings.callback_policy)
        out = CreatedSubscription(**subscription_view(row).model_dump(), secret=row.secret)
        return out, f"/v1/webhook-subscriptions/{row.id}"

    return await create(uow, request, idempotency_key, body, make)


@router.get("/webhook-subscriptions", response_model=SubscriptionPage, responses=PAGED,
            tags=["webhooks"])
async def list_subscriptions(uow: Uow, pager: PagerDep) -> SubscriptionPage:
    """Your organisation's subscriptions."""
    items, total = await subscriptions.subscription_page(uow, pager.params)
    return pager.page(SubscriptionPage, [subscription_view(s) for s in items], total)


@router.get("/webhook-subscriptions/{subscriptionId}", response_model=SubscriptionOut,
            tags=["webhooks"])
async def get_subscription(subscription_id: SubscriptionId, uow: Uow) -> SubscriptionOut:
    """One subscription (active, or disabled with the reason)."""
    return subscription_view(await subscriptions.owned(uow, subscription_id))


@router.delete("/webhook-subscriptions/{subscriptionId}", status_code=204, tags=["webhooks"])
async def delete_subscription(subscription_id: SubscriptionId, uow: ManagerUow) -> Response:
    """Stop deliveries and forget the subscription with its delivery log."""
    await subscriptions.remove(uow, subscription_id)
    return Response(status_code=204)


@router.get("/webhook-subscriptions/{subscriptionId}/deliveries", response_model=DeliveryPage,
            responses=PAGED, tags=["webhooks"])
async def list_deliveries(subscription_id: SubscriptionId, uow: Uow,
                          pager: PagerDep) -> DeliveryPage:
    """Deliveries of one subscription, newest first, each with its attempt log."""
    log = await subscriptions.delivery_log(uow, subscription_id, pager.params)
    return pager.page(DeliveryPage, [delivery_view(d, log.attempts[d.id]) for d in log.items],
                      log.total)


@router.post("/webhook-deliveries/{deliveryId}/redeliveries", status_code=201,
             response_model=DeliveryOut, responses={**CREATED, **STATE}, tags=["webhooks"])
async def redeliver(delivery_id: DeliveryId, uow: ManagerUow, request: Request,
                    idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Send a delivery again now (after it failed, or if you lost it); a retried request with
    the same Idempotency-Key answers the first redelivery instead of scheduling another."""

    async def make() -> tuple[BaseModel, str]:
        log = await subscriptions.redeliver(uow, delivery_id)
        delivery = log.items[0]
        return (delivery_view(delivery, log.attempts[delivery.id]),
                f"/v1/webhook-deliveries/{delivery_id}")

    return await create(uow, request, idempotency_key, NO_BODY, make)
