"""A small typed repository base: build statements and flush, never commit.

Repositories are built by a service's unit of work with the caller's Principal and scope every
read by it (`get`, `visible`, ... in the subclass). A read that ignores the caller is a separate
method whose name says so (`get_unscoped`): event handlers use it, with the event's own ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase

from shared.auth import Principal
from shared.db import Storage
from shared.http.pagination import PageParams
from shared.unit_of_work import NoCaller

ModelT = TypeVar("ModelT", bound=DeclarativeBase)


class Repository(Generic[ModelT]):
    """Per-model repositories subclass this and add their scoped queries."""

    model: type[ModelT]

    def __init__(self, storage: Storage, principal: Principal | None = None) -> None:
        self.storage = storage
        self._principal = principal

    @property
    def session(self) -> AsyncSession:
        """The unit of work's ORM session (made on first use: hot paths may never need it)."""
        return self.storage.session

    @property
    def principal(self) -> Principal:
        """The caller the reads are scoped by; NoCaller in an event's unit of work."""
        if self._principal is None:
            raise NoCaller(f"{type(self).__name__} has no caller to scope by")
        return self._principal

    async def get_unscoped(self, ident: Any) -> ModelT | None:
        """The row with this primary key whoever asks, or None (events, not requests)."""
        return await self.session.get(self.model, ident)

    async def get_for_update_unscoped(self, ident: Any) -> ModelT | None:
        """The row with this primary key, locked until the transaction ends (where supported)."""
        return await self.session.get(self.model, ident, with_for_update=True,
                                      populate_existing=True)

    def add(self, instance: ModelT) -> ModelT:
        """Stage a new row in the unit of work."""
        self.session.add(instance)
        return instance

    async def page(self, query: Select[ModelT], params: PageParams) -> tuple[
        Sequence[ModelT], int
    ]:
        """One page of `query` (which must have a deterministic order) and the total count."""
        total = await self.session.scalar(
            select(func.count()).select_from(query.order_by(None).subquery())
        )
        rows = await self.session.scalars(query.offset(params.offset).limit(params.page_size))
        return rows.all(), int(total or 0)
