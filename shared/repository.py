"""A small typed repository base: build statements and flush, never commit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase

from shared.http.pagination import PageParams

ModelT = TypeVar("ModelT", bound=DeclarativeBase)


class Repository(Generic[ModelT]):
    """Per-model repositories subclass this and add their scoped queries."""

    model: type[ModelT]

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, ident: Any) -> ModelT | None:
        """The row with this primary key, or None."""
        return await self.session.get(self.model, ident)

    async def get_for_update(self, ident: Any) -> ModelT | None:
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
