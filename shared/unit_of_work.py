"""The unit of work: one transaction for one request or one event, and the only way in.

A service specialises `UnitOfWork` with its repositories, already scoped by the caller's
Principal (`IntakeUnitOfWork.candidates`, ...). Handlers are its only users: they read and write
through it, put events in its outbox and check roles with its policy; they never commit. Whoever
opened it commits: for a request the FastAPI dependency `shared.http.deps.REQUEST_UNIT_OF_WORK`,
for an event the inbox. A route never sees a session.

The database side is a `shared.db.Storage`: the ORM session for most work, the connection or
the driver itself for hot paths, one transaction either way.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth import OrgKind, Principal, Role
from shared.bus.outbox import StagedEvent, add_event, insert_event, stage_event
from shared.db import Storage
from shared.events.catalogue import EventData
from shared.events.envelope import Envelope
from shared.problems import Problem

T = TypeVar("T")


class NoCaller(RuntimeError):
    """A scoped read was asked of a unit of work opened for an event, which has no caller."""


class Outbox:
    """Events of this transaction, bound to the service's source (its OIN and name)."""

    def __init__(self, storage: Storage, *, oin: str) -> None:
        self._storage = storage
        self._oin = oin
        self.added: list[Envelope] = []

    def add(self, data: EventData, *, subject_id: str | None = None,
            gemeente: str | None = None) -> Envelope:
        """Put `data` in the outbox; tenant and subject come from the event unless given."""
        envelope = add_event(
            self._storage.session, data, oin=self._oin,
            gemeente=gemeente if gemeente is not None else data.tenant(),
            subject_id=subject_id if subject_id is not None else data.subject_id(),
        )
        self.added.append(envelope)
        return envelope

    async def insert(self, data: EventData, *, subject_id: str | None = None,
                     gemeente: str | None = None) -> Envelope:
        """Like `add`, but written at once (the driver, or Core): hot paths that skip the ORM."""
        return await self.insert_staged(self.stage(data, subject_id=subject_id,
                                                   gemeente=gemeente))

    async def insert_staged(self, staged: StagedEvent) -> Envelope:
        """Write a staged event at once, like `insert`."""
        await insert_event(self._storage, staged)
        return self.written(staged)

    def stage(self, data: EventData, *, subject_id: str | None = None,
              gemeente: str | None = None) -> StagedEvent:
        """The envelope and outbox row of `data`, for a statement of the caller's that writes
        the row with the change itself (`Storage.run_alone`); then call `written`."""
        return stage_event(
            data, oin=self._oin,
            gemeente=gemeente if gemeente is not None else data.tenant(),
            subject_id=subject_id if subject_id is not None else data.subject_id(),
        )

    def written(self, staged: StagedEvent) -> Envelope:
        """Note a staged event as written in this unit of work; its envelope."""
        self.added.append(staged.envelope)
        return staged.envelope


class UnitOfWork:
    """Session, outbox and policy of one transaction; services add scoped repositories.

    `principal` is the caller of a request, None for an event (consumers read unscoped, by the
    event's own ids). Repositories are built lazily, once, on the first use.
    """

    def __init__(self, storage: Storage, *, principal: Principal | None, oin: str) -> None:
        self.storage = storage
        self._principal = principal
        self.outbox = Outbox(storage, oin=oin)

    @property
    def session(self) -> AsyncSession:
        """The ORM session of this transaction."""
        return self.storage.session

    @property
    def principal(self) -> Principal:
        """The caller; raises NoCaller in a unit of work opened for an event."""
        if self._principal is None:
            raise NoCaller("this unit of work serves an event and has no caller")
        return self._principal

    @property
    def has_caller(self) -> bool:
        """False in a unit of work opened for an event."""
        return self._principal is not None

    def require(self, *roles: Role, kinds: Iterable[OrgKind] | None = None) -> Principal:
        """The caller, after the role policy: 403 unless it has one of `roles` (and `kinds`)."""
        principal = self.principal
        principal.require(*roles, kinds=tuple(kinds) if kinds is not None else None)
        return principal

    async def flush(self) -> None:
        """Send staged changes now (ids, constraint checks), inside the transaction."""
        await self.session.flush()

    async def unique(self, write: Callable[[], Awaitable[T]],
                     conflict: Callable[[], Awaitable[Problem]]) -> T:
        """Run `write` in a savepoint; a uniqueness clash raises `conflict()`'s problem.

        The savepoint keeps the transaction usable (Postgres aborts it on an error), so
        `conflict` may read the row that won, e.g. to point at it in the 409.
        """
        try:
            async with self.session.begin_nested():
                result = await write()
                await self.session.flush()
        except IntegrityError:
            raise await conflict() from None
        return result


UowT = TypeVar("UowT", bound=UnitOfWork)
UnitOfWorkFactory = Callable[[Storage, Principal | None], Any]
