"""Idempotent consumer: apply an event and record its id in one transaction, ack after commit.

A redelivered or re-published event finds its id in the inbox and is skipped. A handler that
keeps failing is retried with backoff and, after `max_deliveries`, parked in the dead-letter
table and logged as an error — acknowledged only once it is safely stored there.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Generic, TypeVar

from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js import JetStreamContext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.bus.retry import raise_if_cancelling, until_it_works
from shared.bus.streams import ensure_consumer, ensure_stream
from shared.db import transaction
from shared.events.envelope import Envelope, EnvelopeError
from shared.events.subjects import stream_name
from shared.logging import bind_correlation, get_logger
from shared.store import DeadLetter, InboxMessage

log = get_logger(__name__)

# What a handler works on: the service's unit of work (see shared.unit_of_work), built by the
# consumer's `context` on the inbox's own session, so the event and its inbox row commit as one.
ContextT = TypeVar("ContextT")
EventHandler = Callable[[ContextT, Envelope], Awaitable[None]]


@dataclass(frozen=True)
class StreamPosition:
    """Where the event being applied sits in its producer's stream."""

    producer: str
    sequence: int


_POSITION: ContextVar[StreamPosition | None] = ContextVar("stream_position", default=None)


@dataclass(frozen=True)
class StreamedEvent:
    """A new event of a fetched batch, and where it sits in its producer's stream."""

    envelope: Envelope
    position: StreamPosition | None


# Applies a fetched batch's new events at once, in the batch's transaction (see EventConsumer).
BatchHandler = Callable[[ContextT, Sequence[StreamedEvent]], Awaitable[None]]


def _position_of(message: Msg, producer: str) -> StreamPosition | None:
    """A JetStream message knows its stream sequence; a core NATS message does not."""
    return StreamPosition(producer, message.metadata.sequence.stream) if message.reply else None


def current_stream_position() -> StreamPosition | None:
    """The stream position of the event a handler is applying (None outside a consumer).

    A projection that is also rebuilt by replaying streams uses it to skip what the rebuild
    already folded in.
    """
    return _POSITION.get()


@dataclass
class ConsumerStats:
    """What a consumer has done since start; read by tests, benchmarks and /ready."""

    applied: int = 0
    duplicates: int = 0
    unknown: int = 0  # deliveries of a type it has no handler for (or, with a fallback, events)
    retried: int = 0
    parked: int = 0


class EventConsumer(Generic[ContextT]):
    """A durable pull consumer of one producer's stream, applying events through the inbox."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        nc: Client,
        *,
        context: Callable[[AsyncSession], ContextT],
        consumer_service: str,
        producer: str,
        handlers: Mapping[str, EventHandler[ContextT]],
        namespace: str = "",
        max_deliveries: int = 5,
        batch_size: int = 100,
        retry_delay_s: float = 1.0,
        stream_replicas: int = 1,
        gemeente: str = "",
        fallback: EventHandler[ContextT] | None = None,
        batch_apply: bool = False,
        batch_handler: BatchHandler[ContextT] | None = None,
    ) -> None:
        self._sessions = sessions
        self._context = context
        self._js = nc.jetstream()
        self._consumer_service = consumer_service
        self._producer = producer
        self._handlers = dict(handlers)
        self._namespace = namespace
        self._max_deliveries = max_deliveries
        self._batch_size = batch_size
        self._retry_delay_s = retry_delay_s
        self._stream_replicas = stream_replicas
        self._gemeente = gemeente
        # Applied to types without a handler of their own (still counted as unknown).
        self._fallback = fallback
        # One transaction per fetched batch instead of per event (for projections that see
        # every event; a failure falls back to one at a time).
        self._batch_apply = batch_apply or batch_handler is not None
        # The batch's new events (those with a handler or the fallback) go to it in one call,
        # in the batch's transaction, so a projection can read and write once per batch; the
        # one-at-a-time path after a failure still uses the per-event handlers.
        self._batch_handler = batch_handler
        self.name = ""
        self.stats = ConsumerStats()
        self._stopping = False

    @property
    def producer(self) -> str:
        """The producing service whose stream this consumer reads."""
        return self._producer

    def stop(self) -> None:
        """Finish the current message and leave the loop (a cancel alone may be swallowed)."""
        self._stopping = True

    async def run(self) -> None:
        """Set up stream and durable consumer (until NATS lets it), then fetch and apply until
        cancelled."""
        subscription = await until_it_works(f"consumer of {self._producer}", self._subscribe)
        raise_if_cancelling()  # a stop during set-up may have been swallowed by nats-py
        while not self._stopping:
            try:
                messages = await subscription.fetch(self._batch_size, timeout=1.0)
            except (NatsTimeoutError, TimeoutError):
                raise_if_cancelling()
                continue
            except Exception as exc:  # noqa: BLE001 — NATS outages must not end the consumer
                raise_if_cancelling()
                if self._stopping:
                    break
                log.warning("inbox.fetch_failed", consumer=self.name, error=str(exc))
                await asyncio.sleep(1.0)
                continue
            if self._batch_apply:
                await self.process_batch(messages)
                continue
            for message in messages:
                if self._stopping:
                    break  # unacknowledged: JetStream redelivers it after ack_wait
                await self.process(message)

    async def _subscribe(self) -> JetStreamContext.PullSubscription:
        await ensure_stream(self._js, self._producer, namespace=self._namespace,
                            replicas=self._stream_replicas)
        raise_if_cancelling()
        self.name = await ensure_consumer(
            self._js, consumer_service=self._consumer_service, producer=self._producer,
            namespace=self._namespace, gemeente=self._gemeente,
        )
        return await self._js.pull_subscribe_bind(
            durable=self.name, stream=stream_name(self._producer, self._namespace))

    async def process(self, message: Msg) -> None:
        """Apply one message exactly once (as far as this database can tell)."""
        prepared = await self._prepare(message)
        if prepared is not None:
            await self._apply_one(message, *prepared)

    async def process_batch(self, messages: list[Msg]) -> None:
        """Apply a fetched batch in one transaction: one commit for many events.

        Any failure rolls the whole batch back, and it is applied again one message at a time,
        with the usual retries and dead letters, so a poison event costs only a slower batch.
        """
        prepared = [(m, p) for m in messages if (p := await self._prepare(m)) is not None]
        if not prepared:
            return
        try:
            applied = await self._apply_batch(prepared)
        except Exception as exc:  # noqa: BLE001 — retried one by one below
            log.info("inbox.batch_fallback", consumer=self.name, size=len(prepared),
                     error=repr(exc))
            for message, (envelope, handler, known) in prepared:
                await self._apply_one(message, envelope, handler, known)
            return
        for (message, (_, _, known)), was_applied in zip(prepared, applied, strict=True):
            self._count(was_applied, known)
            await message.ack()

    async def _prepare(
        self, message: Msg
    ) -> tuple[Envelope, EventHandler[ContextT], bool] | None:
        """The envelope and its handler; None when the message was dealt with already
        (unreadable: parked; no handler: acknowledged without a database round-trip)."""
        deliveries = message.metadata.num_delivered if message.reply else 1
        try:
            envelope = Envelope.from_json(message.data)
        except EnvelopeError as exc:
            await self._park(message, None, f"unreadable envelope: {exc}", deliveries)
            return None
        if envelope.correlationid:
            bind_correlation(envelope.correlationid)
        known = envelope.type in self._handlers
        handler = self._handlers[envelope.type] if known else self._fallback
        if handler is None:
            # Nothing to apply, so nothing to record (most events on a stream are of types a
            # given consumer does not handle).
            self.stats.unknown += 1
            await message.ack()
            return None
        return envelope, handler, known

    async def _apply_one(self, message: Msg, envelope: Envelope,
                         handler: EventHandler[ContextT], known: bool) -> None:
        deliveries = message.metadata.num_delivered if message.reply else 1
        position = _POSITION.set(_position_of(message, self._producer))
        try:
            applied = await self._apply(envelope, handler)
        except Exception as exc:  # noqa: BLE001 — any handler failure is retried, then parked
            if deliveries >= self._max_deliveries:
                await self._park(message, envelope.id, repr(exc), deliveries)
                return
            self.stats.retried += 1
            log.warning("inbox.retry", consumer=self.name, event_id=envelope.id,
                        type=envelope.type, deliveries=deliveries, error=repr(exc))
            await message.nak(delay=min(self._retry_delay_s * 2 ** (deliveries - 1), 60.0))
            return
        finally:
            _POSITION.reset(position)
        self._count(applied, known)
        await message.ack()

    def _count(self, applied: bool, known: bool) -> None:
        if not applied:
            self.stats.duplicates += 1
        elif known:
            self.stats.applied += 1
        else:
            self.stats.unknown += 1

    async def _apply_batch(
        self, prepared: list[tuple[Msg, tuple[Envelope, EventHandler[ContextT], bool]]]
    ) -> list[bool]:
        """Every new event of the batch and its inbox row in one transaction; which were new."""
        applied: list[bool] = []
        fresh: list[tuple[Msg, Envelope, EventHandler[ContextT]]] = []
        async with transaction(self._sessions) as session:
            seen = set(await session.scalars(select(InboxMessage.event_id).where(
                InboxMessage.consumer == self._consumer_service,
                InboxMessage.event_id.in_([envelope.id for _, (envelope, _, _) in prepared]))))
            for message, (envelope, handler, _) in prepared:
                new = envelope.id not in seen
                applied.append(new)
                if new:
                    seen.add(envelope.id)
                    fresh.append((message, envelope, handler))
            if self._batch_handler is not None and fresh:
                await self._batch_handler(self._context(session), [
                    StreamedEvent(envelope, _position_of(message, self._producer))
                    for message, envelope, _ in fresh])
            else:
                for message, envelope, handler in fresh:
                    position = _POSITION.set(_position_of(message, self._producer))
                    try:
                        await handler(self._context(session), envelope)
                    finally:
                        _POSITION.reset(position)
            now = datetime.now(UTC)
            session.add_all([InboxMessage(consumer=self._consumer_service, event_id=envelope.id,
                                          event_type=envelope.type, processed_at=now)
                             for _, envelope, _ in fresh])
        return applied

    async def _apply(self, envelope: Envelope, handler: EventHandler[ContextT]) -> bool:
        """Run the handler and record the event; False when it was already applied."""
        try:
            async with transaction(self._sessions) as session:
                if await self._seen(session, envelope.id):
                    return False
                await handler(self._context(session), envelope)
                session.add(InboxMessage(
                    consumer=self._consumer_service, event_id=envelope.id,
                    event_type=envelope.type, processed_at=datetime.now(UTC),
                ))
        except IntegrityError:
            async with transaction(self._sessions) as session:
                if await self._seen(session, envelope.id):
                    return False  # another replica applied it concurrently; its commit won
            raise
        return True

    async def _seen(self, session: AsyncSession, event_id: str) -> bool:
        found = await session.scalar(
            select(InboxMessage.event_id).where(
                InboxMessage.consumer == self._consumer_service,
                InboxMessage.event_id == event_id,
            )
        )
        return found is not None

    async def _park(
        self, message: Msg, event_id: str | None, error: str, deliveries: int
    ) -> None:
        async with transaction(self._sessions) as session:
            session.add(DeadLetter(
                consumer=self._consumer_service, event_id=event_id, subject=message.subject,
                payload=message.data, error=error[:2000], deliveries=deliveries,
                parked_at=datetime.now(UTC),
            ))
        self.stats.parked += 1
        log.error("inbox.parked", consumer=self._consumer_service, event_id=event_id,
                  subject=message.subject, deliveries=deliveries, error=error[:500])
        await message.ack()
