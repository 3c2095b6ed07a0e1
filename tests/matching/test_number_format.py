"""The number format (issue 15): hours and demands are JSON numbers echoed as sent (10 stays 10,
10.5 stays 10.5), money a decimal string with two decimals; a string where a number belongs is
a 400. Every creating POST declares Idempotency-Key, the webhook redelivery included."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import eventually
from tests.matching.conftest import (
    LIGHT,
    Starter,
    employer,
    matchable_candidate,
    staff,
    vacancy,
    vacancy_body,
)
from tests.matching.test_outbound_webhooks import deliveries, subscribe
from tests.support.receiver import new_receiver, serving
from tests.support.services import ServiceUnderTest

# 10.5 hours in two tasks: 5.5 (demand: standing 4.5 hours) and 5 (demand: lifting 25 kg).
TASKS = [{"name": "orders picken", "hoursPerWeek": 5.5,
          "demands": [{"code": "standing-max-hours", "value": 4.5}], "skills": []},
         {"name": "pallets laden", "hoursPerWeek": 5,
          "demands": [{"code": "lifting-max-kg", "value": 25}], "skills": []}]


def raw(text: str) -> dict[str, Any]:
    """The JSON as sent on the wire: numbers stay int or float as written (10 is not 10.0)."""
    body: dict[str, Any] = json.loads(text)
    return body


def assert_vacancy_numbers(body: dict[str, Any]) -> None:
    assert body["hoursPerWeek"] == 10.5 and isinstance(body["hoursPerWeek"], float)
    first, second = body["tasks"]
    assert (first["hoursPerWeek"], first["demands"][0]["value"]) == (5.5, 4.5)
    # Whole numbers come back as integers: 5 and 25, never 5.0, "5" or "25".
    assert (second["hoursPerWeek"], second["demands"][0]["value"]) == (5, 25)
    assert isinstance(second["hoursPerWeek"], int)
    assert isinstance(second["demands"][0]["value"], int)
    assert body["hourlyWage"] == "14.71"
    assert body["positions"] == 2 and isinstance(body["positions"], int)


async def test_a_vacancy_round_trip_keeps_the_numbers_as_sent(
        matching: ServiceUnderTest) -> None:
    employer_id = await employer(matching)
    body = {**vacancy_body(employer_id, TASKS), "hoursPerWeek": 10.5, "positions": 2}
    created = await matching.client.post("/v1/vacancies", json=body, headers=staff())
    assert created.status_code == 201, created.text
    assert '"hoursPerWeek":10.5' in created.text and '"value":25' in created.text
    assert_vacancy_numbers(raw(created.text))
    shown = await matching.client.get(f"/v1/vacancies/{created.json()['id']}", headers=staff())
    assert_vacancy_numbers(raw(shown.text))
    listed = await matching.client.get("/v1/vacancies", headers=staff())
    assert_vacancy_numbers(raw(listed.text)["items"][0])


async def test_placement_hours_are_a_number_and_the_wage_two_decimals(
        matching: ServiceUnderTest) -> None:
    candidate = await matchable_candidate(matching)
    employer_id = await employer(matching)
    placed = await matching.client.post("/v1/placements", headers=staff(), json={
        "candidateId": str(candidate), "employerId": employer_id, "form": "regular",
        "hoursPerWeek": 16, "hourlyWage": "15.00", "startDate": "2026-01-05"})
    assert placed.status_code == 201, placed.text
    assert '"hoursPerWeek":16,' in placed.text and '"hourlyWage":"15.00"' in placed.text
    shown = await matching.client.get(f"/v1/placements/{placed.json()['id']}", headers=staff())
    assert '"hoursPerWeek":16,' in shown.text


async def test_carved_hours_and_suggested_carving_are_numbers(
        matching: ServiceUnderTest) -> None:
    # A carved job needs 8 hours (MATCHING_MIN_CARVED_HOURS): 8.5 of the 13.5 are carved.
    tasks = [{**TASKS[0], "hoursPerWeek": 8.5}, TASKS[1]]
    original = await vacancy(matching, tasks, hoursPerWeek=13.5)
    carved = await matching.client.post(f"/v1/vacancies/{original}/carvings",
                                        json={"tasks": ["orders picken"]}, headers=staff())
    assert carved.status_code == 201, carved.text
    assert raw(carved.text)["hoursPerWeek"] == 8.5
    assert raw(carved.text)["tasks"][0]["demands"] == [{"code": "standing-max-hours",
                                                        "value": 4.5}]


@pytest.mark.parametrize(("change", "field"), [
    ({"hoursPerWeek": "10.5"}, "hoursPerWeek"),
    ({"hourlyWage": 14.71}, "hourlyWage"),
    ({"hourlyWage": "14.7"}, "hourlyWage"),
    ({"tasks": [{**TASKS[0], "hoursPerWeek": "5.5"}, TASKS[1]]}, "tasks.0.hoursPerWeek"),
    ({"tasks": [TASKS[0], {**TASKS[1], "demands": [{"code": "lifting-max-kg", "value": "25"}]}]},
     "tasks.1.demands.0.value"),
    ({"positions": "2"}, "positions"),
])
async def test_strings_for_numbers_and_numbers_for_money_are_400(
        matching: ServiceUnderTest, change: dict[str, Any], field: str) -> None:
    employer_id = await employer(matching)
    body = {**vacancy_body(employer_id, TASKS), "hoursPerWeek": 10.5, **change}
    response = await matching.client.post("/v1/vacancies", json=body, headers=staff())
    assert response.status_code == 400, response.text
    assert field in [p["name"] for p in response.json()["invalidParams"]]


async def test_every_creating_post_declares_idempotency_key(matching: ServiceUnderTest) -> None:
    paths = (await matching.client.get("/v1/openapi.json")).json()["paths"]
    posts = {path: item["post"] for path, item in paths.items() if "post" in item}
    # The WSP's inbound webhook is deduplicated by its signed webhook-id instead.
    del posts["/webhooks/wsp/vacancies"]
    assert "/webhook-deliveries/{deliveryId}/redeliveries" in posts
    undeclared = [path for path, operation in posts.items()
                  if "Idempotency-Key" not in [p["name"] for p in operation["parameters"]]]
    assert undeclared == []


async def test_a_redelivery_retried_with_its_key_is_sent_once(start_matching: Starter) -> None:
    matching = await start_matching()
    async with serving(new_receiver()) as receiver:
        subscription = await subscribe(matching, receiver)
        await vacancy(matching, [LIGHT])

        async def delivered() -> bool:
            found = await deliveries(matching, subscription["id"])
            return bool(found and found[0]["status"] == "delivered")

        await eventually(delivered)
        (delivery,) = await deliveries(matching, subscription["id"])
        path = f"/v1/webhook-deliveries/{delivery['id']}/redeliveries"
        headers = {**staff(), "Idempotency-Key": "redeliver-once"}
        first = await matching.client.post(path, headers=headers)
        assert first.status_code == 201, first.text
        await eventually(lambda: len(receiver.received) == 2)
        again = await matching.client.post(path, headers=headers)
        assert (again.status_code, again.headers.get("Idempotent-Replayed")) == (201, "true")
        assert again.json() == first.json()
        (after,) = await deliveries(matching, subscription["id"])
        assert (after["status"], len(after["attempts"])) == ("delivered", 2)
        assert len(receiver.received) == 2  # the replay scheduled nothing
