"""Idempotency-Key on every creating POST of intake (issue 15): declared in the OpenAPI
document, and a retry with the same key answers the first response without a second write."""

from __future__ import annotations

from typing import Any

import pytest

from shared.store import IdempotencyRecord, OutboxMessage
from tests.intake.conftest import WSD, IntakeUnderTest, auth, refer, register

CREATING = ["/candidates", "/candidates/{candidateId}/route-decisions",
            "/candidates/{candidateId}/programme-decisions", "/candidates/{candidateId}/closures",
            "/candidates/{candidateId}/sheltered-work-indications"]
# (path under the candidate, body) of each creating POST on a referred candidate.
ON_A_CANDIDATE: dict[str, dict[str, Any]] = {
    "route-decisions": {"route": "refer", "provider": "IBN", "question": "quickscan"},
    "programme-decisions": {"programme": "werk", "provider": WSD, "startDate": "2026-02-01",
                            "migrated": True},
    "closures": {"reason": "moved"},
    "sheltered-work-indications": {"uwvAdviceDate": "2026-01-05", "uwvOutcome": "positive",
                                   "decision": "granted", "decidedOn": "2026-01-20"},
}


async def test_every_post_declares_the_idempotency_key(intake: IntakeUnderTest) -> None:
    paths = (await intake.client.get("/v1/openapi.json")).json()["paths"]
    posts = {path: ops["post"] for path, ops in paths.items() if "post" in ops}
    assert sorted(posts) == sorted(CREATING)
    for path, operation in posts.items():
        headers = [p["name"] for p in operation["parameters"] if p["in"] == "header"]
        assert headers == ["Idempotency-Key"], path


@pytest.mark.parametrize("path", sorted(ON_A_CANDIDATE))
async def test_a_retry_with_the_same_key_answers_the_first_response(intake: IntakeUnderTest,
                                                                    path: str) -> None:
    candidate_id = (await register(intake))["id"]
    assert (await refer(intake, candidate_id)).status_code == 201
    url, key = f"/v1/candidates/{candidate_id}/{path}", {**auth(), "Idempotency-Key": path}
    first = await intake.client.post(url, json=ON_A_CANDIDATE[path], headers=key)
    assert first.status_code == 201, first.text
    outbox = await intake.count(OutboxMessage)
    again = await intake.client.post(url, json=ON_A_CANDIDATE[path], headers=key)
    assert (again.status_code, again.json()) == (201, first.json())
    assert again.headers.get("idempotent-replayed") == "true"
    assert await intake.count(OutboxMessage) == outbox  # no second event
    assert await intake.count(IdempotencyRecord) == 1
