"""Beschut-werk indications (issue 12): UWV's advice and the college's decision, in intake."""

from __future__ import annotations

from typing import Any

import httpx
import nats
import pytest
from cloudevents.core.formats.json import JSONFormat
from nats.aio.msg import Msg

from services.intake.store.models import AccessLogEntry, ShelteredWorkIndication
from shared.auth import OrgKind, Role
from shared.store import IdempotencyRecord, OutboxMessage
from tests.conftest import eventually
from tests.intake.conftest import (
    BOXTEL,
    IBN,
    VALID_BSN,
    VUGHT,
    WSD,
    IntakeUnderTest,
    auth,
    provider_auth,
    refer,
    register,
)
from tests.support.services import bearer

WRITTEN = (ShelteredWorkIndication, OutboxMessage, IdempotencyRecord)
# Hand-picked dates before today (2026-11-29 when written): advice, then decision two weeks later.
GRANTED = {"uwvAdviceDate": "2026-03-02", "uwvOutcome": "positive", "decision": "granted",
           "decidedOn": "2026-03-16", "validUntil": "2031-03-16"}
PERSONAL = (VALID_BSN, "Jan", "Jansen", "1990-04-01", "5281AB", "5281 AB")


def path(candidate_id: object) -> str:
    return f"/v1/candidates/{candidate_id}/sheltered-work-indications"


async def written(intake: IntakeUnderTest) -> dict[str, int]:
    return {model.__name__: await intake.count(model) for model in WRITTEN}


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = dict(response.json())
    assert {"type", "title", "status", "detail"} <= body.keys()
    assert body["status"] == status
    return body


async def referred(intake: IntakeUnderTest) -> str:
    candidate_id = str((await register(intake))["id"])
    assert (await refer(intake, candidate_id, WSD)).status_code == 201
    return candidate_id


async def record(intake: IntakeUnderTest, candidate_id: str, body: Any = None,
                 headers: dict[str, str] | None = None) -> httpx.Response:
    return await intake.client.post(path(candidate_id), json=GRANTED if body is None else body,
                                    headers=headers or auth())


async def test_the_klantmanager_records_a_granted_indication_and_lists_it(
    intake: IntakeUnderTest,
) -> None:
    candidate_id = await referred(intake)
    before = await intake.count(OutboxMessage)
    response = await record(intake, candidate_id)
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["location"] == f"{path(candidate_id)}/{body['id']}"
    assert {k: body[k] for k in GRANTED} == GRANTED
    assert (body["candidateId"], body["deviatesFromUwvAdvice"], body["warnings"]) == (
        candidate_id, False, [])
    assert await intake.count(ShelteredWorkIndication) == 1
    assert await intake.count(OutboxMessage) == before + 1
    listed = await intake.client.get(path(candidate_id), headers=auth())
    assert listed.status_code == 200, listed.text
    assert listed.json() == {"items": [body]}


async def test_a_refused_indication_without_validity_is_recorded(intake: IntakeUnderTest) -> None:
    candidate_id = await referred(intake)
    refused = {"uwvAdviceDate": "2026-03-02", "uwvOutcome": "negative", "decision": "refused",
               "decidedOn": "2026-03-02"}  # the same day as the advice is allowed
    response = await record(intake, candidate_id, refused)
    assert response.status_code == 201, response.text
    assert (response.json()["decision"], response.json()["validUntil"]) == ("refused", None)


async def test_a_deliberate_grant_against_a_negative_advice_carries_a_warning(
    intake: IntakeUnderTest,
) -> None:
    candidate_id = await referred(intake)
    against = {**GRANTED, "uwvOutcome": "negative", "deviatesFromUwvAdvice": True}
    response = await record(intake, candidate_id, against)
    assert response.status_code == 201, response.text
    assert response.json()["warnings"] == [
        "the college's decision (granted) deviates from UWV's negative advice"]
    [listed] = (await intake.client.get(path(candidate_id), headers=auth())).json()["items"]
    assert listed["warnings"] == response.json()["warnings"]


async def test_the_event_is_on_the_bus_with_dates_and_codes_only(
    intake: IntakeUnderTest, nats_url: str, bus_namespace: str,
) -> None:
    received: list[Msg] = []
    nc = await nats.connect(nats_url)

    async def collect(message: Msg) -> None:
        received.append(message)

    await nc.subscribe(f"{bus_namespace}.participatiewet.{BOXTEL}.intake."
                       "sheltered-work-indication-decided", cb=collect)
    try:
        candidate_id = await referred(intake)
        response = await record(intake, candidate_id)
        assert response.status_code == 201, response.text
        await eventually(lambda: len(received) == 1)
    finally:
        await nc.close()
    [message] = received
    event = JSONFormat().read(None, message.data)
    attributes, data = event.get_attributes(), event.get_data()
    assert attributes["type"] == "nl.participatiewet.intake.sheltered-work-indication-decided"
    assert (attributes["subject"], attributes["gemeente"]) == (candidate_id, BOXTEL)
    assert data == {
        "indicationId": response.json()["id"], "candidateId": candidate_id, "gemeente": BOXTEL,
        "uwvAdviceDate": "2026-03-02", "uwvOutcome": "positive", "decision": "granted",
        "decidedOn": "2026-03-16", "validUntil": "2031-03-16",
        "decidedAt": data["decidedAt"]}
    everything = message.data.decode() + repr(message.headers) + message.subject
    for value in PERSONAL:
        assert value not in everything


async def test_the_idempotency_key_replays_the_first_answer(intake: IntakeUnderTest) -> None:
    candidate_id = await referred(intake)
    headers = {**auth(), "Idempotency-Key": "indication-1"}
    first = await record(intake, candidate_id, headers=headers)
    rows = await written(intake)
    second = await record(intake, candidate_id, headers=headers)
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json() == first.json()
    assert second.headers.get("idempotent-replayed") == "true"
    assert await written(intake) == rows
    assert await intake.count(ShelteredWorkIndication) == 1


NOT_WRITERS = {
    "referred-uitvoerder": (provider_auth(WSD), 403),
    "wsp": (bearer("WSP-NOB", OrgKind.WSP, Role.ACCOUNT_MANAGER, gemeenten=(BOXTEL,)), 403),
    "board": (bearer(BOXTEL, OrgKind.GEMEENTE, Role.BOARD), 403),
    "controller": (bearer(BOXTEL, OrgKind.GEMEENTE, Role.CONTROLLER), 403),
    "another-gemeente": (auth(VUGHT), 404),
}


@pytest.mark.parametrize(("headers", "status"), NOT_WRITERS.values(), ids=NOT_WRITERS.keys())
async def test_only_the_gemeentes_own_klantmanager_records(
    intake: IntakeUnderTest, headers: dict[str, str], status: int,
) -> None:
    candidate_id = await referred(intake)
    before = await written(intake)
    assert_problem(await record(intake, candidate_id, headers=headers), status)
    if status == 403:  # the role check comes before the body: a bad one is 403 too
        assert_problem(await record(intake, candidate_id, {"decision": "maybe"}, headers), 403)
    assert await written(intake) == before


async def test_an_admin_of_the_gemeente_records(intake: IntakeUnderTest) -> None:
    candidate_id = await referred(intake)
    admin = bearer(BOXTEL, OrgKind.GEMEENTE, Role.ADMIN)
    assert (await record(intake, candidate_id, headers=admin)).status_code == 201


async def test_who_reads_the_indications_and_that_reads_are_logged(
    intake: IntakeUnderTest,
) -> None:
    candidate_id = await referred(intake)
    assert (await record(intake, candidate_id)).status_code == 201
    logged = await intake.count(AccessLogEntry)
    wsd = await intake.client.get(path(candidate_id), headers=provider_auth(WSD))
    assert wsd.status_code == 200, wsd.text
    assert [i["decision"] for i in wsd.json()["items"]] == ["granted"]
    assert VALID_BSN not in wsd.text
    controller = bearer(BOXTEL, OrgKind.GEMEENTE, Role.CONTROLLER)
    assert (await intake.client.get(path(candidate_id), headers=controller)).status_code == 200
    for outsider in (provider_auth(IBN), auth(VUGHT), provider_auth(WSD, gemeenten=(VUGHT,))):
        response = await intake.client.get(path(candidate_id), headers=outsider)
        assert_problem(response, 404)
        assert "granted" not in response.text
    assert await intake.count(AccessLogEntry) == logged + 2
    log = (await intake.client.get(f"/v1/access-logs?candidateId={candidate_id}",
                                   headers=auth())).json()["items"]
    by_wsd = [e for e in log if e["actorOrg"] == WSD]
    assert [(e["action"], e["ground"]) for e in by_wsd] == [
        ("read-sheltered-work-indications", "referral")]


async def test_the_uitvoerder_no_longer_reads_them_after_closure(intake: IntakeUnderTest) -> None:
    candidate_id = await referred(intake)
    assert (await record(intake, candidate_id)).status_code == 201
    closed = await intake.client.post(f"/v1/candidates/{candidate_id}/closures",
                                      json={"reason": "work"}, headers=auth())
    assert closed.status_code == 201
    assert_problem(await intake.client.get(path(candidate_id), headers=provider_auth()), 404)


async def test_a_closed_candidate_gets_no_indication(intake: IntakeUnderTest) -> None:
    candidate_id = await referred(intake)
    closed = await intake.client.post(f"/v1/candidates/{candidate_id}/closures",
                                      json={"reason": "moved"}, headers=auth())
    assert closed.status_code == 201
    before = await written(intake)
    assert_problem(await record(intake, candidate_id), 409)
    assert await written(intake) == before


async def test_an_unknown_candidate_is_404(intake: IntakeUnderTest) -> None:
    unknown = "00000000-0000-4000-8000-000000000000"
    assert_problem(await record(intake, unknown), 404)
    assert_problem(await intake.client.get(path(unknown), headers=auth()), 404)
    body = assert_problem(await record(intake, "12345"), 400)
    assert [p["name"] for p in body["invalidParams"]] == ["candidateId"]


def changed(**changes: object) -> dict[str, object]:
    return {**GRANTED, **changes}


BAD: dict[str, tuple[Any, set[str]]] = {
    "decided-before-the-advice": (changed(decidedOn="2026-02-27"),
                                  {"decidedOn", "uwvAdviceDate"}),
    "granted-on-negative-advice": (changed(uwvOutcome="negative"),
                                   {"decision", "deviatesFromUwvAdvice"}),
    "refused-on-positive-advice": (changed(decision="refused", validUntil=None),
                                   {"decision", "deviatesFromUwvAdvice"}),
    "deviation-claimed-but-none": (changed(deviatesFromUwvAdvice=True),
                                   {"deviatesFromUwvAdvice"}),
    "validity-on-a-refusal": ({**changed(uwvOutcome="negative", decision="refused")},
                              {"validUntil"}),
    "valid-until-before-decision": (changed(validUntil="2026-03-16"), {"validUntil"}),
    "decided-in-the-future": (changed(decidedOn="2100-01-04", validUntil="2100-12-31"),
                              {"decidedOn"}),
    "advice-year-1": (changed(uwvAdviceDate="0001-01-01"), {"uwvAdviceDate"}),
    "decided-year-9999": (changed(decidedOn="9999-12-31"), {"decidedOn"}),
    "valid-until-2101": (changed(validUntil="2101-01-01"), {"validUntil"}),
    "outcome-unknown": (changed(uwvOutcome="maybe"), {"uwvOutcome"}),
    "decision-unknown": (changed(decision="pending"), {"decision"}),
    "deviation-yes": (changed(deviatesFromUwvAdvice="yes"), {"deviatesFromUwvAdvice"}),
    "deviation-1": (changed(deviatesFromUwvAdvice=1), {"deviatesFromUwvAdvice"}),
    "missing-decision": ({k: v for k, v in GRANTED.items() if k != "decision"}, {"decision"}),
    "unknown-field": (changed(adviceText="werkt traag"), {"adviceText"}),
    "not-a-date": (changed(decidedOn="16-03-2026"), {"decidedOn"}),
}


@pytest.mark.parametrize(("body", "invalid"), BAD.values(), ids=BAD.keys())
async def test_bad_input_is_400_naming_the_fields_and_writes_nothing(
    intake: IntakeUnderTest, body: Any, invalid: set[str],
) -> None:
    candidate_id = await referred(intake)
    before = await written(intake)
    response = await record(intake, candidate_id, body,
                            headers={**auth(), "Idempotency-Key": "bad-indication"})
    problem = assert_problem(response, 400)
    assert {p["name"] for p in problem["invalidParams"]} == invalid, problem
    assert all(p["reason"] for p in problem["invalidParams"])
    assert await written(intake) == before


async def test_decided_before_the_advice_names_both_dates(intake: IntakeUnderTest) -> None:
    candidate_id = await referred(intake)
    response = await record(intake, candidate_id, changed(decidedOn="2026-02-27"))
    problem = assert_problem(response, 400)
    assert "2026-02-27" in problem["detail"] and "2026-03-02" in problem["detail"]
