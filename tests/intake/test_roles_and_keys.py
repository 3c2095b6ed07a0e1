"""Issue 13 regressions: malformed `org` claims, roles checked before the body, keys per user."""

from __future__ import annotations

import time
from typing import Any

import httpx
import jwt
import pytest

from services.intake.store.models import Candidate, ProgrammeDecision, Referral, RouteDecision
from shared.auth import OrgKind, Role
from shared.devtoken import make_token
from shared.settings import ServiceSettings
from shared.store import IdempotencyRecord, OutboxMessage
from tests.intake.conftest import (
    BOXTEL,
    VALID_BSN,
    IntakeUnderTest,
    auth,
    candidate_body,
    provider_auth,
    register,
)
from tests.support.services import bearer

WRITTEN = (Candidate, Referral, RouteDecision, ProgrammeDecision, OutboxMessage,
           IdempotencyRecord)


async def written(intake: IntakeUnderTest) -> dict[str, int]:
    return {model.__name__: await intake.count(model) for model in WRITTEN}


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = dict(response.json())
    assert body["status"] == status
    return body


def signed_gemeente_token(org: object) -> str:
    """A token with the right signature, issuer and audience, and whatever `org` we give it."""
    settings = ServiceSettings()
    now = int(time.time())
    claims = {"sub": "boxtel-km-1", "org": org, "org_kind": "gemeente", "roles": ["caseworker"],
              "gemeenten": ["GM0757"], "iss": settings.auth_issuer,
              "aud": settings.auth_audience, "iat": now, "exp": now + 3600}
    return jwt.encode(claims, settings.auth_dev_secret, algorithm="HS256")


@pytest.mark.parametrize("org", ["Boxtel", "gm0757", ["GM0757"]],
                         ids=["a-name", "lower-case-code", "a-list"])
async def test_a_gemeente_token_whose_org_is_no_cbs_code_is_401_and_writes_nothing(
    intake: IntakeUnderTest, org: object,
) -> None:
    headers = {"Authorization": f"Bearer {signed_gemeente_token(org)}"}
    response = await intake.client.post("/v1/candidates", json=candidate_body(), headers=headers)
    body = assert_problem(response, 401)
    assert "org" in body["detail"]
    assert await written(intake) == {model.__name__: 0 for model in WRITTEN}


async def test_the_same_token_with_a_cbs_code_is_accepted(intake: IntakeUnderTest) -> None:
    """The 401s above are about `org`, not about the hand-made token."""
    headers = {"Authorization": f"Bearer {signed_gemeente_token(BOXTEL)}"}
    response = await intake.client.post("/v1/candidates", json=candidate_body(), headers=headers)
    assert response.status_code == 201, response.text


BOARD = bearer(BOXTEL, OrgKind.GEMEENTE, Role.BOARD)
# A second klantmanager of Boxtel: same organisation and role, another user.
COLLEAGUE = {"Authorization": "Bearer " + make_token(
    org=BOXTEL, kind=OrgKind.GEMEENTE, roles=[Role.CASEWORKER], subject="boxtel-km-2")}


async def test_a_board_token_replaying_a_caseworkers_key_is_403_without_the_bsn(
    intake: IntakeUnderTest,
) -> None:
    key = {"Idempotency-Key": "register-jan"}
    first = await intake.client.post("/v1/candidates", json=candidate_body(),
                                     headers={**auth(), **key})
    assert first.status_code == 201 and first.json()["bsn"] == VALID_BSN
    before = await written(intake)
    replay = await intake.client.post("/v1/candidates", json=candidate_body(),
                                      headers={**BOARD, **key})
    assert_problem(replay, 403)
    assert VALID_BSN not in replay.text and first.json()["id"] not in replay.text
    assert "idempotent-replayed" not in replay.headers
    assert await written(intake) == before


async def test_another_caseworkers_same_key_is_a_new_request_not_a_replay(
    intake: IntakeUnderTest,
) -> None:
    candidate_id = (await register(intake))["id"]
    path, body = f"/v1/candidates/{candidate_id}/route-decisions", {"route": "exempt"}
    key = {"Idempotency-Key": "route-1"}
    first = await intake.client.post(path, json=body, headers={**auth(), **key})
    assert first.status_code == 201, first.text
    second = await intake.client.post(path, json=body, headers={**COLLEAGUE, **key})
    assert second.status_code == 201, second.text
    assert "idempotent-replayed" not in second.headers
    assert second.json()["id"] != first.json()["id"]
    assert await intake.count(RouteDecision) == 2
    assert await intake.count(IdempotencyRecord) == 2
    # The first user's own retry is still a replay of the first answer.
    again = await intake.client.post(path, json=body, headers={**auth(), **key})
    assert again.headers.get("idempotent-replayed") == "true"
    assert again.json() == first.json()


async def test_another_caseworker_reusing_a_registration_key_meets_the_duplicate_bsn(
    intake: IntakeUnderTest,
) -> None:
    key = {"Idempotency-Key": "register-jan"}
    first = await intake.client.post("/v1/candidates", json=candidate_body(),
                                     headers={**auth(), **key})
    assert first.status_code == 201
    second = await intake.client.post("/v1/candidates", json=candidate_body(),
                                      headers={**COLLEAGUE, **key})
    body = assert_problem(second, 409)  # run as a new registration: the BSN is taken
    assert body["existingCandidateId"] == first.json()["id"]
    assert await intake.count(Candidate) == 1


WRITE_PATHS = ["/v1/candidates", "/v1/candidates/{id}/route-decisions",
               "/v1/candidates/{id}/programme-decisions", "/v1/candidates/{id}/closures"]
NO_WRITE_ROLE = {
    "board": BOARD,
    "controller": bearer(BOXTEL, OrgKind.GEMEENTE, Role.CONTROLLER),
    "provider": provider_auth(),
    "wsp": bearer("WSP-NOB", OrgKind.WSP, Role.ACCOUNT_MANAGER, gemeenten=(BOXTEL,)),
    # The platform operator writes national legal parameters, never a resident's record.
    "platform": bearer("PLATFORM", OrgKind.PLATFORM, Role.ADMIN),
}


@pytest.mark.parametrize("path", WRITE_PATHS)
@pytest.mark.parametrize("headers", NO_WRITE_ROLE.values(), ids=NO_WRITE_ROLE.keys())
async def test_a_bad_body_from_a_caller_without_the_role_is_403_not_400(
    intake: IntakeUnderTest, path: str, headers: dict[str, str],
) -> None:
    candidate_id = (await register(intake))["id"]
    before = await written(intake)
    for bad in ({"nickname": "x"}, [1, 2], {"route": "jail", "startDate": "0001-01-01"}):
        response = await intake.client.post(path.format(id=candidate_id), json=bad,
                                            headers=headers)
        assert_problem(response, 403)
        assert "invalidParams" not in response.json()
    # Not even JSON: FastAPI decodes before dependencies, the error handler still asks first.
    response = await intake.client.post(path.format(id=candidate_id), content=b"{not json",
                                        headers={**headers, "content-type": "application/json"})
    assert_problem(response, 403)
    assert await written(intake) == before


async def test_broken_json_from_a_caseworker_is_still_400(intake: IntakeUnderTest) -> None:
    response = await intake.client.post("/v1/candidates", content=b"{not json",
                                        headers={**auth(),
                                                 "content-type": "application/json"})
    assert_problem(response, 400)


async def test_broken_json_without_a_token_is_401(intake: IntakeUnderTest) -> None:
    response = await intake.client.post("/v1/candidates", content=b"{not json",
                                        headers={"content-type": "application/json"})
    assert_problem(response, 401)
