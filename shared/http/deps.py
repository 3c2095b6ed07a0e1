"""FastAPI dependencies every service's routers use."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from shared.http.idempotency import IDEMPOTENCY_HEADER_DOC
from shared.http.pagination import PageParams, page_params
from shared.runtime import Runtime


async def get_runtime(request: Request) -> Runtime:
    """The service's runtime (engine, sessions, bus) from the app state.

    Async on purpose: FastAPI runs a sync dependency in a worker thread.
    """
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
PageDep = Annotated[PageParams, Depends(page_params)]
IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", min_length=1, max_length=255,
           description=IDEMPOTENCY_HEADER_DOC),
]
