"""Outbound webhooks: the background worker that sends the delivery rows.

The consumer of matching's own stream writes one `WebhookDelivery` per subscription that wants
the event (handlers/subscriptions.py: `fan_out`), in the transaction that records the event in
the inbox: a crash before the commit redelivers the event, a crash after it leaves the rows.
The worker, which opens its own units of work (no caller), claims due rows with a
lease (so a crashed worker's claims come back), POSTs the CloudEvent with Standard Webhooks
headers, logs every attempt, and schedules the next one: any 2xx is success, 410 disables the
subscription, anything else retries with full jitter (Retry-After is honoured) until the
schedule is used up; then `matching.webhook-delivery-failed` goes out through the outbox and an
error is logged.

In production every attempt first checks the callback again (`check_callback`): the host is
resolved now, every address must pass the rules of `domain/callbacks.py`, and the request goes
to the checked address itself, with the Host header and the TLS server name (SNI, and so the
certificate check) still the URL's host. A second DNS lookup inside the HTTP client could
answer differently (DNS rebinding), so there is none.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import random
import socket
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from services.matching.domain.callbacks import (
    Address,
    addresses_refusal,
    callback_host,
    callback_port,
    url_refusal,
)
from services.matching.domain.retries import next_delay, parse_retry_after
from services.matching.domain.signing import signature_headers
from services.matching.settings import CallbackPolicy, MatchingSettings
from services.matching.store.models import DeliveryAttempt, WebhookDelivery
from services.matching.store.webhook_repository import DELIVERED, FAILED, PENDING
from services.matching.unit_of_work import MatchingUnitOfWork
from shared.db import is_sqlite
from shared.events.envelope import CONTENT_TYPE
from shared.events.matching import WebhookDeliveryFailed
from shared.logging import get_logger
from shared.runtime import Runtime

log = get_logger(__name__)


async def resolve(host: str, port: int) -> list[Address]:
    """Every address the system resolver gives for the host, in its order, without repeats.

    getaddrinfo also turns numeric forms (`127.1`, `2130706433`, `0x7f000001`) into the address
    they mean, as an HTTP client would. It blocks, so it runs in the loop's thread pool."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    found: dict[Address, None] = {}
    for _family, _type, _proto, _name, sockaddr in infos:
        found.setdefault(ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0]))
    return list(found)


@dataclass(frozen=True)
class Target:
    """A checked callback: the URL to connect to (host replaced by the checked address) and
    what keeps the original host for the receiver: the Host header and the TLS server name."""

    url: str
    host_header: str
    server_name: str


async def check_callback(url: str, policy: CallbackPolicy) -> Target | str:
    """The callback pinned to a checked address, or why it is refused."""
    refusal = url_refusal(url)
    if refusal is not None:
        return refusal
    host = callback_host(url)
    try:
        port = callback_port(url)
    except ValueError:
        return "not a valid port"
    try:
        addresses = await resolve(host, port)
    except (OSError, UnicodeError) as exc:
        return f"{host} does not resolve ({getattr(exc, 'strerror', None) or exc})"
    refusal = addresses_refusal(host, addresses, policy.allowed_networks)
    if refusal is not None:
        return refusal
    return pinned(url, addresses[0])


def pinned(url: str, address: Address) -> Target:
    """The URL with its host replaced by the address; user info, port, path and query kept."""
    parts = urlsplit(url)
    userinfo, _, host_port = parts.netloc.rpartition("@")
    literal = f"[{address}]" if address.version == 6 else str(address)
    netloc = (f"{userinfo}@" if userinfo else "") + literal + (
        f":{parts.port}" if parts.port else "")
    return Target(urlunsplit(parts._replace(netloc=netloc)), host_port, callback_host(url))


@dataclass(frozen=True)
class Claimed:
    """What one attempt needs, read while claiming."""

    delivery_id: uuid.UUID
    url: str
    secret: str
    payload: bytes


@dataclass(frozen=True)
class Outcome:
    """What the receiver answered (or why there was no answer)."""

    status: int | None
    error: str | None
    retry_after_s: float | None
    duration_ms: float


class DeliveryWorker:
    """Sends due deliveries until cancelled."""

    def __init__(self, runtime: Runtime[MatchingSettings, MatchingUnitOfWork],
                 settings: MatchingSettings,
                 client: httpx.AsyncClient, rng: random.Random | None = None) -> None:
        self.runtime = runtime
        self.settings = settings
        self.client = client
        self.rng = rng or random.Random()
        self._hold_locks = not is_sqlite(runtime.database_url)
        self._stopping = asyncio.Event()

    def stop(self) -> None:
        """Finish the current batch and leave (a cancel mid-transaction leaves debris)."""
        self._stopping.set()

    async def run(self) -> None:
        """Work off due deliveries; look again every poll interval."""
        while not self._stopping.is_set():
            try:
                if await self.run_once():
                    continue
            except Exception as exc:  # noqa: BLE001 — the worker must outlive a DB hiccup
                log.warning("webhook.worker_failed", error=repr(exc)[:300])
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(),
                                       self.settings.matching_delivery_poll_s)

    async def run_once(self) -> int:
        """Claim a batch of due deliveries and attempt them concurrently."""
        claimed = await self._claim()
        await asyncio.gather(*(self._attempt(c) for c in claimed))
        return len(claimed)

    async def _claim(self) -> list[Claimed]:
        now = datetime.now(UTC)
        lease = timedelta(seconds=self.settings.matching_delivery_lease_s)
        async with self.runtime.begin() as uow:
            rows = await uow.deliveries.claim_due_unscoped(
                now, self.settings.matching_delivery_batch, lock=self._hold_locks)
            for delivery, _ in rows:
                delivery.next_attempt_at = now + lease  # claimed; comes back if we crash
            return [Claimed(d.id, s.url, s.secret, d.payload) for d, s in rows]

    async def _attempt(self, claimed: Claimed) -> None:
        headers = signature_headers(claimed.secret, str(claimed.delivery_id), int(time.time()),
                                    claimed.payload)
        headers.update({"content-type": CONTENT_TYPE, "user-agent": "participatiewet-matching"})
        started = time.perf_counter()
        url, extensions = claimed.url, dict[str, Any]()
        policy = self.settings.callback_policy
        if policy is not None:
            target = await check_callback(claimed.url, policy)
            if isinstance(target, str):
                log.warning("webhook.callback_refused", delivery_id=str(claimed.delivery_id),
                            reason=target)
                await self._record(claimed.delivery_id, Outcome(
                    None, f"callback refused: {target}"[:500], None,
                    (time.perf_counter() - started) * 1000))
                return
            url, extensions = target.url, {"sni_hostname": target.server_name}
            headers["host"] = target.host_header
        try:
            response = await self.client.post(url, content=claimed.payload, headers=headers,
                                              extensions=extensions,
                                              timeout=self.settings.matching_delivery_timeout_s)
            outcome = Outcome(
                response.status_code,
                None if response.is_success else f"HTTP {response.status_code}",
                parse_retry_after(response.headers.get("retry-after"), datetime.now(UTC)),
                (time.perf_counter() - started) * 1000)
        except httpx.HTTPError as exc:
            outcome = Outcome(None, f"{type(exc).__name__}: {exc}"[:500], None,
                              (time.perf_counter() - started) * 1000)
        await self._record(claimed.delivery_id, outcome)

    async def _record(self, delivery_id: uuid.UUID, outcome: Outcome) -> None:
        now = datetime.now(UTC)
        async with self.runtime.begin() as uow:
            delivery = await uow.deliveries.get_for_update_unscoped(delivery_id)
            if delivery is None:
                return  # the subscription was deleted meanwhile
            uow.deliveries.add_attempt(DeliveryAttempt(delivery_id=delivery.id, attempted_at=now,
                                        duration_ms=round(outcome.duration_ms, 2),
                                        status_code=outcome.status, error=outcome.error))
            delivery.last_status = outcome.status
            if delivery.status != PENDING:
                return
            if outcome.status is not None and 200 <= outcome.status < 300:
                delivery.status, delivery.finished_at, delivery.next_attempt_at = (
                    DELIVERED, now, None)
            elif outcome.status == 410:
                await self._disable(uow, delivery.subscription_id, now)
            else:
                self._retry_or_fail(uow, delivery, outcome, now)

    async def _disable(self, uow: MatchingUnitOfWork, subscription_id: uuid.UUID,
                       now: datetime) -> None:
        """410 Gone: the receiver wants nothing more; pending deliveries are cancelled."""
        subscription = await uow.subscriptions.get_unscoped(subscription_id)
        if subscription is not None and subscription.status == "active":
            subscription.status, subscription.disabled_at = "disabled", now
            subscription.disabled_reason = "the receiver answered 410 Gone"
            log.warning("webhook.subscription_disabled", subscription_id=str(subscription_id))
        await uow.deliveries.cancel_pending_unscoped(subscription_id, now)

    def _retry_or_fail(self, uow: MatchingUnitOfWork, delivery: WebhookDelivery,
                       outcome: Outcome, now: datetime) -> None:
        delivery.failures += 1
        delay = next_delay(self.settings.matching_retry_schedule_s, delivery.failures,
                           self.rng, outcome.retry_after_s)
        if delay is not None:
            delivery.next_attempt_at = now + timedelta(seconds=delay)
            return
        delivery.status, delivery.finished_at, delivery.next_attempt_at = FAILED, now, None
        log.error("webhook.delivery_failed", delivery_id=str(delivery.id),
                  subscription_id=str(delivery.subscription_id), event_type=delivery.event_type,
                  attempts=delivery.failures, last_status=outcome.status)
        if delivery.event_type == WebhookDeliveryFailed.ce_type():
            return  # no alert about an alert: that could chase its own tail for days
        event = WebhookDeliveryFailed(
            subscription_id=delivery.subscription_id, delivery_id=delivery.id,
            gemeente=delivery.gemeente, event_type=delivery.event_type,
            attempts=delivery.failures, last_status=outcome.status, failed_at=now)
        uow.outbox.add(event)  # subject: the subscription; tenant: the delivery's gemeente
