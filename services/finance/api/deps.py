"""Finance's route dependencies: the request's unit of work, and the role checks that run
before the body is validated (403 before 400; the handlers check the roles again)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from services.finance.handlers import access
from services.finance.settings import FinanceSettings
from services.finance.unit_of_work import FinanceRuntime, FinanceUnitOfWork
from shared.auth import OrgKind, Principal, Role, requires
from shared.http.deps import REQUEST_UNIT_OF_WORK, get_runtime


async def _settings(request: Request) -> FinanceSettings:
    settings: FinanceSettings = request.app.state.settings
    return settings


# Opened with the caller's Principal; committed after the route returns, before the response
# is sent (a 2xx means it is stored), rolled back when it raises (a 4xx writes nothing).
Uow = Annotated[FinanceUnitOfWork, REQUEST_UNIT_OF_WORK]
Settings = Annotated[FinanceSettings, Depends(_settings)]
Runtime = Annotated[FinanceRuntime, Depends(get_runtime)]

PlatformAdmin = Annotated[Principal, Depends(requires(Role.ADMIN, kinds=access.PLATFORM_ONLY))]
Calculator = Annotated[Principal, Depends(requires(*access.CALCULATOR_ROLES,
                                                   kinds=access.BOTH_KINDS))]
Planner = Annotated[Principal, Depends(requires(*access.PLANNING_ROLES, kinds=access.BOTH_KINDS))]
GemeenteController = Annotated[Principal, Depends(requires(*access.CONTROLLERS,
                                                           kinds=(OrgKind.GEMEENTE,)))]
GemeenteDecider = Annotated[Principal, Depends(requires(*access.DECIDERS,
                                                        kinds=(OrgKind.GEMEENTE,)))]
ProviderManagement = Annotated[Principal, Depends(requires(*access.PROVIDER_MANAGEMENT,
                                                           kinds=(OrgKind.PROVIDER,)))]
