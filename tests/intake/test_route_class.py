"""Intake's unit-of-work routes answer as FastAPI's own handler would (shared.http.routes).

The same requests, good and hostile, go to intake served by `UnitOfWorkRoute` and to intake
with FastAPI's handler on every route; statuses, content types, problem bodies and what was
written must be the same.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute

from services.intake.main import create_app
from services.intake.store.models import Candidate
from shared.auth import OrgKind, Role
from shared.http import routes
from tests.intake.conftest import (
    BOXTEL,
    OTHER_VALID_BSN,
    auth,
    candidate_body,
    provider_auth,
    settings_for,
)
from tests.support.databases import DatabaseFactory
from tests.support.services import running_service

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")
JSON = {"Content-Type": "application/json"}
CONSULTANT = provider_auth(role=Role.CONSULTANT)
NO_ROLE = auth(BOXTEL, OrgKind.GEMEENTE, Role.CONTROLLER)

# (method, path with {id} for the first candidate, body, headers); `body` is bytes as sent.
Request = tuple[str, str, bytes | None, dict[str, str]]


def _json(value: Any) -> bytes:
    return httpx.Request("POST", "/", json=value).content


REQUESTS: list[Request] = [
    ("POST", "/v1/candidates", _json(candidate_body()), {**auth(), **JSON}),
    ("POST", "/v1/candidates", _json(candidate_body()), {**auth(), **JSON}),  # a duplicate
    ("POST", "/v1/candidates", b'{"bsn": ', {**auth(), **JSON}),
    ("POST", "/v1/candidates", b"[]", {**auth(), **JSON}),
    ("POST", "/v1/candidates", b"u\xe0\xa0\x17", {**auth(), **JSON}),  # not UTF-8
    ("POST", "/v1/candidates", b"", {**auth(), **JSON}),
    ("POST", "/v1/candidates", _json(candidate_body()), {**auth(), "Content-Type": "text/plain"}),
    ("POST", "/v1/candidates", _json(candidate_body()), auth()),  # no content type at all
    ("POST", "/v1/candidates", _json(candidate_body(bsn="123456789")), {**auth(), **JSON}),
    ("POST", "/v1/candidates", _json({"bsn": OTHER_VALID_BSN}), {**auth(), **JSON}),
    ("POST", "/v1/candidates", _json(candidate_body(birthDate="1899-12-31")), {**auth(), **JSON}),
    ("POST", "/v1/candidates", _json(candidate_body(OTHER_VALID_BSN)), JSON),  # no caller
    ("POST", "/v1/candidates", _json(candidate_body(OTHER_VALID_BSN)), {**CONSULTANT, **JSON}),
    ("POST", "/v1/candidates", b'{"bsn": ', {**NO_ROLE, **JSON}),  # 403 before 400
    ("POST", "/v1/candidates", _json(candidate_body(OTHER_VALID_BSN)),
     {**auth(), **JSON, "Idempotency-Key": "k" * 256}),
    ("POST", "/v1/candidates", _json(candidate_body(OTHER_VALID_BSN)),
     {**auth(), **JSON, "Idempotency-Key": "first"}),
    ("POST", "/v1/candidates", _json(candidate_body(OTHER_VALID_BSN)),
     {**auth(), **JSON, "Idempotency-Key": "first"}),  # the replay
    ("POST", "/v1/candidates", _json(candidate_body("999996721")),
     {**auth(), **JSON, "Idempotency-Key": "first"}),  # the same key, another body
    ("GET", "/v1/candidates/{id}", None, auth()),
    ("GET", "/v1/candidates/not-a-uuid", None, auth()),
    ("GET", "/v1/candidates/00000000-0000-4000-8000-000000000000", None, auth()),
    ("GET", "/v1/candidates/{id}", None, auth("GM0865")),  # another gemeente's resident
    ("POST", "/v1/candidates/{id}/route-decisions", _json({"route": "teleport"}),
     {**auth(), **JSON}),
    ("POST", "/v1/candidates/{id}/route-decisions",
     _json({"route": "refer", "provider": "WSD", "question": "werkdiagnose"}),
     {**auth(), **JSON}),
    ("POST", "/v1/candidates/{id}/closures", _json({"reason": "moved"}), {**CONSULTANT, **JSON}),
]


def _normalised(response: httpx.Response) -> tuple[int, str, str, str | None]:
    def same(text: str) -> str:
        return MOMENT.sub("<moment>", UUID.sub("<uuid>", text))

    location = response.headers.get("location")
    return (response.status_code, response.headers.get("content-type", ""), same(response.text),
            same(location) if location else None)


async def _answers(databases: DatabaseFactory, nats_url: str, namespace: str,
                   ) -> tuple[list[tuple[int, str, str, str | None]], int]:
    settings = settings_for(await databases.fresh(), nats_url, namespace)
    async with running_service(create_app, settings, "http://intake") as intake:
        answers, first = [], ""
        for method, path, body, headers in REQUESTS:
            response = await intake.client.request(method, path.format(id=first),
                                                   content=body, headers=headers)
            if not first and response.status_code == 201:
                first = response.json()["id"]
            answers.append(_normalised(response))
        return answers, await intake.count(Candidate)


async def test_lean_routes_answer_as_fastapi_does(
    intake_databases: DatabaseFactory, nats_url: str, bus_namespace: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    validated: list[int] = []
    original = routes.request_body_to_args

    async def counted(*args: Any) -> Any:
        validated.append(1)
        return await original(*args)

    monkeypatch.setattr(routes, "request_body_to_args", counted)
    lean, lean_rows = await _answers(intake_databases, nats_url, bus_namespace)
    assert validated, "the lean handler served none of the requests"

    monkeypatch.setattr(routes.UnitOfWorkRoute, "get_route_handler",
                        APIRoute.get_route_handler)
    validated.clear()
    plain, plain_rows = await _answers(intake_databases, nats_url, bus_namespace)
    assert not validated, "FastAPI's handler was not the one serving"

    for request, ours, fastapis in zip(REQUESTS, lean, plain, strict=True):
        assert ours == fastapis, (request[:2], request[2])
    assert lean_rows == plain_rows == 2
    statuses = [status for status, *_ in lean]
    assert statuses[:3] == [201, 409, 400] and 401 in statuses and 403 in statuses


def test_only_unit_of_work_routes_are_served_lean() -> None:
    """A route with another dependency beside the unit of work (a pager) keeps FastAPI's."""
    from services.intake.api.routes import router

    lean = {(sorted(r.methods)[0], r.path) for r in router.routes
            if isinstance(r, APIRoute) and routes._plan_for(r) is not None}  # noqa: SLF001
    assert ("POST", "/candidates") in lean and ("GET", "/candidates/{candidateId}") in lean
    assert ("GET", "/candidates") not in lean  # uow + pager
