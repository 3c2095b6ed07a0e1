"""Intake's endpoints on their happy paths, and the 409s of duplicates, keys and state rules."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import httpx
import pytest

from services.intake.store.models import (
    AccessLogEntry,
    Candidate,
    ProgrammeDecision,
    Referral,
    RouteDecision,
)
from shared.store import IdempotencyRecord, OutboxMessage
from tests.intake.conftest import (
    IBN,
    VALID_BSN,
    VUGHT,
    WSD,
    IntakeUnderTest,
    auth,
    candidate_body,
    refer,
    register,
)

WRITTEN = (Candidate, Referral, RouteDecision, ProgrammeDecision, OutboxMessage,
           IdempotencyRecord)
SECURITY_HEADERS = {
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "content-security-policy": "frame-ancestors 'none'",
}


def valid_bsns(count: int) -> list[str]:
    """Distinct BSNs that pass the elfproef, computed here rather than by the code under test."""
    found: list[str] = []
    number = 200_000_000
    while len(found) < count:
        digits = f"{number:09d}"
        total = sum(int(d) * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2, -1), strict=True))
        if total % 11 == 0:
            found.append(digits)
        number += 1
    return found


async def written(intake: IntakeUnderTest) -> dict[str, int]:
    """Row counts of every table a command writes."""
    return {model.__name__: await intake.count(model) for model in WRITTEN}


async def decide(intake: IntakeUnderTest, candidate_id: object, kind: str,
                 body: dict[str, object], headers: dict[str, str] | None = None
                 ) -> httpx.Response:
    """POST a decision (route-decisions, programme-decisions, closures) as a Boxtel caseworker."""
    return await intake.client.post(f"/v1/candidates/{candidate_id}/{kind}", json=body,
                                    headers=headers or auth())


async def fetch(intake: IntakeUnderTest, candidate_id: object) -> dict[str, Any]:
    response = await intake.client.get(f"/v1/candidates/{candidate_id}", headers=auth())
    assert response.status_code == 200, response.text
    return dict(response.json())


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = dict(response.json())
    assert {"type", "title", "status", "detail"} <= body.keys()
    assert body["status"] == status
    return body


PROGRAMME = {"programme": "ontwikkel", "provider": WSD, "startDate": "2026-02-01"}


async def test_register_answers_201_with_location_and_a_camel_case_body(
    intake: IntakeUnderTest,
) -> None:
    response = await intake.client.post("/v1/candidates", json=candidate_body(), headers=auth())
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["location"] == f"/v1/candidates/{body['id']}"
    assert body["postcode"] == "5281AB"
    assert body["status"] == "registered"
    assert (body["bsn"], body["givenName"], body["familyName"]) == (VALID_BSN, "Jan", "Jansen")
    assert (body["birthDate"], body["targetGroup"], body["benefit"]) == (
        "1990-04-01", "bijstand", "bijstand")
    assert body["gemeente"] == "GM0757" and body["referrals"] == []
    assert datetime.fromisoformat(body["registeredAt"]).tzinfo is not None
    assert not any("_" in key for key in body)


async def test_register_answers_with_api_version_and_security_headers(
    intake: IntakeUnderTest,
) -> None:
    response = await intake.client.post("/v1/candidates", json=candidate_body(), headers=auth())
    assert response.status_code == 201
    assert response.headers["api-version"] == "1.0.0"
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value, name
    assert response.headers["strict-transport-security"].startswith("max-age=")


async def test_register_writes_one_candidate_and_one_outbox_row(intake: IntakeUnderTest) -> None:
    await register(intake)
    assert await intake.count(Candidate) == 1
    assert await intake.count(OutboxMessage) == 1


async def test_get_candidate_returns_what_was_registered(intake: IntakeUnderTest) -> None:
    created = await register(intake)
    response = await intake.client.get(f"/v1/candidates/{created['id']}", headers=auth())
    assert response.status_code == 200
    assert response.headers["api-version"] == "1.0.0"
    assert response.json() == created


async def test_list_filters_on_status_target_group_and_route(intake: IntakeUnderTest) -> None:
    first, second, third = valid_bsns(3)
    plain = await register(intake, first)
    referred = await register(intake, second)
    assert (await refer(intake, referred["id"])).status_code == 201
    young = await intake.client.post(
        "/v1/candidates", json=candidate_body(third, targetGroup="jongere"), headers=auth())
    assert young.status_code == 201

    async def ids(query: str) -> set[str]:
        response = await intake.client.get(f"/v1/candidates?{query}", headers=auth())
        assert response.status_code == 200, response.text
        return {item["id"] for item in response.json()["items"]}

    assert await ids("status=registered") == {plain["id"], young.json()["id"]}
    assert await ids("status=referred") == {referred["id"]}
    assert await ids("targetGroup=jongere") == {young.json()["id"]}
    assert await ids("route=refer") == {referred["id"]}
    assert await ids("route=exempt") == set()


async def test_list_pages_in_a_deterministic_newest_first_order(intake: IntakeUnderTest) -> None:
    registered = [(await register(intake, bsn))["id"] for bsn in valid_bsns(5)]
    seen: list[str] = []
    for page in (1, 2, 3):
        response = await intake.client.get(f"/v1/candidates?page={page}&pageSize=2",
                                           headers=auth())
        body = response.json()
        assert (body["page"], body["pageSize"], body["total"]) == (page, 2, 5)
        seen += [item["id"] for item in body["items"]]
    assert seen == list(reversed(registered))
    again = await intake.client.get("/v1/candidates?page=2&pageSize=2", headers=auth())
    assert [item["id"] for item in again.json()["items"]] == seen[2:4]


def links(response: httpx.Response) -> dict[str, str]:
    """rel → URL of an RFC 8288 Link header."""
    return {rel: url for url, rel in re.findall(r'<([^>]*)>;\s*rel="([^"]+)"',
                                                  response.headers["link"])}


@pytest.mark.parametrize(("page", "expected"), [
    (1, {"first": 1, "next": 2, "last": 3}),
    (2, {"first": 1, "prev": 1, "next": 3, "last": 3}),
    (3, {"first": 1, "prev": 2, "last": 3}),
])
async def test_list_link_header_has_first_prev_next_last_as_appropriate(
    intake: IntakeUnderTest, page: int, expected: dict[str, int],
) -> None:
    for bsn in valid_bsns(5):
        await register(intake, bsn)
    response = await intake.client.get(
        f"/v1/candidates?status=registered&page={page}&pageSize=2", headers=auth())
    assert response.status_code == 200
    assert links(response) == {
        rel: f"/v1/candidates?status=registered&page={number}&pageSize=2"
        for rel, number in expected.items()}


@pytest.mark.parametrize("route", ["exempt", "care", "regular-work"])
async def test_route_decision_sets_the_status_and_writes_one_event(
    intake: IntakeUnderTest, route: str,
) -> None:
    candidate_id = (await register(intake))["id"]
    response = await decide(intake, candidate_id, "route-decisions", {"route": route})
    assert response.status_code == 201, response.text
    assert response.json()["route"] == route and response.json()["candidateId"] == candidate_id
    assert response.headers["location"].startswith(f"/v1/candidates/{candidate_id}/")
    after = await fetch(intake, candidate_id)
    assert (after["status"], after["route"]) == (route, route)
    assert await intake.count(RouteDecision) == 1
    assert await intake.count(OutboxMessage) == 2  # registered + route-decided


async def test_refer_makes_the_candidate_referred_with_an_active_referral(
    intake: IntakeUnderTest,
) -> None:
    candidate_id = (await register(intake))["id"]
    response = await refer(intake, candidate_id)
    assert response.status_code == 201, response.text
    after = await fetch(intake, candidate_id)
    assert after["status"] == "referred"
    [referral] = after["referrals"]
    assert (referral["provider"], referral["question"], referral["active"]) == (
        WSD, "werkdiagnose", True)
    assert response.json()["referralId"] == referral["id"]
    assert await intake.count(OutboxMessage) == 1 + 2  # route-decided + candidate-referred


async def test_refer_to_two_providers_gives_two_active_referrals(intake: IntakeUnderTest) -> None:
    candidate_id = (await register(intake))["id"]
    assert (await refer(intake, candidate_id, WSD)).status_code == 201
    assert (await refer(intake, candidate_id, IBN)).status_code == 201
    referrals = (await fetch(intake, candidate_id))["referrals"]
    assert sorted(r["provider"] for r in referrals) == [IBN, WSD]
    assert all(r["active"] for r in referrals)
    assert await intake.count(Referral) == 2


async def test_a_non_refer_route_after_a_referral_ends_it(intake: IntakeUnderTest) -> None:
    candidate_id = (await register(intake))["id"]
    assert (await refer(intake, candidate_id)).status_code == 201
    response = await decide(intake, candidate_id, "route-decisions", {"route": "care"})
    assert response.status_code == 201, response.text
    after = await fetch(intake, candidate_id)
    assert after["status"] == "care"
    assert [r["active"] for r in after["referrals"]] == [False]


async def test_programme_decision_puts_the_candidate_in_the_programme(
    intake: IntakeUnderTest,
) -> None:
    candidate_id = (await register(intake))["id"]
    assert (await refer(intake, candidate_id)).status_code == 201
    response = await decide(intake, candidate_id, "programme-decisions", PROGRAMME)
    assert response.status_code == 201, response.text
    assert response.json()["startDate"] == "2026-02-01"
    after = await fetch(intake, candidate_id)
    assert after["status"] == "in-programme"
    assert after["programme"] == PROGRAMME
    assert await intake.count(ProgrammeDecision) == 1
    assert await intake.count(OutboxMessage) == 1 + 2 + 1


async def test_closure_closes_and_ends_every_referral(intake: IntakeUnderTest) -> None:
    candidate_id = (await register(intake))["id"]
    assert (await refer(intake, candidate_id, WSD)).status_code == 201
    assert (await refer(intake, candidate_id, IBN)).status_code == 201
    response = await decide(intake, candidate_id, "closures", {"reason": "moved"})
    assert response.status_code == 201, response.text
    assert response.json()["reason"] == "moved" and response.json()["closedAt"]
    after = await fetch(intake, candidate_id)
    assert (after["status"], after["closureReason"]) == ("closed", "moved")
    assert [r["active"] for r in after["referrals"]] == [False, False]
    assert await intake.count(OutboxMessage) == 1 + 4 + 1


async def test_access_log_shows_reads_and_filters_on_candidate(intake: IntakeUnderTest) -> None:
    first, second = valid_bsns(2)
    read_id = (await register(intake, first))["id"]
    other_id = (await register(intake, second))["id"]
    await fetch(intake, read_id)
    await fetch(intake, other_id)
    everything = await intake.client.get("/v1/access-logs", headers=auth())
    assert everything.status_code == 200, everything.text
    assert everything.json()["total"] == 2
    assert await intake.count(AccessLogEntry) == 2
    filtered = await intake.client.get(f"/v1/access-logs?candidateId={read_id}", headers=auth())
    [entry] = filtered.json()["items"]
    assert (entry["candidateId"], entry["actorOrg"], entry["action"], entry["ground"]) == (
        read_id, "GM0757", "read", "own-gemeente")


async def test_duplicate_bsn_in_one_gemeente_is_409_pointing_at_the_first(
    intake: IntakeUnderTest,
) -> None:
    first = await register(intake)
    before = await written(intake)
    response = await intake.client.post("/v1/candidates", json=candidate_body(), headers=auth())
    body = assert_problem(response, 409)
    assert body["existingCandidateId"] == first["id"]
    assert VALID_BSN not in response.text
    assert await written(intake) == before


async def test_the_same_bsn_in_another_gemeente_is_registered(intake: IntakeUnderTest) -> None:
    await register(intake)
    elsewhere = await register(intake, headers=auth(VUGHT))
    assert elsewhere["gemeente"] == VUGHT
    assert await intake.count(Candidate) == 2


async def test_idempotency_key_replays_the_first_answer(intake: IntakeUnderTest) -> None:
    headers = {**auth(), "Idempotency-Key": "key-1"}
    first = await intake.client.post("/v1/candidates", json=candidate_body(), headers=headers)
    second = await intake.client.post("/v1/candidates", json=candidate_body(), headers=headers)
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json() == first.json()
    assert second.headers["location"] == first.headers["location"]
    assert second.headers.get("idempotent-replayed") == "true"
    assert "idempotent-replayed" not in first.headers
    assert await intake.count(Candidate) == 1
    assert await intake.count(OutboxMessage) == 1


async def test_idempotency_key_with_another_body_is_409(intake: IntakeUnderTest) -> None:
    headers = {**auth(), "Idempotency-Key": "key-1"}
    first = await intake.client.post("/v1/candidates", json=candidate_body(), headers=headers)
    assert first.status_code == 201
    before = await written(intake)
    other = candidate_body(valid_bsns(1)[0])
    assert_problem(await intake.client.post("/v1/candidates", json=other, headers=headers), 409)
    assert await written(intake) == before


async def test_programme_for_a_candidate_not_referred_is_409(intake: IntakeUnderTest) -> None:
    candidate_id = (await register(intake))["id"]
    before = await written(intake)
    assert_problem(await decide(intake, candidate_id, "programme-decisions", PROGRAMME), 409)
    assert await written(intake) == before
    assert (await fetch(intake, candidate_id))["status"] == "registered"


async def test_route_decision_for_a_closed_candidate_is_409(intake: IntakeUnderTest) -> None:
    candidate_id = (await register(intake))["id"]
    assert (await decide(intake, candidate_id, "closures", {"reason": "work"})).status_code == 201
    before = await written(intake)
    assert_problem(await refer(intake, candidate_id), 409)
    assert await written(intake) == before
    assert (await fetch(intake, candidate_id))["status"] == "closed"


async def test_closing_twice_is_409(intake: IntakeUnderTest) -> None:
    candidate_id = (await register(intake))["id"]
    assert (await decide(intake, candidate_id, "closures", {"reason": "work"})).status_code == 201
    before = await written(intake)
    again = await decide(intake, candidate_id, "closures", {"reason": "moved"})
    assert_problem(again, 409)
    assert await written(intake) == before
    assert (await fetch(intake, candidate_id))["closureReason"] == "work"
