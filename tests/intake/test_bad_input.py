"""Bad requests: each is a 4xx problem+json, writes nothing and never echoes the BSN."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import jwt
import pytest

from services.intake.store.models import (
    Candidate,
    ProgrammeDecision,
    Referral,
    RouteDecision,
)
from shared.auth import OrgKind, Role
from shared.devtoken import make_token
from shared.dutch_time import dutch_today
from shared.settings import ServiceSettings
from shared.store import IdempotencyRecord, OutboxMessage
from tests.intake.conftest import (
    OTHER_VALID_BSN,
    VALID_BSN,
    IntakeUnderTest,
    auth,
    candidate_body,
    refer,
    register,
)

WRITTEN = (Candidate, Referral, RouteDecision, ProgrammeDecision, OutboxMessage,
           IdempotencyRecord)
PATHS = {"register": "/v1/candidates", "route": "/v1/candidates/{id}/route-decisions",
         "programme": "/v1/candidates/{id}/programme-decisions",
         "closure": "/v1/candidates/{id}/closures"}
VALID: dict[str, dict[str, Any]] = {"register": candidate_body(), "route": {"route": "exempt"},
         "programme": {"programme": "ontwikkel", "provider": "WSD", "startDate": "2026-02-01",
         "migrated": True},
         "closure": {"reason": "work"}}
TODAY = dutch_today()


@dataclass(frozen=True)
class Bad:
    """One bad request: its body (or raw bytes), and the invalid params it should name."""

    target: str
    body: Any = None
    raw: bytes | None = None
    content_type: str = "application/json"
    status: frozenset[int] = frozenset({400})
    invalid: frozenset[str] | None = None

    def content(self) -> bytes:
        return self.raw if self.raw is not None else json.dumps(self.body).encode()


def with_(target: str, **changes: object) -> dict[str, Any]:
    return {**VALID[target], **changes}


def without(target: str, name: str) -> dict[str, Any]:
    return {k: v for k, v in VALID[target].items() if k != name}


def bad_field(target: str, name: str, value: object) -> Bad:
    return Bad(target, with_(target, **{name: value}), invalid=frozenset({name}))


def bad_cases() -> list[Any]:
    cases: list[Any] = []
    for target in PATHS:
        valid = json.dumps(VALID[target]).encode()
        cases += [
            pytest.param(Bad(target, raw=valid[:-5]), id=f"{target}-malformed-json"),
            pytest.param(Bad(target, with_(target, nickname="x"),
                             invalid=frozenset({"nickname"})), id=f"{target}-unknown-field"),
            pytest.param(Bad(target, raw=valid, content_type="text/plain",
                             status=frozenset({400, 415})), id=f"{target}-text-plain"),
            pytest.param(Bad(target, with_(target, padding="x" * 17 * 1024),
                             status=frozenset({413})), id=f"{target}-oversize"),
            pytest.param(Bad(target, [VALID[target]]), id=f"{target}-array-body"),
        ]
    ten_years_ago = (TODAY - timedelta(days=3653)).isoformat()
    singles = {
        "register-bsn-number": bad_field("register", "bsn", int(VALID_BSN)),
        "register-bsn-elfproef": bad_field("register", "bsn", "999998620"),
        "register-bsn-eight-digits": bad_field("register", "bsn", "12345678"),
        "register-bsn-letters": bad_field("register", "bsn", "abcdefghi"),
        "register-birth-date-number": bad_field("register", "birthDate", 12),
        "register-birth-date-future": bad_field(
            "register", "birthDate", (TODAY + timedelta(days=30)).isoformat()),
        "register-birth-date-ten-years-old": bad_field("register", "birthDate", ten_years_ago),
        "register-birth-date-year-1": bad_field("register", "birthDate", "0001-01-01"),
        "register-birth-date-1899": bad_field("register", "birthDate", "1899-12-31"),
        "register-target-group": bad_field("register", "targetGroup", "bijstnd"),
        "register-benefit": bad_field("register", "benefit", "loon"),
        "register-postcode-leading-zero": bad_field("register", "postcode", "0123 AB"),
        "register-postcode-digits": bad_field("register", "postcode", "12345"),
        "register-name-empty": bad_field("register", "givenName", ""),
        # PostgreSQL text cannot hold NUL: unless the schema refuses it, the insert is a 500.
        "register-name-nul": bad_field("register", "givenName", "Ja\u0000n"),
        "register-missing-family-name": Bad("register", without("register", "familyName"),
                                            invalid=frozenset({"familyName"})),
        "route-unknown": bad_field("route", "route", "jail"),
        "route-number": bad_field("route", "route", 1),
        "route-missing": Bad("route", {}, invalid=frozenset({"route"})),
        "route-refer-bare": Bad("route", {"route": "refer"},
                                invalid=frozenset({"provider", "question"})),
        "route-refer-no-question": Bad("route", {"route": "refer", "provider": "WSD"},
                                       invalid=frozenset({"question"})),
        "route-exempt-with-provider": Bad("route", {"route": "exempt", "provider": "WSD"},
                                          invalid=frozenset({"provider"})),
        "route-refer-bad-question": Bad(
            "route", {"route": "refer", "provider": "WSD", "question": "vibes"},
            invalid=frozenset({"question"})),
        "programme-unknown": bad_field("programme", "programme", "x"),
        "programme-start-not-a-date": bad_field("programme", "startDate", "soon"),
        "programme-start-year-1": bad_field("programme", "startDate", "0001-01-01"),
        "programme-start-year-9999": bad_field("programme", "startDate", "9999-12-31"),
        "programme-start-1999": bad_field("programme", "startDate", "1999-12-31"),
        "programme-unknown-provider": bad_field("programme", "provider", "ACME"),
        "programme-provider-lower-case": bad_field("programme", "provider", "wsd"),
        "route-refer-unknown-provider": Bad(
            "route", {"route": "refer", "provider": "WSD-X", "question": "werkdiagnose"},
            invalid=frozenset({"provider"})),
        "programme-missing-start": Bad("programme", without("programme", "startDate"),
                                       invalid=frozenset({"startDate"})),
        "programme-missing-provider": Bad("programme", without("programme", "provider"),
                                          invalid=frozenset({"provider"})),
        "closure-unknown-reason": bad_field("closure", "reason", "y"),
        "closure-missing-reason": Bad("closure", {}, invalid=frozenset({"reason"})),
    }
    return cases + [pytest.param(case, id=name) for name, case in singles.items()]


async def written(intake: IntakeUnderTest) -> dict[str, int]:
    return {model.__name__: await intake.count(model) for model in WRITTEN}


def assert_problem(response: httpx.Response, statuses: frozenset[int]) -> dict[str, Any]:
    assert response.status_code in statuses, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = dict(response.json())
    assert {"type", "title", "status", "detail"} <= body.keys(), body
    assert body["status"] == response.status_code
    assert response.headers["api-version"] == "1.0.0"
    return body


@pytest.mark.parametrize("case", bad_cases())
async def test_bad_body_is_a_problem_and_writes_nothing(intake: IntakeUnderTest, case: Bad) -> None:
    candidate_id = (await register(intake, OTHER_VALID_BSN))["id"]
    assert (await refer(intake, candidate_id)).status_code == 201
    before = await written(intake)
    response = await intake.client.post(
        PATHS[case.target].format(id=candidate_id), content=case.content(),
        headers={**auth(), "Content-Type": case.content_type})
    body = assert_problem(response, case.status)
    if case.invalid is not None:
        assert response.status_code == 400
        params = body["invalidParams"]
        assert all(param.keys() >= {"name", "reason"} for param in params), params
        assert {param["name"] for param in params} == case.invalid
    assert await written(intake) == before
    sent = case.content().decode()
    for bsn in (VALID_BSN, "999998620", "12345678", "abcdefghi"):
        if bsn in sent:
            assert bsn not in response.text


@pytest.mark.parametrize("target", ["route", "programme"])
async def test_an_unknown_provider_is_400_naming_the_known_codes(
    intake: IntakeUnderTest, target: str,
) -> None:
    candidate_id = (await register(intake, OTHER_VALID_BSN))["id"]
    before = await written(intake)
    body = {"route": "refer", "provider": "ACME", "question": "werkdiagnose"} \
        if target == "route" else with_("programme", provider="ACME")
    response = await intake.client.post(PATHS[target].format(id=candidate_id), json=body,
                                        headers=auth())
    [param] = assert_problem(response, frozenset({400}))["invalidParams"]
    assert param["name"] == "provider"
    for known in ("WSD", "IBN", "WESTROM", "WERKBEDRIJF-ZOETERMEER", "ABILITY"):
        assert known in param["reason"], param
    assert "WSP-NOB" not in param["reason"]  # a WSP is no uitvoerder
    assert await written(intake) == before


@pytest.mark.parametrize("query", ["page=0", "pageSize=0", "pageSize=101", "page=x",
                                   "status=lost", "targetGroup=bijstnd", "route=jail"])
async def test_bad_list_query_is_400_with_invalid_params(
    intake: IntakeUnderTest, query: str,
) -> None:
    response = await intake.client.get(f"/v1/candidates?{query}", headers=auth())
    body = assert_problem(response, frozenset({400}))
    assert [p["name"] for p in body["invalidParams"]] == [query.split("=")[0]]


async def test_unknown_path_is_404_problem(intake: IntakeUnderTest) -> None:
    response = await intake.client.get("/v1/kandidaten", headers=auth())
    assert_problem(response, frozenset({404}))


@pytest.mark.parametrize("path", ["/v1/candidates/", "/v1/access-logs/"])
async def test_trailing_slash_is_404_not_a_redirect(intake: IntakeUnderTest, path: str) -> None:
    response = await intake.client.get(path, headers=auth())
    assert_problem(response, frozenset({404}))
    assert "location" not in response.headers


async def test_trailing_slash_on_a_post_is_404_and_writes_nothing(
    intake: IntakeUnderTest,
) -> None:
    response = await intake.client.post("/v1/candidates/", json=candidate_body(), headers=auth())
    assert_problem(response, frozenset({404}))
    assert await intake.count(Candidate) == 0


async def test_wrong_method_is_405_problem(intake: IntakeUnderTest) -> None:
    candidate_id = (await register(intake))["id"]
    response = await intake.client.delete(f"/v1/candidates/{candidate_id}", headers=auth())
    assert_problem(response, frozenset({405}))
    assert "GET" in response.headers["allow"]
    assert await intake.count(Candidate) == 1


async def test_candidate_id_that_is_not_a_uuid_is_400(intake: IntakeUnderTest) -> None:
    response = await intake.client.get("/v1/candidates/12345", headers=auth())
    body = assert_problem(response, frozenset({400}))
    assert [p["name"] for p in body["invalidParams"]] == ["candidateId"]


def other_secret_token() -> str:
    settings = ServiceSettings()
    now = int(time.time())
    claims = {"sub": "x", "org": "GM0757", "org_kind": "gemeente", "roles": ["caseworker"],
              "gemeenten": ["GM0757"], "iss": settings.auth_issuer,
              "aud": settings.auth_audience, "iat": now, "exp": now + 86_400}
    return jwt.encode(claims, "another-secret-of-sufficient-length-0123456789", algorithm="HS256")


def unauthenticated_headers() -> list[Any]:
    expired = make_token(org="GM0757", kind=OrgKind.GEMEENTE, roles=[Role.CASEWORKER],
                         ttl_s=-10)
    return [
        pytest.param({}, id="no-token"),
        pytest.param({"Authorization": "Bearer not.a.token"}, id="garbage"),
        pytest.param({"Authorization": f"Basic {expired}"}, id="wrong-scheme"),
        pytest.param({"Authorization": f"Bearer {expired}"}, id="expired"),
        pytest.param({"Authorization": f"Bearer {other_secret_token()}"}, id="other-secret"),
    ]


@pytest.mark.parametrize("headers", unauthenticated_headers())
async def test_read_without_a_valid_token_is_401(
    intake: IntakeUnderTest, headers: dict[str, str],
) -> None:
    candidate_id = (await register(intake))["id"]
    response = await intake.client.get(f"/v1/candidates/{candidate_id}", headers=headers)
    assert_problem(response, frozenset({401}))
    assert VALID_BSN not in response.text


@pytest.mark.parametrize("headers", unauthenticated_headers())
async def test_register_without_a_valid_token_is_401_and_writes_nothing(
    intake: IntakeUnderTest, headers: dict[str, str],
) -> None:
    response = await intake.client.post("/v1/candidates", json=candidate_body(), headers=headers)
    assert_problem(response, frozenset({401}))
    assert await written(intake) == {model.__name__: 0 for model in WRITTEN}
