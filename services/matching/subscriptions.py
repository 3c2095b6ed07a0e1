"""Outbound webhook subscriptions of an organisation, their delivery log and redelivery."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.matching.api.webhook_schemas import CreateSubscription
from services.matching.delivery import PENDING, check_callback
from services.matching.domain.signing import new_secret
from services.matching.domain.webhook_events import SUBSCRIBABLE, may_receive
from services.matching.settings import CallbackPolicy
from services.matching.store.models import DeliveryAttempt, WebhookDelivery, WebhookSubscription
from services.matching.store.repository import SubscriptionRepository
from shared.auth import Principal, Role
from shared.problems import BadRequest, InvalidParam, NotFound, UnprocessableState

MANAGERS = (Role.ACCOUNT_MANAGER, Role.ADMIN)


def require_manager(principal: Principal) -> None:
    """Accountmanagers and admins of any organisation (a WSP included) manage its webhooks."""
    principal.require(*MANAGERS)


async def create(session: AsyncSession, *, principal: Principal, command: CreateSubscription,
                 callback_policy: CallbackPolicy | None) -> WebhookSubscription:
    """A subscription within the caller's tenancy, with a fresh secret.

    `callback_policy` is the production policy (None elsewhere): the URL must be https
    and resolve to public (or operator-allowed) addresses only. The worker checks it again
    before every delivery, since DNS can change after this."""
    require_manager(principal)
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
    subscription = SubscriptionRepository(session).add(WebhookSubscription(
        id=uuid.uuid4(), org=principal.org, org_kind=principal.kind.value,
        gemeenten=sorted(principal.gemeenten), url=command.url,
        event_types=sorted(set(command.event_types)), secret=new_secret(), status="active",
        created_at=datetime.now(UTC), disabled_at=None, disabled_reason=None))
    await session.flush()
    return subscription


async def owned(session: AsyncSession, principal: Principal,
                subscription_id: uuid.UUID) -> WebhookSubscription:
    """One of the caller's subscriptions, or 404."""
    require_manager(principal)
    subscription = await SubscriptionRepository(session).owned(principal, subscription_id)
    if subscription is None:
        raise NotFound(f"no webhook subscription {subscription_id} for this organisation")
    return subscription


async def remove(session: AsyncSession, *, principal: Principal,
                 subscription_id: uuid.UUID) -> None:
    """Delete a subscription with its deliveries and their log."""
    subscription = await owned(session, principal, subscription_id)
    deliveries = select(WebhookDelivery.id).where(
        WebhookDelivery.subscription_id == subscription.id)
    await session.execute(delete(DeliveryAttempt).where(
        DeliveryAttempt.delivery_id.in_(deliveries)))
    await session.execute(delete(WebhookDelivery).where(
        WebhookDelivery.subscription_id == subscription.id))
    await session.delete(subscription)
    await session.flush()


async def attempts_of(session: AsyncSession,
                      deliveries: Sequence[WebhookDelivery]) -> dict[uuid.UUID,
                                                                     list[DeliveryAttempt]]:
    """The attempt log of some deliveries, oldest attempt first."""
    found: dict[uuid.UUID, list[DeliveryAttempt]] = {d.id: [] for d in deliveries}
    if found:
        rows = await session.scalars(
            select(DeliveryAttempt).where(DeliveryAttempt.delivery_id.in_(list(found)))
            .order_by(DeliveryAttempt.id))
        for attempt in rows:
            found[attempt.delivery_id].append(attempt)
    return found


async def redeliver(session: AsyncSession, *, principal: Principal,
                    delivery_id: uuid.UUID) -> WebhookDelivery:
    """Send a delivery again, now, with a fresh retry schedule."""
    require_manager(principal)
    delivery = await SubscriptionRepository(session).owned_delivery(principal, delivery_id)
    if delivery is None:
        raise NotFound(f"no webhook delivery {delivery_id} for this organisation")
    subscription = await session.get(WebhookSubscription, delivery.subscription_id)
    if subscription is None or subscription.status != "active":
        raise UnprocessableState("the subscription is disabled")
    if delivery.status == PENDING:
        raise UnprocessableState("the delivery is still being attempted")
    delivery.status, delivery.failures = PENDING, 0
    delivery.next_attempt_at, delivery.finished_at = datetime.now(UTC), None
    await session.flush()
    return delivery
