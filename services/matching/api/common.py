"""What every matching router shares: creating once per Idempotency-Key, OpenAPI snippets."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from services.matching.handlers import STAFF, WRITERS
from services.matching.matcher import MatchIndex
from services.matching.settings import MatchingSettings
from shared.auth import Principal, requires
from shared.http.idempotency import CreateFn, create_once
from shared.http.openapi import problem_response
from shared.runtime import Runtime

# Every write route takes its caller through this: the role check runs as a dependency, before
# the body is validated, so a caller without the role gets 403 whatever it sends.
Writer = Annotated[Principal, Depends(requires(*WRITERS, kinds=STAFF))]
Responses = dict[int | str, dict[str, Any]]
CREATED: Responses = {201: {"headers": {"Location": {"description": "URI of the created resource",
                                          "schema": {"type": "string"}}}},
           409: problem_response("Not allowed in the current state")}
STATE: Responses = {409: problem_response("Not allowed in the current state")}
PAGED: Responses = {200: {"headers": {"Link": {"$ref": "#/components/headers/Link"}}}}


def settings_of(request: Request) -> MatchingSettings:
    """The app's settings."""
    settings: MatchingSettings = request.app.state.settings
    return settings


def index_of(request: Request) -> MatchIndex:
    """The process's profile matrix holder."""
    index: MatchIndex = request.app.state.match_index
    return index


async def create(runtime: Runtime, principal: Principal, request: Request, key: str | None,
                 body: BaseModel, make: CreateFn) -> JSONResponse:
    """Run a creating command once per Idempotency-Key."""
    return await create_once(runtime, organisation=principal.idempotency_scope, key=key,
                             path=request.url.path, payload=body.model_dump(mode="json"),
                             create=make)
