"""FastAPI dependencies every service's routers use.

The unit of work of a request is a dependency: it opens the transaction with the caller's
Principal, hands the route the service's `UnitOfWork`, and commits after the route returns
(rolls back when it raises), before the response is sent, so a 201 means committed. It runs
at function scope for that reason: a request-scoped dependency would commit after sending.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials

from shared.auth import BearerCredentials, OrgKind, Principal, Role, principal_of
from shared.http.idempotency import IDEMPOTENCY_HEADER_DOC
from shared.http.pagination import PageParams, page_params
from shared.runtime import Runtime
from shared.unit_of_work import UnitOfWork

# Set on the unit of work's dependency: the (roles, kinds) a caller must hold.
UNIT_OF_WORK_MARK = "opens_unit_of_work"


async def get_runtime(request: Request) -> Runtime[Any, Any]:
    """The service's runtime (engine, sessions, bus) from the app state.

    Async on purpose: FastAPI runs a sync dependency in a worker thread.
    """
    runtime: Runtime[Any, Any] = request.app.state.runtime
    return runtime


def authorised_caller(request: Request, credentials: HTTPAuthorizationCredentials | None,
                      roles: tuple[Role, ...], kinds: tuple[OrgKind, ...] | None) -> Principal:
    """The caller the bearer credentials name, once it holds one of `roles` (none: any
    caller); 401/403 as a Problem. The unit of work's dependency and UnitOfWorkRoute both ask."""
    principal = principal_of(request, credentials)
    if roles:
        principal.require(*roles, kinds=kinds)
    return principal


def unit_of_work_for(*roles: Role, kinds: tuple[OrgKind, ...] | None = None) -> Any:
    """The request's unit of work, for a caller holding one of `roles` (none: any caller).

    The role is checked before the transaction opens and before FastAPI reads the body, so a
    caller without it gets 403 whatever it sends (`check_route_requirement` reads the same
    requirement when a body is refused first). One dependency instead of a role dependency
    beside the unit of work: FastAPI's cost per dependency shows on hot routes.
    """

    async def _unit_of_work(request: Request, credentials: BearerCredentials,
                            ) -> AsyncIterator[UnitOfWork]:
        # The caller straight from the bearer scheme, not through `current_principal`: one
        # level of FastAPI's dependency solving less on every request.
        principal = authorised_caller(request, credentials, roles, kinds)
        runtime: Runtime[Any, Any] = request.app.state.runtime
        async with runtime.begin(principal) as uow:
            yield uow

    if roles:
        _unit_of_work.requirement = (roles, kinds)  # type: ignore[attr-defined]
    # Read by shared.http.routes.UnitOfWorkRoute, which serves such a route without FastAPI's
    # general solver and must make the same checks.
    setattr(_unit_of_work, UNIT_OF_WORK_MARK, (roles, kinds))
    return Depends(_unit_of_work, scope="function")


# The request's unit of work, as a dependency; a service annotates it with its own class:
#     Uow = Annotated[IntakeUnitOfWork, REQUEST_UNIT_OF_WORK]
REQUEST_UNIT_OF_WORK: Any = unit_of_work_for()


RuntimeDep = Annotated[Runtime[Any, Any], Depends(get_runtime)]
PageDep = Annotated[PageParams, Depends(page_params)]
IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", min_length=1, max_length=255,
           description=IDEMPOTENCY_HEADER_DOC),
]
