"""Transactional outbox: events are rows in the business transaction; a relay publishes them.

Writing the event in the same transaction as the state change means a rolled-back change
publishes nothing and a committed change is never lost. The relay publishes with
`Nats-Msg-Id` = event id, so a crash between publish and mark only re-publishes an event
JetStream (within its duplicate window) or the consumer's inbox (always) discards.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from nats.aio.client import Client
from sqlalchemy import Row, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.bus.retry import backoff_s, raise_if_cancelling
from shared.db import Storage, transaction
from shared.events.catalogue import EventData
from shared.events.envelope import CONTENT_TYPE, Envelope, source_urn
from shared.events.subjects import subject_for
from shared.logging import current_correlation_id, get_logger
from shared.store import OutboxMessage
from shared.tracing import current_traceparent

log = get_logger(__name__)

PURGE_INTERVAL_S = 300.0
PendingRow = Row[int, str, str, bytes]  # seq, event_id, subject, payload


class BusUnavailable(RuntimeError):
    """NATS is not reachable right now; the outbox keeps the events."""


def _outcome(ack: asyncio.Future[Any], timeout_s: float) -> BaseException | None:
    """None for an acknowledged publish, else why not (a late ack is given up on)."""
    if not ack.done():
        ack.cancel()
        return TimeoutError(f"no ack within {timeout_s} s")
    if ack.cancelled():
        return BusUnavailable("the publish was cancelled")
    return ack.exception()


def envelope_for(data: EventData, *, gemeente: str, subject_id: str, oin: str) -> Envelope:
    """The CloudEvents envelope of `data`, with this request's trace and correlation ids."""
    return Envelope(
        type=data.ce_type(),
        source=source_urn(oin, data.producer()),
        subject=subject_id,
        gemeente=gemeente,
        data=data.to_data(),
        traceparent=current_traceparent(),
        correlationid=current_correlation_id(),
    )


def outbox_row(envelope: Envelope, name: str) -> dict[str, Any]:
    """The outbox row of an envelope, as column values (for a Core insert)."""
    return {"event_id": envelope.id, "subject": subject_for(name, envelope.gemeente),
            "payload": envelope.to_json(), "created_at": envelope.time, "attempts": 0}


def add_event(
    session: AsyncSession, data: EventData, *, gemeente: str, subject_id: str, oin: str
) -> Envelope:
    """Put one event in the outbox, inside the caller's transaction (flushed with the rest)."""
    envelope = envelope_for(data, gemeente=gemeente, subject_id=subject_id, oin=oin)
    session.add(OutboxMessage(**outbox_row(envelope, data.name)))
    return envelope


class StagedEvent(NamedTuple):
    """An event's envelope and its outbox row (column values), not yet written."""

    envelope: Envelope
    row: dict[str, Any]


def stage_event(data: EventData, *, gemeente: str, subject_id: str, oin: str) -> StagedEvent:
    """The envelope and outbox row of `data`, for a write the caller makes itself."""
    envelope = envelope_for(data, gemeente=gemeente, subject_id=subject_id, oin=oin)
    return StagedEvent(envelope, outbox_row(envelope, data.name))


async def insert_event(storage: Storage, staged: StagedEvent) -> None:
    """Write one event to the outbox now, for hot paths that skip the ORM's change tracking:
    through asyncpg itself on Postgres, with a Core insert elsewhere."""
    row = staged.row
    driver = await storage.driver()
    if driver is not None:
        await driver.execute(_OUTBOX_INSERT_SQL, row["event_id"], row["subject"],
                             row["payload"], row["created_at"])
    else:
        await (await storage.connection()).execute(_OUTBOX_INSERT, row)


_OUTBOX_INSERT = insert(OutboxMessage.__table__)  # type: ignore[arg-type]
_OUTBOX_INSERT_SQL = ("INSERT INTO outbox (event_id, subject, payload, created_at, attempts) "
                      "VALUES ($1, $2, $3, $4, 0)")


class OutboxRelay:
    """Publishes pending outbox rows in order, in batches, with backoff while NATS is away."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        nc: Client,
        *,
        hold_locks: bool,
        namespace: str = "",
        batch_size: int = 500,
        poll_interval_s: float = 0.5,
        publish_timeout_s: float = 5.0,
        max_backoff_s: float = 30.0,
        retention: timedelta = timedelta(days=7),
        linger_s: float = 0.05,
    ) -> None:
        self._sessions = sessions
        self._nc = nc
        self._js = nc.jetstream()
        self._hold_locks = hold_locks
        self._prefix = f"{namespace}." if namespace else ""
        self._batch_size = batch_size
        self._poll_interval_s = poll_interval_s
        self._publish_timeout_s = publish_timeout_s
        self._max_backoff_s = max_backoff_s
        self._retention = retention
        self._linger_s = linger_s
        self._next_purge = 0.0
        self._wake = asyncio.Event()
        self.published = 0

    def wake(self) -> None:
        """Tell the relay a transaction with events just committed."""
        self._wake.set()

    async def run(self) -> None:
        """Relay until cancelled."""
        failures = 0
        while True:
            try:
                sent = await self.relay_once()
                failures = 0
            except Exception as exc:  # noqa: BLE001 — the relay must outlive any outage
                raise_if_cancelling()
                failures += 1
                delay = self._backoff(failures)
                log.warning("outbox.relay_failed", error=str(exc), retry_in=round(delay, 2))
                await asyncio.sleep(delay)
                continue
            if sent < self._batch_size:
                await self._purge_when_due()
                await self._idle()

    async def relay_once(self) -> int:
        """Publish one batch; returns how many were published. Raises if any publish failed."""
        if not self._nc.is_connected:
            raise BusUnavailable("not connected to NATS")
        if self._hold_locks:
            # Postgres: row locks held across the publish let several replicas share the work.
            async with transaction(self._sessions) as session:
                rows = await self._pending(session)
                results = await self._publish_all(rows)
                await self._mark(session, rows, results)
        else:
            # SQLite has one writer per file and one relay per process: don't block the API's
            # writes for the length of a publish.
            async with transaction(self._sessions) as session:
                rows = await self._pending(session)
            results = await self._publish_all(rows)
            async with transaction(self._sessions) as session:
                await self._mark(session, rows, results)
        failed = [r for r in results if isinstance(r, BaseException)]
        self.published += len(rows) - len(failed)
        if failed:
            raise RuntimeError(f"{len(failed)} of {len(rows)} publishes failed: {failed[0]!r}")
        return len(rows)

    async def _pending(self, session: AsyncSession) -> list[PendingRow]:
        query = (
            select(OutboxMessage.seq, OutboxMessage.event_id, OutboxMessage.subject,
                   OutboxMessage.payload)
            .where(OutboxMessage.published_at.is_(None))
            .order_by(OutboxMessage.seq)
            .limit(self._batch_size)
        )
        if self._hold_locks:
            query = query.with_for_update(skip_locked=True)
        return list((await session.execute(query)).all())

    async def _publish_all(
        self, rows: list[PendingRow]
    ) -> list[None | BaseException]:
        """Publish in order on one connection with all acks in flight; a result per row.

        `publish_async` sends at once and hands back the ack's future (no task per event, as a
        gather of `publish` calls made); an ack not back within the timeout counts as failed.
        """
        futures: list[asyncio.Future[Any]] = []
        unsent: BaseException | None = None
        try:
            for row in rows:
                futures.append(await self._js.publish_async(
                    self._prefix + row.subject, row.payload,
                    headers={"Nats-Msg-Id": row.event_id, "Content-Type": CONTENT_TYPE}))
        except Exception as exc:  # noqa: BLE001 — the rest is not sent: failed, retried later
            unsent = exc
        if futures:
            await asyncio.wait(futures, timeout=self._publish_timeout_s)
        results = [_outcome(future, self._publish_timeout_s) for future in futures]
        results.extend(unsent for _ in rows[len(futures):])
        return results

    async def _mark(
        self,
        session: AsyncSession,
        rows: list[PendingRow],
        results: list[None | BaseException],
    ) -> None:
        done = [row.seq for row, result in zip(rows, results, strict=True)
                if not isinstance(result, BaseException)]
        if done:
            await session.execute(
                update(OutboxMessage).where(OutboxMessage.seq.in_(done))
                .values(published_at=datetime.now(UTC))
            )
        for row, result in zip(rows, results, strict=True):
            if isinstance(result, BaseException):
                await session.execute(
                    update(OutboxMessage).where(OutboxMessage.seq == row.seq)
                    .values(attempts=OutboxMessage.attempts + 1, last_error=repr(result)[:500])
                )

    async def _purge_when_due(self) -> None:
        """Delete rows published longer ago than the retention (JetStream keeps the history)."""
        now = time.monotonic()
        if now < self._next_purge:
            return
        self._next_purge = now + PURGE_INTERVAL_S
        cutoff = datetime.now(UTC) - self._retention
        async with transaction(self._sessions) as session:
            await session.execute(delete(OutboxMessage).where(
                OutboxMessage.published_at.is_not(None), OutboxMessage.published_at < cutoff))

    async def _idle(self) -> None:
        try:
            await asyncio.wait_for(self._wake.wait(), timeout=self._poll_interval_s)
            # Under load every commit wakes us: linger a moment so one batch carries many
            # events instead of one transaction per request.
            await asyncio.sleep(self._linger_s)
        except TimeoutError:
            pass
        self._wake.clear()

    def _backoff(self, failures: int) -> float:
        """Exponential backoff with full jitter, capped."""
        return backoff_s(failures, self._max_backoff_s)
