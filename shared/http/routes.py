"""The route class of every service router: FastAPI's own checks, without its general solver
on the routes that only take the request's unit of work.

FastAPI solves a route's dependencies with a general machine: a tree walk, a dependency cache,
and for a dependency that yields (the unit of work, which commits after the route returns) an
exit stack, a cancel scope and a context manager around it. Measured in intake's registration,
that machine cost about a third of the request's CPU; the write routes' own work is smaller.

A route whose parameters are exactly the unit of work (`shared.http.deps.unit_of_work_for`),
at most one JSON body, path/query/header parameters and the `Request` is served here, in the
order the dependency gives: the caller and its role first (401/403 before any 400), then the
parameters and the body through FastAPI's own validators (the same errors, the same 400 problem),
then the unit of work around the route, committed before the response goes out. Every other
shape of route keeps FastAPI's handler. OpenAPI is built from the same declaration either way.

It leans on FastAPI internals (`request_params_to_args` and the helpers of its loop,
`request_body_to_args`, `serialize_response`, the included-route context); FastAPI is pinned in
pyproject.toml, and the whole suite runs through this class.
"""

from __future__ import annotations

import email.message
import inspect
import json
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, cast

from fastapi import Request, Response, params
from fastapi._compat import Undefined
from fastapi.datastructures import DefaultPlaceholder
from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import (
    _get_multidict_value,
    _get_param_aliases,
    _get_param_model,
    _validate_value_with_model_field,
    request_body_to_args,
    request_params_to_args,
)
from fastapi.exceptions import HTTPException, RequestValidationError
from fastapi.params import Param
from fastapi.routing import (
    APIRoute,
    _effective_route_context_var,
    _extract_endpoint_context,
    serialize_response,
)
from fastapi.utils import is_body_allowed_for_status_code

from shared.auth import BEARER, OrgKind, Role
from shared.http.deps import UNIT_OF_WORK_MARK, authorised_caller
from shared.runtime import Runtime

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


@dataclass(frozen=True)
class _Param:
    """A plain path, query or header parameter, with what FastAPI derives from its declaration
    on every request (its parameter model, its keys) derived once."""

    field: Any  # FastAPI's ModelField
    keys: tuple[str, ...]  # the request keys it may come under, in FastAPI's order
    place: str  # "path", "query" or "header", as the error's loc says


@dataclass(frozen=True)
class _Source:
    """One place of a route's parameters: the Request attribute and the fields it feeds."""

    attribute: str
    fields: tuple[Any, ...]
    plain: tuple[_Param, ...] | None  # None: a parameter model, left to FastAPI's own loop


def _sources(dependant: Dependant) -> tuple[_Source, ...]:
    sources = []
    for attribute, fields in (("path_params", dependant.path_params),
                              ("query_params", dependant.query_params),
                              ("headers", dependant.header_params)):
        if not fields:
            continue  # nor read the request's query or headers for it
        plain = None if any(_get_param_model(f) is not None for f in fields) else tuple(
            _Param(f, tuple(key for _, key in _get_param_aliases(f)), _place(f)) for f in fields)
        sources.append(_Source(attribute, tuple(fields), plain))
    return tuple(sources)


def _place(field: Any) -> str:
    info = field.field_info
    assert isinstance(info, Param)
    return str(info.in_.value)


@dataclass(frozen=True)
class _Plan:
    """What one route needs, read once from its declaration."""

    route: Any  # the APIRoute or its included-route context (same attributes)
    uow_name: str
    roles: tuple[Role, ...]
    kinds: tuple[OrgKind, ...] | None
    embed_body: bool
    strict_content_type: bool
    endpoint_context: Any
    sources: tuple[_Source, ...]


class UnitOfWorkRoute(APIRoute):
    """An APIRoute that serves unit-of-work routes with `_lean_handler` (see the module)."""

    def get_route_handler(self) -> Handler:
        # An included router's route is served through its effective context (prefix,
        # router dependencies), as APIRoute.get_route_handler reads it.
        route: Any = self
        context = _effective_route_context_var.get()
        if context is not None and context.original_route is self:
            route = context
        plan = _plan_for(route)
        return super().get_route_handler() if plan is None else _lean_handler(plan)


def _plan_for(route: Any) -> _Plan | None:
    dependant: Dependant = route.dependant
    call = dependant.call
    if (len(dependant.dependencies) != 1 or dependant.cookie_params
            or len(dependant.body_params) > 1 or not inspect.iscoroutinefunction(call)
            or dependant.response_param_name or dependant.background_tasks_param_name
            or dependant.security_scopes_param_name or dependant.websocket_param_name
            or dependant.http_connection_param_name
            or route.is_sse_stream or route.is_json_stream or route.stream_item_field):
        return None
    uow = dependant.dependencies[0]
    mark = getattr(uow.call, UNIT_OF_WORK_MARK, None)
    if mark is None or uow.name is None:
        return None
    if dependant.body_params and isinstance(dependant.body_params[0].field_info, params.Form):
        return None
    strict = route.strict_content_type
    roles, kinds = mark
    return _Plan(
        route=route, uow_name=uow.name, roles=roles, kinds=kinds,
        embed_body=route._embed_body_fields,  # noqa: SLF001 — see the module docstring
        strict_content_type=strict.value if isinstance(strict, DefaultPlaceholder) else strict,
        endpoint_context=_extract_endpoint_context(call), sources=_sources(dependant))


def _lean_handler(plan: _Plan) -> Handler:
    dependant = plan.route.dependant
    call = dependant.call
    assert call is not None

    async def handle(request: Request) -> Response:
        principal = authorised_caller(request, await BEARER(request), plan.roles, plan.kinds)
        values, errors = _parameters(plan.sources, request)
        body: Any = Undefined
        if dependant.body_params:
            body = await _json_body(request, plan)
            found, body_errors = await request_body_to_args(
                dependant.body_params, body, plan.embed_body)
            values.update(found)
            errors.extend(body_errors)
        if errors:
            raise RequestValidationError(errors, body=None if body is Undefined else body,
                                         endpoint_ctx=plan.endpoint_context)
        if dependant.request_param_name:
            values[dependant.request_param_name] = request
        runtime: Runtime[Any, Any] = request.app.state.runtime
        async with runtime.begin(principal) as uow:
            values[plan.uow_name] = uow
            result = await call(**values)
            # Inside the unit of work, as FastAPI's function-scoped dependency: what the
            # answer reads is read before the commit, and a failed commit is no 201.
            return result if isinstance(result, Response) else await _serialised(plan, result)

    return handle


def _parameters(sources: tuple[_Source, ...], request: Request,
                ) -> tuple[dict[str, Any], list[Any]]:
    """Path, query and header parameters, validated by FastAPI (its errors, its order).

    FastAPI's `request_params_to_args` works out each field's parameter model and keys on every
    request: 5% of a registration's CPU for one absent header. Plain fields take them from the
    plan; a place with a parameter model goes through FastAPI's loop as before."""
    values: dict[str, Any] = {}
    errors: list[Any] = []
    for source in sources:
        received = getattr(request, source.attribute)
        if source.plain is None:
            found, field_errors = request_params_to_args(source.fields, received)
            values.update(found)
            errors.extend(field_errors)
            continue
        found = {}
        for param in source.plain:
            key = next((k for k in param.keys if k in received), param.keys[0])
            value, field_errors = _validate_value_with_model_field(
                field=param.field, value=_get_multidict_value(param.field, received, alias=key),
                values=found, loc=(param.place, key))
            if field_errors:
                errors.extend(field_errors)
            else:
                found[param.field.name] = value
        values.update(found)
    return values, errors


async def _json_body(request: Request, plan: _Plan) -> Any:
    """The body as FastAPI reads it: JSON for a JSON content type, else the raw bytes (which
    then fail validation); a malformed JSON document is a validation error of its own."""
    raw = await request.body()
    if not raw:
        return Undefined
    content_type = request.headers.get("content-type")
    if content_type is None:
        return raw if plan.strict_content_type else _json(raw, plan)
    if content_type == "application/json" or _is_json_type(content_type):
        return _json(raw, plan)
    return raw


def _is_json_type(content_type: str) -> bool:
    message = email.message.Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json"))


def _json(raw: bytes, plan: _Plan) -> Any:
    try:
        return json.loads(raw)
    except json.JSONDecodeError as e:
        raise RequestValidationError(
            [{"type": "json_invalid", "loc": ("body", e.pos), "msg": "JSON decode error",
              "input": {}, "ctx": {"error": e.msg}}],
            body=e.doc, endpoint_ctx=plan.endpoint_context) from e
    except ValueError as e:  # not UTF-8 at all (UnicodeDecodeError), as FastAPI answers it
        raise HTTPException(status_code=400, detail="There was an error parsing the body") from e


async def _serialised(plan: _Plan, result: Any) -> Response:
    """A returned model or value as FastAPI answers it (response model, status code)."""
    route = plan.route
    status = {"status_code": route.status_code} if route.status_code else {}
    dump_json = route.response_field is not None and isinstance(route.response_class,
                                                                DefaultPlaceholder)
    content = await serialize_response(
        field=route.response_field, response_content=result,
        include=route.response_model_include, exclude=route.response_model_exclude,
        by_alias=route.response_model_by_alias,
        exclude_unset=route.response_model_exclude_unset,
        exclude_defaults=route.response_model_exclude_defaults,
        exclude_none=route.response_model_exclude_none, is_coroutine=True,
        endpoint_ctx=plan.endpoint_context, dump_json=dump_json)
    if dump_json:
        response = Response(content=content, media_type="application/json", **status)
    else:
        response_class = route.response_class
        if isinstance(response_class, DefaultPlaceholder):
            response_class = response_class.value
        response = cast(Response, response_class(content, **status))
    if not is_body_allowed_for_status_code(response.status_code):
        response.body = b""
    return response


__all__ = ["UnitOfWorkRoute"]
