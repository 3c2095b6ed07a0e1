"""What every matching router shares: creating once per Idempotency-Key, OpenAPI snippets."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from shared.http.idempotency import CreateFn, create_once
from shared.http.openapi import problem_response
from shared.http.pagination import Pager
from shared.http.schemas import ApiModel
from shared.unit_of_work import UnitOfWork

PageT = TypeVar("PageT", bound=BaseModel)

Responses = dict[int | str, dict[str, Any]]
CREATED: Responses = {201: {"headers": {"Location": {"description": "URI of the created resource",
                                          "schema": {"type": "string"}}}},
           409: problem_response("Not allowed in the current state")}
STATE: Responses = {409: problem_response("Not allowed in the current state")}
PAGED: Responses = {200: {"headers": {"Link": {"$ref": "#/components/headers/Link"}}}}


async def create(uow: UnitOfWork, request: Request, key: str | None, body: BaseModel,
                 make: CreateFn) -> JSONResponse:
    """Run a creating handler once per Idempotency-Key, in the request's unit of work."""
    return await create_once(uow, key=key, request=request,
                             payload=body.model_dump(mode="json"), create=make)


class _Page(ApiModel):
    items: list[Any]
    page: int
    page_size: int
    total: int


def ranked_page(pager: Pager, model: type[PageT], items: Sequence[Any], total: int,
                **ranked_for: Any) -> PageT:
    """`pager.page` for a page that also names what it ranks for (the vacancy or candidate):
    the spine's Pager builds the four page fields only."""
    bare = pager.page(_Page, items, total)  # sets the Link header
    return model.model_validate({**ranked_for, "items": bare.items, "page": bare.page,
                                 "pageSize": bare.page_size, "total": bare.total})
