"""Outbox, relay and inbox against a real nats-server and real databases."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta

import nats
import pytest
from nats.aio.client import Client
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from shared.bus.inbox import (
    EventConsumer,
    EventHandler,
    StreamedEvent,
    StreamPosition,
    current_stream_position,
)
from shared.bus.outbox import OutboxRelay, add_event
from shared.bus.streams import ensure_stream
from shared.db import is_sqlite, transaction
from shared.events.envelope import CONTENT_TYPE, Envelope
from shared.events.intake import CandidateRegistered
from shared.events.subjects import stream_name, subject_for
from shared.store import DeadLetter, InboxMessage, OutboxMessage
from tests.conftest import eventually
from tests.shared.conftest import SpineDb, applied_events, record_applied

OIN = "00000001234567890000"


@pytest.fixture
def namespace(bus_namespace: str) -> str:
    """Streams of their own per test, still removed with the run's namespace."""
    return f"{bus_namespace}_{uuid.uuid4().hex[:8]}"


@pytest.fixture
async def nc(nats_url: str) -> AsyncIterator[Client]:
    client = await nats.connect(nats_url)
    yield client
    await client.close()


def registered(candidate_id: uuid.UUID | None = None) -> CandidateRegistered:
    return CandidateRegistered(candidate_id=candidate_id or uuid.uuid4(), gemeente="GM0757",
                               target_group="bijstand", birth_year=1990,
                               registered_at=datetime.now(UTC))


async def write_events(db: SpineDb, count: int) -> None:
    async with transaction(db.sessions) as session:
        for _ in range(count):
            data = registered()
            add_event(session, data, gemeente="GM0757", subject_id=str(data.candidate_id),
                      oin=OIN)


async def relayed(db: SpineDb, nc: Client, namespace: str, count: int) -> None:
    """`count` events written to the outbox and published to the intake stream."""
    await ensure_stream(nc.jetstream(), "intake", namespace=namespace)
    await write_events(db, count)
    await relay_for(db, nc, namespace).relay_once()


def relay_for(db: SpineDb, nc: Client, namespace: str, **options: float) -> OutboxRelay:
    return OutboxRelay(db.sessions, nc, namespace=namespace, hold_locks=not is_sqlite(db.url),
                       **options)  # type: ignore[arg-type]


def consumer_for(db: SpineDb, nc: Client, namespace: str,
                 handler: EventHandler[AsyncSession] = record_applied,
                 **options: float) -> EventConsumer[AsyncSession]:
    return EventConsumer(db.sessions, nc, context=lambda session: session,
                         consumer_service="testconsumer", producer="intake",
                         handlers={CandidateRegistered.ce_type(): handler},
                         namespace=namespace, **options)  # type: ignore[arg-type]


@contextlib.asynccontextmanager
async def running(consumer: EventConsumer) -> AsyncIterator[EventConsumer]:
    task = asyncio.create_task(consumer.run())
    try:
        yield consumer
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def stream_messages(nc: Client, namespace: str) -> int:
    info = await nc.jetstream().stream_info(stream_name("intake", namespace))
    return int(info.state.messages)


async def test_rolled_back_transaction_publishes_nothing(
    spine_db: SpineDb, nc: Client, namespace: str
) -> None:
    await ensure_stream(nc.jetstream(), "intake", namespace=namespace)
    with pytest.raises(RuntimeError):
        async with transaction(spine_db.sessions) as session:
            data = registered()
            add_event(session, data, gemeente="GM0757", subject_id=str(data.candidate_id),
                      oin=OIN)
            raise RuntimeError("business rule failed after the event was staged")
    assert await spine_db.count(OutboxMessage) == 0
    assert await relay_for(spine_db, nc, namespace).relay_once() == 0
    assert await stream_messages(nc, namespace) == 0


async def test_republish_after_crash_before_mark_is_applied_once(
    spine_db: SpineDb, nc: Client, namespace: str
) -> None:
    await ensure_stream(nc.jetstream(), "intake", namespace=namespace)
    await write_events(spine_db, 3)
    relay = relay_for(spine_db, nc, namespace)
    assert await relay.relay_once() == 3
    # The crash: the publish went out, the "mark sent" never committed.
    async with transaction(spine_db.sessions) as session:
        await session.execute(update(OutboxMessage).values(published_at=None))
    assert await relay.relay_once() == 3
    assert await stream_messages(nc, namespace) == 3  # Nats-Msg-Id de-duplicated the re-publish
    async with running(consumer_for(spine_db, nc, namespace)) as consumer:
        await eventually(lambda: consumer.stats.applied == 3)
    assert await spine_db.count(applied_events) == 3


async def test_redelivery_beyond_the_duplicate_window_is_skipped_by_the_inbox(
    spine_db: SpineDb, nc: Client, namespace: str
) -> None:
    js = nc.jetstream()
    await ensure_stream(js, "intake", namespace=namespace)
    data = registered()
    envelope = Envelope(type=data.ce_type(), source="urn:test", subject=str(data.candidate_id),
                        gemeente="GM0757", data=data.to_data())
    subject = subject_for(data.name, "GM0757", namespace)
    for _ in range(2):  # distinct Nats-Msg-Ids: JetStream's window no longer protects us
        await js.publish(subject, envelope.to_json(), headers={
            "Nats-Msg-Id": uuid.uuid4().hex, "Content-Type": CONTENT_TYPE})
    async with running(consumer_for(spine_db, nc, namespace)) as consumer:
        await eventually(lambda: consumer.stats.applied + consumer.stats.duplicates == 2)
    assert (consumer.stats.applied, consumer.stats.duplicates) == (1, 1)
    assert await spine_db.count(applied_events) == 1
    assert await spine_db.count(InboxMessage) == 1


def flaky(failures: int) -> tuple[EventHandler, list[int]]:
    calls: list[int] = []

    async def handler(session: AsyncSession, envelope: Envelope) -> None:
        calls.append(1)
        await record_applied(session, envelope)  # written, then rolled back on failure
        if len(calls) <= failures:
            raise RuntimeError("projection temporarily unavailable")

    return handler, calls


async def test_failing_handler_is_retried_and_applied_once(
    spine_db: SpineDb, nc: Client, namespace: str
) -> None:
    await relayed(spine_db, nc, namespace, 1)
    handler, calls = flaky(failures=2)
    consumer = consumer_for(spine_db, nc, namespace, handler, retry_delay_s=0.05)
    async with running(consumer):
        await eventually(lambda: consumer.stats.applied == 1)
    assert len(calls) == 3 and consumer.stats.retried == 2
    assert await spine_db.count(applied_events) == 1
    assert await spine_db.count(DeadLetter) == 0


async def test_poison_event_is_parked_and_the_stream_moves_on(
    spine_db: SpineDb, nc: Client, namespace: str
) -> None:
    await ensure_stream(nc.jetstream(), "intake", namespace=namespace)
    await write_events(spine_db, 1)
    relay = relay_for(spine_db, nc, namespace)
    await relay.relay_once()
    attempts: list[str] = []
    poisoned: set[str] = set()

    async def fails_on_the_first_event(session: AsyncSession, envelope: Envelope) -> None:
        if not poisoned:
            poisoned.add(envelope.id)
        if envelope.id in poisoned:
            attempts.append(envelope.id)
            raise RuntimeError("this event can never be applied")
        await record_applied(session, envelope)

    consumer = consumer_for(spine_db, nc, namespace, fails_on_the_first_event,
                            retry_delay_s=0.05, max_deliveries=3)
    async with running(consumer):
        await eventually(lambda: consumer.stats.parked == 1)
        # The next event is not held up behind the parked one.
        await write_events(spine_db, 1)
        await relay.relay_once()
        await eventually(lambda: consumer.stats.applied == 1)
    assert len(attempts) == 3
    assert await spine_db.count(DeadLetter) == 1
    assert await spine_db.count(applied_events) == 1


async def test_unreadable_message_is_parked_and_unknown_type_is_skipped(
    spine_db: SpineDb, nc: Client, namespace: str
) -> None:
    js = nc.jetstream()
    await ensure_stream(js, "intake", namespace=namespace)
    subject = subject_for("intake.candidate-registered", "GM0757", namespace)
    await js.publish(subject, b"this is not a CloudEvent")
    future = Envelope(type="nl.participatiewet.intake.something-new", source="urn:test",
                      subject="x", gemeente="GM0757", data={"a": 1})
    await js.publish(subject_for("intake.something-new", "GM0757", namespace), future.to_json())
    consumer = consumer_for(spine_db, nc, namespace)
    async with running(consumer):
        await eventually(lambda: consumer.stats.parked == 1 and consumer.stats.unknown == 1)
    assert await spine_db.count(DeadLetter) == 1
    assert await spine_db.count(applied_events) == 0


async def test_concurrent_replicas_apply_each_event_once(
    spine_db: SpineDb, nc: Client, namespace: str
) -> None:
    await ensure_stream(nc.jetstream(), "intake", namespace=namespace)
    await write_events(spine_db, 200)
    relay = relay_for(spine_db, nc, namespace)
    while await relay.relay_once():
        pass
    first, second = consumer_for(spine_db, nc, namespace), consumer_for(spine_db, nc, namespace)
    async with running(first), running(second):
        await eventually(lambda: first.stats.applied + second.stats.applied == 200)
    assert await spine_db.count(applied_events) == 200



async def test_published_rows_are_purged_after_the_retention(
    spine_db: SpineDb, nc: Client, namespace: str
) -> None:
    await ensure_stream(nc.jetstream(), "intake", namespace=namespace)
    await write_events(spine_db, 4)
    relay = OutboxRelay(spine_db.sessions, nc, namespace=namespace, batch_size=3,
                        hold_locks=not is_sqlite(spine_db.url), retention=timedelta(0))
    assert await relay.relay_once() == 3
    await relay._purge_when_due()
    assert await spine_db.count(OutboxMessage) == 1  # the unpublished row stays
    assert await relay.relay_once() == 1


async def test_a_fallback_gets_unknown_types_and_handlers_see_their_stream_position(
    spine_db: SpineDb, nc: Client, namespace: str
) -> None:
    js = nc.jetstream()
    await ensure_stream(js, "intake", namespace=namespace)
    seen: list[tuple[str, StreamPosition | None]] = []

    async def remember(_session: AsyncSession, envelope: Envelope) -> None:
        seen.append((envelope.type, current_stream_position()))

    future = Envelope(type="nl.participatiewet.intake.something-new", source="urn:test",
                      subject="x", gemeente="GM0757", data={"a": 1})
    first = await js.publish(subject_for("intake.something-new", "GM0757", namespace),
                             future.to_json())
    consumer = EventConsumer(spine_db.sessions, nc, context=lambda session: session,
                             consumer_service="testconsumer",
                             producer="intake", handlers={}, namespace=namespace,
                             fallback=remember)
    async with running(consumer):
        await eventually(lambda: consumer.stats.unknown == 1)
    assert seen == [(future.type, StreamPosition("intake", first.seq))]
    assert current_stream_position() is None  # only while a handler runs


async def test_a_batch_applies_in_one_go_and_a_poison_event_only_slows_its_batch(
    spine_db: SpineDb, nc: Client, namespace: str
) -> None:
    await relayed(spine_db, nc, namespace, 20)
    handled: list[str] = []
    poisoned: list[str] = []

    async def poisoned_fifth(session: AsyncSession, envelope: Envelope) -> None:
        if envelope.id not in handled:
            handled.append(envelope.id)
        if len(handled) == 5 and not poisoned:
            poisoned.append(envelope.id)  # the fifth event ever seen can never be applied
        if envelope.id in poisoned:
            raise RuntimeError("this event can never be applied")
        await record_applied(session, envelope)

    batched = consumer_for(spine_db, nc, namespace, poisoned_fifth, retry_delay_s=0.05,
                           max_deliveries=2, batch_apply=True)
    async with running(batched):
        await eventually(lambda: (batched.stats.applied, batched.stats.parked) == (19, 1))
    assert await spine_db.count(applied_events) == 19  # nothing of the failed batch half-kept
    assert await spine_db.count(DeadLetter) == 1

    # Published again, the 19 applied events are duplicates; the parked one (a dead letter is
    # not in the inbox) is applied now that its handler works.
    await asyncio.sleep(1.5)  # the stopped consumer's last pull request (1 s) has expired
    await republish_all(nc, namespace)
    again = consumer_for(spine_db, nc, namespace, record_applied, batch_apply=True)
    async with running(again):
        await eventually(lambda: (again.stats.duplicates, again.stats.applied) == (19, 1))
    assert await spine_db.count(applied_events) == 20


async def test_a_batch_handler_gets_each_new_event_once_in_order_with_its_position(
    spine_db: SpineDb, nc: Client, namespace: str
) -> None:
    await relayed(spine_db, nc, namespace, 20)
    batches: list[list[StreamedEvent]] = []
    calls: list[int] = []

    async def record_batch(session: AsyncSession, events: Sequence[StreamedEvent]) -> None:
        calls.append(len(events))
        if len(calls) == 1:
            raise RuntimeError("the first batch fails: its events go one at a time")
        batches.append(list(events))
        for event in events:
            await record_applied(session, event.envelope)

    def batched() -> EventConsumer[AsyncSession]:
        return EventConsumer(spine_db.sessions, nc, context=lambda session: session,
                             consumer_service="testconsumer", producer="intake",
                             handlers={CandidateRegistered.ce_type(): record_applied},
                             namespace=namespace, batch_size=8,
                             batch_handler=record_batch)

    first = batched()
    async with running(first):
        await eventually(lambda: first.stats.applied == 20)
    handled = [event for batch in batches for event in batch]
    # The first batch (8) failed and went one at a time through the per-event handler.
    assert [event.position for event in handled] == [
        StreamPosition("intake", sequence) for sequence in range(9, 21)]
    assert len(batches) >= 2 and all(len(batch) <= 8 for batch in batches)
    assert await spine_db.count(applied_events) == 20
    assert await spine_db.count(InboxMessage) == 20

    await asyncio.sleep(1.5)  # the stopped consumer's last pull request (1 s) has expired
    await republish_all(nc, namespace)
    again = batched()
    async with running(again):
        await eventually(lambda: again.stats.duplicates == 20)
    assert len([event for batch in batches for event in batch]) == 12  # no duplicate handled
    assert await spine_db.count(applied_events) == 20


async def republish_all(nc: Client, namespace: str) -> None:
    """Every message of the stream published again (a new id for JetStream, same event ids)."""
    js = nc.jetstream()
    stream = stream_name("intake", namespace)
    total = (await js.stream_info(stream)).state.messages
    for sequence in range(1, total + 1):
        message = await js.get_msg(stream, sequence)
        await js.publish(message.subject or "", message.data or b"")
