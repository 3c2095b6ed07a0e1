"""Matching's webhook queries: outbound subscriptions and deliveries (the caller's
organisation's; the fan-out and the delivery worker read unscoped), and the inbound WSP
webhook's stored answers (no caller: the sender signs)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from services.matching.store.models import DeliveryAttempt, WebhookDelivery, WebhookSubscription
from shared.http.idempotency import StoredResponse, find_stored
from shared.http.pagination import PageParams
from shared.repository import Repository
from shared.store import IdempotencyRecord

# Where an outbound webhook delivery stands.
PENDING, DELIVERED, FAILED, CANCELLED = "pending", "delivered", "failed", "cancelled"


class SubscriptionRepository(Repository[WebhookSubscription]):
    """Outbound webhook subscriptions: the caller's organisation's."""

    model = WebhookSubscription

    def _owned_query(self) -> Select[WebhookSubscription]:
        return (select(WebhookSubscription)
                .where(WebhookSubscription.org == self.principal.org)
                .order_by(WebhookSubscription.created_at, WebhookSubscription.id))

    async def owned_page(self, params: PageParams) -> tuple[Sequence[WebhookSubscription], int]:
        """The caller's organisation's subscriptions, oldest first."""
        return await self.page(self._owned_query(), params)

    async def owned(self, subscription_id: uuid.UUID) -> WebhookSubscription | None:
        """One of the caller's subscriptions."""
        return await self.session.scalar(
            self._owned_query().where(WebhookSubscription.id == subscription_id))

    async def active_unscoped(self) -> Sequence[WebhookSubscription]:
        """Every active subscription (the fan-out filters by type and tenancy)."""
        rows = await self.session.scalars(select(WebhookSubscription).where(
            WebhookSubscription.status == "active"))
        return rows.all()

    async def remove(self, subscription: WebhookSubscription) -> None:
        """Delete a subscription with its deliveries and their log."""
        deliveries = select(WebhookDelivery.id).where(
            WebhookDelivery.subscription_id == subscription.id)
        await self.session.execute(delete(DeliveryAttempt).where(
            DeliveryAttempt.delivery_id.in_(deliveries)))
        await self.session.execute(delete(WebhookDelivery).where(
            WebhookDelivery.subscription_id == subscription.id))
        await self.session.delete(subscription)


class DeliveryRepository(Repository[WebhookDelivery]):
    """Outbound deliveries and their attempt log: those of the caller's subscriptions."""

    model = WebhookDelivery

    async def of_subscription_page(self, subscription: WebhookSubscription,
                                   params: PageParams) -> tuple[Sequence[WebhookDelivery], int]:
        """The deliveries of one of the caller's subscriptions, newest first."""
        if subscription.org != self.principal.org:
            return [], 0
        query = (select(WebhookDelivery)
                 .where(WebhookDelivery.subscription_id == subscription.id)
                 .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id))
        return await self.page(query, params)

    async def owned(self, delivery_id: uuid.UUID) -> WebhookDelivery | None:
        """A delivery of one of the caller's subscriptions, locked."""
        return await self.session.scalar(
            select(WebhookDelivery).join(WebhookSubscription)
            .where(WebhookDelivery.id == delivery_id,
                   WebhookSubscription.org == self.principal.org)
            .with_for_update(of=WebhookDelivery).execution_options(populate_existing=True))

    async def attempts_of(self, deliveries: Sequence[WebhookDelivery],
                          ) -> dict[uuid.UUID, list[DeliveryAttempt]]:
        """The attempt log of some deliveries (read through the scoped ones), oldest first."""
        found: dict[uuid.UUID, list[DeliveryAttempt]] = {d.id: [] for d in deliveries}
        if found:
            rows = await self.session.scalars(
                select(DeliveryAttempt).where(DeliveryAttempt.delivery_id.in_(list(found)))
                .order_by(DeliveryAttempt.id))
            for attempt in rows:
                found[attempt.delivery_id].append(attempt)
        return found

    def add_attempt(self, attempt: DeliveryAttempt) -> DeliveryAttempt:
        """Log one attempt of a delivery."""
        self.session.add(attempt)
        return attempt

    async def claim_due_unscoped(self, now: datetime, limit: int, *, lock: bool,
                                 ) -> Sequence[tuple[WebhookDelivery, WebhookSubscription]]:
        """Due pending deliveries with their subscription, oldest due first (the worker's);
        `lock` skips rows another worker holds (Postgres)."""
        query = (select(WebhookDelivery, WebhookSubscription).join(WebhookSubscription)
                 .where(WebhookDelivery.status == PENDING,
                        WebhookDelivery.next_attempt_at <= now)
                 .order_by(WebhookDelivery.next_attempt_at).limit(limit))
        if lock:
            query = query.with_for_update(of=WebhookDelivery, skip_locked=True)
        rows = (await self.session.execute(query)).all()
        return [(delivery, subscription) for delivery, subscription in rows]

    async def cancel_pending_unscoped(self, subscription_id: uuid.UUID, now: datetime) -> None:
        """Cancel a subscription's pending deliveries (it was disabled)."""
        await self.session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.subscription_id == subscription_id,
                   WebhookDelivery.status == PENDING)
            .values(status=CANCELLED, finished_at=now, next_attempt_at=None))


class WebhookReceiptRepository(Repository[IdempotencyRecord]):
    """The inbound webhook's answers by sender and webhook-id (the idempotency table, in a
    namespace per sender): a replay gets the first answer. No caller: the sender signs."""

    model = IdempotencyRecord

    async def stored_unscoped(self, namespace: str, key: str,
                              fingerprint: str) -> StoredResponse | None:
        """The answer stored for this webhook-id; 409 when it came with another body."""
        return await find_stored(self.session, organisation=namespace, key=key,
                                 fingerprint=fingerprint)

    async def bind_unscoped(self, namespace: str, key: str, fingerprint: str,
                            now: datetime) -> bool:
        """Claim the webhook-id (in a savepoint); False when a concurrent twin holds it."""
        try:
            async with self.session.begin_nested():
                await self.session.execute(insert(IdempotencyRecord), [{
                    "organisation": namespace, "key": key, "request_hash": fingerprint,
                    "status_code": 0, "response_body": "", "location": None,
                    "created_at": now}])
        except IntegrityError:
            return False
        return True

    async def answer_unscoped(self, namespace: str, key: str, status: int, body: str) -> None:
        """Store the answer to replay."""
        await self.session.execute(
            update(IdempotencyRecord)
            .where(IdempotencyRecord.organisation == namespace, IdempotencyRecord.key == key)
            .values(status_code=status, response_body=body))
