"""Shape FastAPI's generated OpenAPI into what the NL API Design Rules (ADR) linter asks.

Done once here for every service: 400 problem+json instead of 422, problem responses for the
errors every endpoint can give, an API-Version header on every 2xx/3xx, contact and https
servers ending in the major version, and paths relative to that server URL.
"""

from __future__ import annotations

import copy
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from shared.problems import PROBLEM_MEDIA_TYPE

API_PREFIX = "/v1"
CONTACT = {
    "name": "Participatiewet werkdeel — platform team",
    "url": "https://participatiewet.example.nl/contact",
    "email": "api@participatiewet.example.nl",
}
_ERRORS = {
    "400": "Invalid input (see invalidParams)",
    "401": "No valid bearer token",
    "403": "Role or organisation not allowed",
    "404": "Not found, or not yours to see",
    "500": "Unexpected error (logged)",
}
_PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "invalidParams": {"type": "array", "items": {"$ref": "#/components/schemas/InvalidParam"}},
    },
}
_INVALID_PARAM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["name", "reason"],
    "properties": {"name": {"type": "string"}, "reason": {"type": "string"}},
}


def problem_response(description: str) -> dict[str, Any]:
    """An OpenAPI response object for a problem+json error."""
    return {
        "description": description,
        "headers": {"API-Version": {"$ref": "#/components/headers/API-Version"}},
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def build_openapi(app: FastAPI, *, public_url: str, service: str) -> dict[str, Any]:
    """The ADR-conformant OpenAPI document of a service."""
    document = get_openapi(title=app.title, version=app.version, description=app.description,
                           routes=app.routes, tags=app.openapi_tags,
                           separate_input_output_schemas=app.separate_input_output_schemas)
    document["info"]["contact"] = CONTACT
    document["servers"] = [{"url": f"{public_url.rstrip('/')}/{service}{API_PREFIX}",
                            "description": "Production"}]
    components = document.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas["Problem"] = copy.deepcopy(_PROBLEM_SCHEMA)
    schemas["InvalidParam"] = copy.deepcopy(_INVALID_PARAM_SCHEMA)
    components["headers"] = {
        "API-Version": {"description": "Full semantic version of the API",
                        "schema": {"type": "string", "example": app.version}},
        "Link": {"description": "RFC 8288 pagination links (first, prev, next, last)",
                 "schema": {"type": "string"}},
    }
    document["paths"] = {
        _relative(path): _conform_path(item) for path, item in document.get("paths", {}).items()
    }
    return document


def _relative(path: str) -> str:
    return path.removeprefix(API_PREFIX) or "/"


def _conform_path(item: dict[str, Any]) -> dict[str, Any]:
    for method, operation in item.items():
        if method in {"get", "post", "put", "patch", "delete"}:
            _conform_operation(operation)
    return item


def _conform_operation(operation: dict[str, Any]) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    responses.pop("422", None)
    for status, description in _ERRORS.items():
        responses.setdefault(status, problem_response(description))
    for status, response in responses.items():
        headers = response.setdefault("headers", {})
        headers.setdefault("API-Version", {"$ref": "#/components/headers/API-Version"})
        if status.startswith("4") or status.startswith("5"):
            response["content"] = problem_response("")["content"]
