"""Intake's endpoints on their happy paths, and the 409s of duplicates, keys and state rules."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from datetime import datetime
from itertools import islice
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
    BOXTEL,
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
ELFPROEF = (9, 8, 7, 6, 5, 4, 3, 2, -1)
SECURITY_HEADERS = {"cache-control": "no-store", "x-content-type-options": "nosniff",
                    "x-frame-options": "DENY", "content-security-policy": "frame-ancestors 'none'"}


def valid_bsns(count: int) -> list[str]:
    """Distinct BSNs that pass the elfproef, computed here rather than by the code under test."""
    numbers = (f"{n:09d}" for n in range(200_000_000, 300_000_000))
    passing = (n for n in numbers
               if sum(int(d) * w for d, w in zip(n, ELFPROEF, strict=True)) % 11 == 0)
    return list(islice(passing, count))


async def written(intake: IntakeUnderTest) -> dict[str, int]:
    """Row counts of every table a command writes."""
    return {model.__name__: await intake.count(model) for model in WRITTEN}


async def decide(intake: IntakeUnderTest, candidate_id: object, kind: str,
                 body: Mapping[str, object], headers: dict[str, str] | None = None
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


PROGRAMME = {"programme": "ontwikkel", "provider": WSD, "startDate": "2026-02-01",
             "migrated": True}  # before the registration: history, as the API requires


async def test_register_answers_201_with_location_camel_case_and_adr_headers(
    intake: IntakeUnderTest,
) -> None:
    response = await intake.client.post("/v1/candidates", json=candidate_body(), headers=auth())
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["location"] == f"/v1/candidates/{body['id']}"
    assert (body["postcode"], body["status"], body["gemeente"]) == ("5281AB", "registered", BOXTEL)
    assert (body["bsn"], body["givenName"], body["familyName"]) == (VALID_BSN, "Jan", "Jansen")
    assert (body["birthDate"], body["targetGroup"], body["benefit"], body["referrals"]) == (
        "1990-04-01", "bijstand", "bijstand", [])
    assert datetime.fromisoformat(body["registeredAt"]).tzinfo is not None
    assert not any("_" in key for key in body)
    assert await intake.count(Candidate) == 1
    assert await intake.count(OutboxMessage) == 1
    assert response.headers["api-version"] == "1.0.0"
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value, name
    assert response.headers["strict-transport-security"].startswith("max-age=")


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


def links(response: httpx.Response) -> dict[str, str]:
    """rel → URL of an RFC 8288 Link header."""
    return {rel: url for url, rel in re.findall(r'<([^>]*)>;\s*rel="([^"]+)"',
                                                  response.headers["link"])}


async def test_list_pages_in_a_deterministic_order_with_link_headers(
    intake: IntakeUnderTest,
) -> None:
    registered = [(await register(intake, bsn))["id"] for bsn in valid_bsns(5)]
    expected_links = [{"first": 1, "next": 2, "last": 3},
                      {"first": 1, "prev": 1, "next": 3, "last": 3},
                      {"first": 1, "prev": 2, "last": 3}]
    seen: list[str] = []
    for page, expected in enumerate(expected_links, start=1):
        response = await intake.client.get(
            f"/v1/candidates?status=registered&page={page}&pageSize=2", headers=auth())
        body = response.json()
        assert (body["page"], body["pageSize"], body["total"]) == (page, 2, 5)
        seen += [item["id"] for item in body["items"]]
        assert links(response) == {
            rel: f"/v1/candidates?status=registered&page={number}&pageSize=2"
            for rel, number in expected.items()}
    assert seen == list(reversed(registered))  # newest first, every candidate exactly once
    again = await intake.client.get("/v1/candidates?page=2&pageSize=2", headers=auth())
    assert [item["id"] for item in again.json()["items"]] == seen[2:4]


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


CLOSE = ("closures", {"reason": "work"})
REFER = ("route-decisions", {"route": "refer", "provider": WSD, "question": "werkdiagnose"})


@pytest.mark.parametrize(("before_steps", "attempt"), [
    pytest.param([], ("programme-decisions", PROGRAMME), id="programme-when-only-registered"),
    pytest.param([CLOSE], REFER, id="route-when-closed"),
    pytest.param([CLOSE], ("closures", {"reason": "moved"}), id="closing-twice"),
])
async def test_a_command_the_status_does_not_allow_is_409_and_changes_nothing(
    intake: IntakeUnderTest, before_steps: list[tuple[str, dict[str, object]]],
    attempt: tuple[str, dict[str, object]],
) -> None:
    candidate_id = (await register(intake))["id"]
    for kind, body in before_steps:
        assert (await decide(intake, candidate_id, kind, body)).status_code == 201
    candidate, rows = await fetch(intake, candidate_id), await written(intake)
    assert_problem(await decide(intake, candidate_id, *attempt), 409)
    assert await written(intake) == rows
    assert await fetch(intake, candidate_id) == candidate


async def test_concurrent_closures_close_once(intake: IntakeUnderTest) -> None:
    """Two caseworkers close at once: one wins, the other gets 409, one event is published."""
    candidate_id = (await register(intake))["id"]
    responses = await asyncio.gather(*[decide(intake, candidate_id, *CLOSE) for _ in range(2)])
    assert sorted(r.status_code for r in responses) == [201, 409]
    assert await intake.count(OutboxMessage) == 1 + 1


async def test_concurrent_closure_and_referral_leave_no_active_referral_when_closed(
    intake: IntakeUnderTest,
) -> None:
    """Whichever runs first, the candidate ends closed with no uitvoerder still referred."""
    candidate_id = (await register(intake))["id"]
    await asyncio.gather(decide(intake, candidate_id, *CLOSE), decide(intake, candidate_id, *REFER))
    after = await fetch(intake, candidate_id)
    assert after["status"] == "closed"
    assert not any(r["active"] for r in after["referrals"])


async def test_concurrent_retries_with_one_idempotency_key_all_get_the_first_answer(
    intake: IntakeUnderTest,
) -> None:
    """A retry racing its original must replay it, not fail on the state the original made."""
    for attempt, bsn in enumerate(valid_bsns(5)):
        candidate_id = (await register(intake, bsn))["id"]
        headers = {**auth(), "Idempotency-Key": f"close-{attempt}"}
        responses = await asyncio.gather(
            *[decide(intake, candidate_id, *CLOSE, headers) for _ in range(4)])
        assert [r.status_code for r in responses] == [201] * 4, [r.text for r in responses]
        assert all(r.json() == responses[0].json() for r in responses)
