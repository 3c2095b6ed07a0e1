"""Idempotency-Key on every creating POST of diagnose (issue 15): declared in the OpenAPI
document, and a retry with the same key answers the first response without a second write."""

from __future__ import annotations

from typing import Any

import pytest

from services.diagnose.store.models import Advice, WageValueMeasurement, ZrmAssessment
from shared.store import IdempotencyRecord, OutboxMessage
from tests.diagnose.conftest import Chain, consultant, referred_case
from tests.diagnose.steps import COMMANDS, command

CREATING = [name for name, (method, _, _, _) in COMMANDS.items() if method == "POST"]


async def test_every_post_declares_the_idempotency_key(chain: Chain) -> None:
    paths = (await chain.diagnose.client.get("/v1/openapi.json")).json()["paths"]
    posts = {path: ops["post"] for path, ops in paths.items() if "post" in ops}
    assert sorted(posts) == sorted(f"/diagnoses/{{diagnosisId}}/{COMMANDS[name][1]}"
                                   for name in CREATING)
    for path, operation in posts.items():
        headers = [p["name"] for p in operation["parameters"] if p["in"] == "header"]
        assert headers == ["Idempotency-Key"], path


@pytest.mark.parametrize("name", CREATING)
async def test_a_retry_with_the_same_key_answers_the_first_response(chain: Chain,
                                                                    name: str) -> None:
    _, diagnosis_id = await referred_case(chain)
    key = {**consultant(), "Idempotency-Key": f"{name}-once"}
    first = await command(chain, diagnosis_id, name, key)
    assert first.status_code == 201, first.text
    outbox = await chain.diagnose.count(OutboxMessage)
    again = await command(chain, diagnosis_id, name, key)
    assert (again.status_code, again.json()) == (201, first.json())
    assert again.headers["location"] == first.headers["location"]
    assert await chain.diagnose.count(OutboxMessage) == outbox  # no second event
    assert await chain.diagnose.count(IdempotencyRecord) == 1
    rows: dict[str, Any] = {"zrm": ZrmAssessment, "wage-value": WageValueMeasurement,
                            "advice": Advice}
    if name in rows:
        assert await chain.diagnose.count(rows[name]) == 1


async def test_the_same_key_for_another_body_is_a_conflict(chain: Chain) -> None:
    _, diagnosis_id = await referred_case(chain)
    key = {**consultant(), "Idempotency-Key": "advice-1"}
    assert (await command(chain, diagnosis_id, "advice", key)).status_code == 201
    other = {**COMMANDS["advice"][2], "summary": "Een ander advies."}
    response = await command(chain, diagnosis_id, "advice", key, other)
    assert response.status_code == 409, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert await chain.diagnose.count(Advice) == 1
