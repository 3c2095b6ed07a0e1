"""Who may see and decide what: gemeenten their own, uitvoerders only what is referred to them."""

from __future__ import annotations

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
from shared.auth import OrgKind, Role
from shared.store import IdempotencyRecord, OutboxMessage
from tests.intake.conftest import (
    BOXTEL,
    IBN,
    OTHER_VALID_BSN,
    VALID_BSN,
    VUGHT,
    WSD,
    IntakeUnderTest,
    auth,
    candidate_body,
    provider_auth,
    refer,
    register,
)

WRITTEN = (Candidate, Referral, RouteDecision, ProgrammeDecision, OutboxMessage,
           IdempotencyRecord)
VUGHT_CASEWORKER = auth(VUGHT)
PROGRAMME = {"programme": "ontwikkel", "provider": WSD, "startDate": "2026-02-01",
             "migrated": True}  # before the registration: history, as the API requires
DECISIONS = [
    pytest.param("route-decisions", {"route": "exempt"}, id="route"),
    pytest.param("programme-decisions", PROGRAMME, id="programme"),
    pytest.param("closures", {"reason": "work"}, id="closure"),
]


async def written(intake: IntakeUnderTest) -> dict[str, int]:
    return {model.__name__: await intake.count(model) for model in WRITTEN}


async def referred_candidate(intake: IntakeUnderTest, provider: str = WSD,
                             bsn: str = VALID_BSN) -> str:
    """A Boxtel candidate referred to `provider`; returns its id."""
    candidate_id = str((await register(intake, bsn))["id"])
    assert (await refer(intake, candidate_id, provider)).status_code == 201
    return candidate_id


async def read(intake: IntakeUnderTest, candidate_id: str,
               headers: dict[str, str]) -> httpx.Response:
    return await intake.client.get(f"/v1/candidates/{candidate_id}", headers=headers)


async def listed(intake: IntakeUnderTest, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = await intake.client.get("/v1/candidates", headers=headers)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def boxtel_log(intake: IntakeUnderTest, candidate_id: str,
                     headers: dict[str, str] | None = None) -> list[dict[str, Any]]:
    response = await intake.client.get(f"/v1/access-logs?candidateId={candidate_id}",
                                       headers=headers or auth())
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def assert_problem(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == status


async def test_another_gemeente_cannot_read_a_candidate(intake: IntakeUnderTest) -> None:
    candidate_id = (await register(intake))["id"]
    response = await intake.client.get(f"/v1/candidates/{candidate_id}",
                                       headers=VUGHT_CASEWORKER)
    assert_problem(response, 404)
    assert VALID_BSN not in response.text


async def test_another_gemeente_does_not_list_the_candidate(intake: IntakeUnderTest) -> None:
    await register(intake)
    own = await register(intake, OTHER_VALID_BSN, headers=VUGHT_CASEWORKER)
    assert [item["id"] for item in await listed(intake, VUGHT_CASEWORKER)] == [own["id"]]


@pytest.mark.parametrize(("kind", "body"), DECISIONS)
async def test_another_gemeente_cannot_decide(
    intake: IntakeUnderTest, kind: str, body: dict[str, object],
) -> None:
    candidate_id = await referred_candidate(intake)
    before = await written(intake)
    response = await intake.client.post(f"/v1/candidates/{candidate_id}/{kind}", json=body,
                                        headers=VUGHT_CASEWORKER)
    assert_problem(response, 404)
    assert await written(intake) == before


async def test_another_gemeente_sees_none_of_the_access_log(intake: IntakeUnderTest) -> None:
    candidate_id = await referred_candidate(intake)
    assert (await read(intake, candidate_id, provider_auth())).status_code == 200
    assert (await read(intake, candidate_id, auth())).status_code == 200
    assert len(await boxtel_log(intake, candidate_id)) == 2
    assert await boxtel_log(intake, candidate_id, VUGHT_CASEWORKER) == []
    everything = await intake.client.get("/v1/access-logs", headers=VUGHT_CASEWORKER)
    assert everything.json()["total"] == 0


async def test_provider_cannot_read_a_candidate_not_referred(intake: IntakeUnderTest) -> None:
    candidate_id = (await register(intake))["id"]
    assert_problem(await read(intake, str(candidate_id), provider_auth()), 404)
    assert await intake.count(AccessLogEntry) == 0


async def test_provider_reads_a_referred_candidate_without_the_bsn(
    intake: IntakeUnderTest,
) -> None:
    candidate_id = await referred_candidate(intake)
    response = await read(intake, candidate_id, provider_auth())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body.get("bsn") is None
    assert VALID_BSN not in response.text
    assert (body["givenName"], body["familyName"]) == ("Jan", "Jansen")


async def test_provider_lists_only_candidates_referred_to_it(intake: IntakeUnderTest) -> None:
    ours = await referred_candidate(intake, WSD, VALID_BSN)
    await referred_candidate(intake, IBN, OTHER_VALID_BSN)
    unreferred = await intake.client.post(
        "/v1/candidates", json=candidate_body("999996745"), headers=auth())
    assert unreferred.status_code == 201, unreferred.text
    items = await listed(intake, provider_auth())
    assert [item["id"] for item in items] == [ours]
    assert all(item.get("bsn") is None for item in items)


async def test_provider_cannot_read_a_candidate_referred_only_to_another(
    intake: IntakeUnderTest,
) -> None:
    candidate_id = await referred_candidate(intake, IBN)
    assert_problem(await read(intake, candidate_id, provider_auth(WSD)), 404)
    assert (await read(intake, candidate_id, provider_auth(IBN))).status_code == 200


async def test_provider_loses_access_after_closure(intake: IntakeUnderTest) -> None:
    candidate_id = await referred_candidate(intake)
    closed = await intake.client.post(f"/v1/candidates/{candidate_id}/closures",
                                      json={"reason": "work"}, headers=auth())
    assert closed.status_code == 201
    assert_problem(await read(intake, candidate_id, provider_auth()), 404)
    assert await listed(intake, provider_auth()) == []


async def test_provider_loses_access_after_a_non_refer_route(intake: IntakeUnderTest) -> None:
    candidate_id = await referred_candidate(intake)
    rerouted = await intake.client.post(f"/v1/candidates/{candidate_id}/route-decisions",
                                        json={"route": "regular-work"}, headers=auth())
    assert rerouted.status_code == 201
    assert_problem(await read(intake, candidate_id, provider_auth()), 404)
    assert await listed(intake, provider_auth()) == []


async def test_provider_without_the_gemeente_in_its_token_cannot_read(
    intake: IntakeUnderTest,
) -> None:
    candidate_id = await referred_candidate(intake)
    only_vught = provider_auth(gemeenten=(VUGHT,))
    assert_problem(await read(intake, candidate_id, only_vught), 404)
    assert await listed(intake, only_vught) == []
    assert await intake.count(AccessLogEntry) == 0


async def test_provider_reads_a_candidate_in_a_programme_it_runs(
    intake: IntakeUnderTest,
) -> None:
    candidate_id = await referred_candidate(intake, WSD)
    programme = await intake.client.post(
        f"/v1/candidates/{candidate_id}/programme-decisions",
        json={**PROGRAMME, "provider": IBN}, headers=auth())
    assert programme.status_code == 201, programme.text
    response = await read(intake, candidate_id, provider_auth(IBN))
    assert response.status_code == 200, response.text
    assert response.json().get("bsn") is None
    assert [item["id"] for item in await listed(intake, provider_auth(IBN))] == [candidate_id]
    [entry, *_] = await boxtel_log(intake, candidate_id)
    assert (entry["actorOrg"], entry["ground"]) == (IBN, "programme")


@pytest.mark.parametrize(("kind", "body"), DECISIONS)
async def test_provider_cannot_post_decisions(
    intake: IntakeUnderTest, kind: str, body: dict[str, object],
) -> None:
    candidate_id = await referred_candidate(intake)
    before = await written(intake)
    response = await intake.client.post(f"/v1/candidates/{candidate_id}/{kind}", json=body,
                                        headers=provider_auth())
    assert_problem(response, 403)
    assert await written(intake) == before


async def test_provider_cannot_register(intake: IntakeUnderTest) -> None:
    response = await intake.client.post("/v1/candidates", json=candidate_body(),
                                        headers=provider_auth())
    assert_problem(response, 403)
    assert await intake.count(Candidate) == 0


async def test_controller_reads_but_cannot_register(intake: IntakeUnderTest) -> None:
    controller = auth(BOXTEL, OrgKind.GEMEENTE, Role.CONTROLLER)
    candidate_id = (await register(intake))["id"]
    assert (await read(intake, str(candidate_id), controller)).status_code == 200
    response = await intake.client.post("/v1/candidates", json=candidate_body(OTHER_VALID_BSN),
                                        headers=controller)
    assert_problem(response, 403)
    assert await intake.count(Candidate) == 1
    assert await intake.count(OutboxMessage) == 1


async def test_provider_reads_and_lists_are_logged_for_the_gemeente_only(
    intake: IntakeUnderTest,
) -> None:
    candidate_id = await referred_candidate(intake)
    assert (await read(intake, candidate_id, provider_auth())).status_code == 200
    assert len(await listed(intake, provider_auth())) == 1
    entries = await boxtel_log(intake, candidate_id)
    by_provider = [e for e in entries if e["actorOrg"] == WSD]
    assert sorted(e["action"] for e in by_provider) == ["list", "read"]
    for entry in by_provider:
        assert (entry["candidateId"], entry["actorKind"], entry["ground"]) == (
            candidate_id, "provider", "referral")
        assert entry["actorSubject"] and entry["at"]
    assert await boxtel_log(intake, candidate_id, VUGHT_CASEWORKER) == []


async def test_provider_cannot_read_the_access_log(intake: IntakeUnderTest) -> None:
    candidate_id = await referred_candidate(intake)
    response = await intake.client.get(f"/v1/access-logs?candidateId={candidate_id}",
                                       headers=provider_auth())
    assert_problem(response, 403)
