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

from shared.auth import CurrentPrincipal
from shared.http.idempotency import IDEMPOTENCY_HEADER_DOC
from shared.http.pagination import PageParams, page_params
from shared.runtime import Runtime
from shared.unit_of_work import UnitOfWork


async def get_runtime(request: Request) -> Runtime[Any, Any]:
    """The service's runtime (engine, sessions, bus) from the app state.

    Async on purpose: FastAPI runs a sync dependency in a worker thread.
    """
    runtime: Runtime[Any, Any] = request.app.state.runtime
    return runtime


async def _unit_of_work(principal: CurrentPrincipal,
                        runtime: Annotated[Runtime[Any, Any], Depends(get_runtime)],
                        ) -> AsyncIterator[UnitOfWork]:
    async with runtime.begin(principal) as uow:
        yield uow


# The request's unit of work, as a dependency; a service annotates it with its own class:
#     Uow = Annotated[IntakeUnitOfWork, REQUEST_UNIT_OF_WORK]
REQUEST_UNIT_OF_WORK: Any = Depends(_unit_of_work, scope="function")


RuntimeDep = Annotated[Runtime[Any, Any], Depends(get_runtime)]
PageDep = Annotated[PageParams, Depends(page_params)]
IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", min_length=1, max_length=255,
           description=IDEMPOTENCY_HEADER_DOC),
]
