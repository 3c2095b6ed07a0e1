"""Finance's route dependencies: the request's unit of work, alone or with the role check that
runs before the body is validated (403 before 400; the handlers check the roles again)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from services.finance.handlers import access
from services.finance.settings import FinanceSettings
from services.finance.unit_of_work import FinanceRuntime, FinanceUnitOfWork
from shared.auth import OrgKind, Principal, Role, requires
from shared.http.deps import REQUEST_UNIT_OF_WORK, get_runtime, unit_of_work_for


async def _settings(request: Request) -> FinanceSettings:
    settings: FinanceSettings = request.app.state.settings
    return settings


# Opened with the caller's Principal; committed after the route returns, before the response
# is sent (a 2xx means it is stored), rolled back when it raises (a 4xx writes nothing).
Uow = Annotated[FinanceUnitOfWork, REQUEST_UNIT_OF_WORK]
Settings = Annotated[FinanceSettings, Depends(_settings)]
Runtime = Annotated[FinanceRuntime, Depends(get_runtime)]

# The unit of work of a caller holding the route's role: one dependency that checks the role
# before the transaction opens and before FastAPI reads the body (403 before 400; the handlers
# check the roles again), instead of a role dependency beside `Uow`.
PlatformAdminUow = Annotated[FinanceUnitOfWork, unit_of_work_for(Role.ADMIN,
                                                                 kinds=access.PLATFORM_ONLY)]
CalculatorUow = Annotated[FinanceUnitOfWork, unit_of_work_for(*access.CALCULATOR_ROLES,
                                                              kinds=access.BOTH_KINDS)]
PlannerUow = Annotated[FinanceUnitOfWork, unit_of_work_for(*access.PLANNING_ROLES,
                                                           kinds=access.BOTH_KINDS)]
GemeenteControllerUow = Annotated[FinanceUnitOfWork, unit_of_work_for(*access.CONTROLLERS,
                                                                      kinds=(OrgKind.GEMEENTE,))]
GemeenteDeciderUow = Annotated[FinanceUnitOfWork, unit_of_work_for(*access.DECIDERS,
                                                                   kinds=(OrgKind.GEMEENTE,))]
ProviderManagementUow = Annotated[FinanceUnitOfWork, unit_of_work_for(
    *access.PROVIDER_MANAGEMENT, kinds=(OrgKind.PROVIDER,))]

# A role check without a unit of work (the scenario computes from the body alone).
Planner = Annotated[Principal, Depends(requires(*access.PLANNING_ROLES, kinds=access.BOTH_KINDS))]
