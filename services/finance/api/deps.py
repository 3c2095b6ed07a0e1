"""Finance's route dependencies: the unit of work, and the role checks that run before the body
is validated (403 before 400)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from services.finance import access
from services.finance.settings import FinanceSettings
from shared.auth import OrgKind, Principal, Role, requires
from shared.http.deps import RuntimeDep


async def _unit_of_work(runtime: RuntimeDep) -> AsyncIterator[AsyncSession]:
    """One transaction around the route's handler call: committed when the route returns,
    rolled back when it raises (a 4xx writes nothing)."""
    async with runtime.unit_of_work() as session:
        yield session


async def _settings(request: Request) -> FinanceSettings:
    settings: FinanceSettings = request.app.state.settings
    return settings


# scope="function": commit before the response is sent, so a 2xx means it is stored.
UnitOfWork = Annotated[AsyncSession, Depends(_unit_of_work, scope="function")]
Settings = Annotated[FinanceSettings, Depends(_settings)]

PlatformAdmin = Annotated[Principal, Depends(requires(Role.ADMIN, kinds=(OrgKind.PLATFORM,)))]
Calculator = Annotated[Principal, Depends(requires(*access.CALCULATOR_ROLES,
                                                   kinds=access.BOTH_KINDS))]
Planner = Annotated[Principal, Depends(requires(*access.PLANNING_ROLES, kinds=access.BOTH_KINDS))]
GemeenteController = Annotated[Principal, Depends(requires(*access.CONTROLLERS,
                                                           kinds=(OrgKind.GEMEENTE,)))]
GemeenteDecider = Annotated[Principal, Depends(requires(*access.DECIDERS,
                                                        kinds=(OrgKind.GEMEENTE,)))]
ProviderManagement = Annotated[Principal, Depends(requires(*access.PROVIDER_MANAGEMENT,
                                                           kinds=(OrgKind.PROVIDER,)))]
