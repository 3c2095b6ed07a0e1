"""Matching's route dependencies for new routes: the unit of work, and who may keep employers
and vacancies (the role check runs before the body is validated: 403 before 400)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession

from services.matching.handlers import KEEPER_KINDS, WRITERS
from shared.auth import Principal, requires
from shared.http.deps import RuntimeDep


async def _unit_of_work(runtime: RuntimeDep) -> AsyncIterator[AsyncSession]:
    """One transaction around the route's handler call: committed before the response is sent,
    rolled back when the handler raises (a 4xx writes nothing)."""
    async with runtime.unit_of_work() as session:
        yield session


UnitOfWork = Annotated[AsyncSession, Depends(_unit_of_work, scope="function")]
# Accountmanagers (and admins) of an uitvoerder, a gemeente or a WSP: the keepers of employers
# and vacancies. Matching's other writes stay with the uitvoerder and the gemeente.
Keeper = Annotated[Principal, Depends(requires(*WRITERS, kinds=KEEPER_KINDS))]
