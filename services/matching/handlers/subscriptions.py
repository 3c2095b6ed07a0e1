"""Outbound webhook subscriptions of an organisation, their delivery log and redelivery, and the
fan-out of events into deliveries (an event handler: no caller)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from services.matching.commands import Subscribe
from services.matching.delivery import check_callback
from services.matching.domain.signing import new_secret
from services.matching.domain.webhook_events import SUBSCRIBABLE, may_receive
from services.matching.handlers import require_manager
from services.matching.settings import CallbackPolicy
from services.matching.store.models import DeliveryAttempt, WebhookDelivery, WebhookSubscription
from services.matching.store.webhook_repository import PENDING
from services.matching.unit_of_work import MatchingUnitOfWork
from shared.events.envelope import Envelope
from shared.http.pagination import PageParams
from shared.problems import BadRequest, InvalidParam, NotFound, UnprocessableState


@dataclass(frozen=True)
class Logged:
    """Deliveries with their attempt log (oldest attempt first), and how many there are."""

    items: Sequence[WebhookDelivery]
    attempts: dict[uuid.UUID, list[DeliveryAttempt]]
    total: int


async def subscribe(uow: MatchingUnitOfWork, command: Subscribe, *,
                    callback_policy: CallbackPolicy | None) -> WebhookSubscription:
    """A subscription within the caller's tenancy, with a fresh secret.

    `callback_policy` is the production policy (None elsewhere): the URL must be https
    and resolve to public (or operator-allowed) addresses only. The worker checks it again
    before every delivery, since DNS can change after this."""
    principal = require_manager(uow)
    unknown = [t for t in command.event_types if t not in SUBSCRIBABLE]
    if unknown:
        raise BadRequest("unknown event types", invalid_params=[
            InvalidParam("eventTypes", f"{t!r} is not one of {', '.join(SUBSCRIBABLE)}")
            for t in unknown])
    # Known, but not for this kind of organisation (a WSP and the gemeente's budget).
    withheld = [t for t in command.event_types if not may_receive(t, principal.kind.value)]
    if withheld:
        raise BadRequest("event types not delivered to your kind of organisation",
                         invalid_params=[InvalidParam("eventTypes", (
                             f"{t!r} is not delivered to a {principal.kind.value} organisation; "
                             "see /v1/reference/webhook-event-types")) for t in withheld])
    if callback_policy is not None:
        checked = await check_callback(command.url, callback_policy)
        if isinstance(checked, str):
            raise BadRequest(f"this callback URL is not allowed: {checked}",
                             invalid_params=[InvalidParam("url", checked)])
    if not principal.gemeenten:
        raise BadRequest("your token names no gemeenten: there is nothing to subscribe to")
    subscription = uow.subscriptions.add(WebhookSubscription(
        id=uuid.uuid4(), org=principal.org, org_kind=principal.kind.value,
        gemeenten=sorted(principal.gemeenten), url=command.url,
        event_types=sorted(set(command.event_types)), secret=new_secret(), status="active",
        created_at=datetime.now(UTC), disabled_at=None, disabled_reason=None))
    await uow.flush()
    return subscription


async def subscription_page(uow: MatchingUnitOfWork, params: PageParams,
                            ) -> tuple[Sequence[WebhookSubscription], int]:
    """The caller's organisation's subscriptions, oldest first."""
    require_manager(uow)
    return await uow.subscriptions.owned_page(params)


async def owned(uow: MatchingUnitOfWork, subscription_id: uuid.UUID) -> WebhookSubscription:
    """One of the caller's subscriptions, or 404."""
    require_manager(uow)
    subscription = await uow.subscriptions.owned(subscription_id)
    if subscription is None:
        raise NotFound(f"no webhook subscription {subscription_id} for this organisation")
    return subscription


async def remove(uow: MatchingUnitOfWork, subscription_id: uuid.UUID) -> None:
    """Delete a subscription with its deliveries and their log."""
    subscription = await owned(uow, subscription_id)
    await uow.subscriptions.remove(subscription)
    await uow.flush()


async def delivery_log(uow: MatchingUnitOfWork, subscription_id: uuid.UUID,
                       params: PageParams) -> Logged:
    """One page of a subscription's deliveries, newest first, each with its attempt log."""
    subscription = await owned(uow, subscription_id)
    items, total = await uow.deliveries.of_subscription_page(subscription, params)
    return Logged(items=items, attempts=await uow.deliveries.attempts_of(items), total=total)


async def redeliver(uow: MatchingUnitOfWork, delivery_id: uuid.UUID) -> Logged:
    """Send a delivery again, now, with a fresh retry schedule."""
    require_manager(uow)
    delivery = await uow.deliveries.owned(delivery_id)
    if delivery is None:
        raise NotFound(f"no webhook delivery {delivery_id} for this organisation")
    subscription = await uow.subscriptions.get_unscoped(delivery.subscription_id)
    if subscription is None or subscription.status != "active":
        raise UnprocessableState("the subscription is disabled")
    if delivery.status == PENDING:
        raise UnprocessableState("the delivery is still being attempted")
    delivery.status, delivery.failures = PENDING, 0
    delivery.next_attempt_at, delivery.finished_at = datetime.now(UTC), None
    await uow.flush()
    return Logged(items=[delivery], attempts=await uow.deliveries.attempts_of([delivery]),
                  total=1)


def covers(subscription: WebhookSubscription, envelope: Envelope) -> bool:
    """Only events within the subscriber's tenancy: its gemeenten, and an uitvoerder only its
    own candidates' events; a relayed event only to the kinds it is for."""
    if not may_receive(envelope.type, subscription.org_kind):
        return False
    if envelope.gemeente not in subscription.gemeenten:
        return False
    provider = envelope.data.get("provider")
    return not (subscription.org_kind == "provider" and provider not in (None,
                                                                          subscription.org))


async def fan_out(uow: MatchingUnitOfWork, envelope: Envelope) -> None:
    """One pending delivery per active subscription that wants this event (an event handler
    of matching's own stream and finance's budget alerts)."""
    now = datetime.now(UTC)
    for subscription in await uow.subscriptions.active_unscoped():
        if envelope.type in subscription.event_types and covers(subscription, envelope):
            uow.deliveries.add(WebhookDelivery(
                id=uuid.uuid4(), subscription_id=subscription.id, event_id=envelope.id,
                event_type=envelope.type, gemeente=envelope.gemeente,
                payload=envelope.to_json(), status=PENDING, failures=0, next_attempt_at=now,
                last_status=None, created_at=now, finished_at=None))
    await uow.flush()
