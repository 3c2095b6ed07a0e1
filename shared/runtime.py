"""The moving parts of one service process: engine, bus, outbox relay, consumers.

Created in the app's lifespan, held on `app.state.runtime`, closed on shutdown. The bus
connects in the background, so the API accepts writes (into the outbox) while NATS is away.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Generic, TypeVar

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth import Principal
from shared.bus.connection import Bus
from shared.bus.inbox import BatchHandler, EventConsumer, EventHandler
from shared.bus.outbox import OutboxRelay
from shared.bus.retry import raise_if_cancelling, until_it_works
from shared.bus.streams import ensure_stream
from shared.db import (
    Storage,
    create_engine,
    create_sessionmaker,
    is_sqlite,
    transaction,
)
from shared.logging import get_logger
from shared.settings import ServiceSettings
from shared.unit_of_work import UnitOfWork

SettingsT = TypeVar("SettingsT", bound=ServiceSettings)
UowT = TypeVar("UowT", bound=UnitOfWork)

log = get_logger(__name__)

STOP_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class ConsumerSpec:
    """Which producer's stream a service consumes, and its handler per CloudEvents type."""

    producer: str
    handlers: Mapping[str, EventHandler[Any]] = field(default_factory=dict)
    # For types without a handler (e.g. a projection that counts what it does not know).
    fallback: EventHandler[Any] | None = None
    # Apply each fetched batch in one transaction (see EventConsumer.process_batch).
    batch_apply: bool = False
    # The batch's new events in one call, in the batch's transaction (implies batch_apply).
    batch_handler: BatchHandler[Any] | None = None


def _report_failure(worker: asyncio.Task[None]) -> None:
    """Log a background worker that ended with an error (the others go on)."""
    if not worker.cancelled() and (error := worker.exception()) is not None:
        log.error("runtime.worker_failed", worker=worker.get_name(), error=repr(error))


class Runtime(Generic[SettingsT, UowT]):
    """Engine, sessions, bus, relay and consumers of one running service.

    Typed by the service's settings and its unit of work: `Runtime[IntakeSettings,
    IntakeUnitOfWork]` hands out `IntakeUnitOfWork`s, to requests and to event handlers alike.
    """

    def __init__(
        self,
        settings: SettingsT,
        *,
        unit_of_work: type[UowT],
        publishes: bool = True,
        consumes: tuple[ConsumerSpec, ...] = (),
    ) -> None:
        self.settings: SettingsT = settings
        self._uow_type = unit_of_work
        self.database_url = settings.resolved_database_url
        self.engine = create_engine(self.database_url)
        self.sessions = create_sessionmaker(self.engine)
        self.bus = Bus(settings.nats_url, name=settings.service)
        self._publishes = publishes
        self._consumer_specs = consumes
        self.relay: OutboxRelay | None = None
        self.consumers: list[EventConsumer[UowT]] = []
        self._tasks: list[asyncio.Task[None]] = []
        self._workers: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        """Connect to NATS in the background; relay and consumers start once it is up."""
        self.bus.start()
        self._tasks.append(asyncio.create_task(self._run_messaging(), name="messaging"))

    async def _run_messaging(self) -> None:
        await self.bus.wait_connected()
        try:
            await self._start_workers()
        finally:
            # Cancelling gather alone leaves children that swallow a cancel running: stop each.
            for worker in self._workers:
                worker.cancel()
            if self._workers:
                _, stuck = await asyncio.wait(self._workers, timeout=STOP_TIMEOUT_S / 2)
                if stuck:
                    log.warning("runtime.workers_not_stopping",
                                workers=[w.get_name() for w in stuck])

    async def _start_workers(self) -> None:
        namespace = self.settings.bus_namespace
        if self._publishes:
            await until_it_works(f"stream of {self.settings.service}", lambda: ensure_stream(
                self.bus.js, self.settings.service, namespace=namespace,
                replicas=self.settings.bus_stream_replicas))
            raise_if_cancelling()  # nats-py may have swallowed a stop that came meanwhile
            self.relay = OutboxRelay(
                self.sessions, self.bus.nc, namespace=namespace,
                hold_locks=not is_sqlite(self.database_url),
                batch_size=self.settings.relay_batch_size,
            )
            self._workers.append(asyncio.create_task(self.relay.run(), name="outbox-relay"))
        for spec in self._consumer_specs:
            consumer: EventConsumer[UowT] = EventConsumer(
                self.sessions, self.bus.nc, context=self.event_unit_of_work,
                consumer_service=self.settings.service,
                producer=spec.producer, handlers=spec.handlers, namespace=namespace,
                max_deliveries=self.settings.consumer_max_deliveries,
                stream_replicas=self.settings.bus_stream_replicas,
                gemeente=self.settings.bus_gemeente, fallback=spec.fallback,
                batch_apply=spec.batch_apply, batch_handler=spec.batch_handler,
            )
            self.consumers.append(consumer)
            self._workers.append(
                asyncio.create_task(consumer.run(), name=f"consume-{spec.producer}"))
        log.info("runtime.messaging_started", relay=self._publishes,
                 consumers=[s.producer for s in self._consumer_specs])
        for worker in self._workers:
            worker.add_done_callback(_report_failure)
        # Not gather: a worker that fails must not take the others with it. A consumer whose
        # set-up failed once stopped the relay too, and nothing said so.
        await asyncio.wait(self._workers)

    async def stop(self) -> None:
        """Stop background work (bounded in time), close the bus, dispose of the engine."""
        for consumer in self.consumers:
            consumer.stop()
        for task in self._tasks:
            task.cancel()
        if self._tasks:
            _, still_running = await asyncio.wait(self._tasks, timeout=STOP_TIMEOUT_S)
            if still_running:
                log.warning("runtime.stop_timeout", tasks=[t.get_name() for t in still_running])
        await self.bus.close()
        await self.engine.dispose()

    def wrap(self, storage: Storage, principal: Principal | None) -> UowT:
        """The service's unit of work on open storage (whoever opened it commits)."""
        return self._uow_type(storage, principal=principal, oin=self.settings.oin)

    def event_unit_of_work(self, session: AsyncSession) -> UowT:
        """The unit of work an event handler gets: no caller, on the inbox's session (the
        inbox commits)."""
        return self.wrap(Storage(self.engine, self.sessions, session=session), None)

    def begin(self, principal: Principal | None = None) -> BegunUnitOfWork[UowT]:
        """One unit of work: commit when the block ends normally, roll back on an exception.

        On commit the relay is woken to publish the transaction's events at once. Every
        request's unit of work comes from here (`shared.http.deps.unit_of_work_for`); background
        jobs and CLI commands call it with no caller.
        """
        return BegunUnitOfWork(self, principal)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A bare transaction, for the spine and for tests; services use `begin`."""
        async with transaction(self.sessions) as session:
            yield session
        if self.relay is not None:
            self.relay.wake()

    async def readiness(self) -> dict[str, str]:
        """Per dependency: "ok" or what is wrong."""
        checks: dict[str, str] = {}
        try:
            async with self.sessions() as session:
                await session.execute(text("SELECT 1"))
            checks["database"] = "ok"
        except Exception as exc:  # noqa: BLE001 — report, don't crash the probe
            checks["database"] = f"unavailable: {type(exc).__name__}"
        checks["nats"] = "ok" if self.bus.is_connected else "unavailable"
        return checks


class BegunUnitOfWork(Generic[UowT]):
    """`Runtime.begin`'s context manager: open_storage's commit-or-rollback, then the relay's
    wake-up. A class, not a generator: it runs on every request, and a generator-based context
    manager costs several times as much to enter and leave."""

    __slots__ = ("_principal", "_runtime", "_storage")

    def __init__(self, runtime: Runtime[Any, UowT], principal: Principal | None) -> None:
        self._runtime = runtime
        self._principal = principal
        self._storage: Storage | None = None

    async def __aenter__(self) -> UowT:
        self._storage = Storage(self._runtime.engine, self._runtime.sessions)
        return self._runtime.wrap(self._storage, self._principal)

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        traceback: TracebackType | None) -> None:
        storage = self._storage
        assert storage is not None
        try:
            if exc_type is None:
                await storage.commit()
        finally:
            await storage.close()
        if exc_type is None and self._runtime.relay is not None:
            self._runtime.relay.wake()
