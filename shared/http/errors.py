"""Exception handlers: every error leaves as RFC 9457 application/problem+json."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.auth import check_route_requirement
from shared.problems import (
    PROBLEM_MEDIA_TYPE,
    BadRequest,
    Conflict,
    InvalidParam,
    Problem,
    problem_body,
)

# Starlette raises HTTPException(400) for a body it cannot parse at all (a JSON integer past
# Python's 4,300-digit limit, say): that is invalid input like any other, not an "HTTP error".
_HTTP_SLUGS = {400: ("invalid-input", "Invalid input"), 404: ("not-found", "Not found"),
               405: ("method-not-allowed", "Method not allowed"),
               401: ("unauthorized", "Authentication required"), 403: ("forbidden", "Forbidden")}


def problem_response(body: dict[str, Any], headers: dict[str, str] | None = None) -> JSONResponse:
    """A JSONResponse with the problem media type."""
    return JSONResponse(body, status_code=int(body["status"]), media_type=PROBLEM_MEDIA_TYPE,
                        headers=headers)


def invalid_params_from(errors: list[Any]) -> list[InvalidParam]:
    """Pydantic/FastAPI validation errors as `invalidParams` (dotted names, no 'body.')."""
    params: list[InvalidParam] = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ())]
        if location and location[0] in {"body", "query", "path", "header"}:
            where, location = location[0], location[1:]
        else:
            where = "body"
        name = ".".join(location) or where
        params.append(InvalidParam(name=name, reason=str(error.get("msg", "invalid"))))
    return params


async def _on_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    # RFC 6750: a 401 names the scheme the client should use.
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return problem_response(exc.body(request.url.path), headers=headers)


async def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    if any(e.get("type") == "json_invalid" for e in errors):
        try:  # a caller without the role hears 403 (or 401), whatever it sent
            await check_route_requirement(request)
        except Problem as refused:
            return await _on_problem(request, refused)
        problem = BadRequest("the request body is not valid JSON")
    else:
        problem = BadRequest("the request does not meet the schema; see invalidParams",
                             invalid_params=invalid_params_from(errors))
    return problem_response(problem.body(request.url.path))


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    slug, title = _HTTP_SLUGS.get(exc.status_code, ("http-error", "HTTP error"))
    detail = exc.detail if isinstance(exc.detail, str) else title
    body = problem_body(status=exc.status_code, title=title, detail=detail, slug=slug,
                        instance=request.url.path)
    return problem_response(body, headers=dict(exc.headers or {}))


async def _on_integrity(request: Request, exc: Exception) -> JSONResponse:
    """The backstop of uniqueness: a clash found only at commit is a 409, never a 500.

    Handlers that can name what they clashed with use `UnitOfWork.unique`; this answer is for
    the race that slips past them. The transaction is already rolled back: nothing is written.
    """
    assert isinstance(exc, IntegrityError)
    problem = Conflict("the change conflicts with data stored meanwhile; nothing was written, "
                       "read the current state and retry")
    return problem_response(problem.body(request.url.path))


def install_error_handlers(app: FastAPI) -> None:
    """Register the problem+json renderers on an app."""
    app.add_exception_handler(Problem, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(IntegrityError, _on_integrity)
