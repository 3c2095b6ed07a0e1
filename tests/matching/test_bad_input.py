"""Bad input is a 400 problem+json naming the field, and nothing is written."""

from __future__ import annotations

from typing import Any

import pytest

from services.matching.store.models import (
    Employer,
    Placement,
    Proposal,
    Vacancy,
    WebhookSubscription,
)
from shared.store import IdempotencyRecord, OutboxMessage
from tests.matching.conftest import (
    EMPLOYER,
    HEAVY,
    LIGHT,
    employer,
    matchable_candidate,
    staff,
    vacancy,
    vacancy_body,
)
from tests.support.services import ServiceUnderTest

WRITTEN = (Employer, Vacancy, Proposal, Placement, WebhookSubscription, OutboxMessage,
           IdempotencyRecord)
PLACEMENT = {"form": "lks", "hoursPerWeek": 16, "hourlyWage": "14.71", "startDate": "2026-02-02"}


def bad_bodies(ids: dict[str, str]) -> dict[str, tuple[str, dict[str, Any], str]]:
    """name → (path, body, a field named in invalidParams)."""
    employer_id, vacancy_id, candidate = ids["employer"], ids["vacancy"], ids["candidate"]
    placement = ids["placement"]
    good_vacancy = vacancy_body(employer_id, [HEAVY, LIGHT])
    place = {**PLACEMENT, "candidateId": candidate, "employerId": employer_id}
    return {
        "kvk-7-digits": ("/v1/employers", {**EMPLOYER, "kvkNumber": "1234567"}, "kvkNumber"),
        "unknown-sector": ("/v1/employers", {**EMPLOYER, "sector": "ruimtevaart"}, "sector"),
        "unknown-field": ("/v1/employers", {**EMPLOYER, "bsn": "999996708"}, "bsn"),
        "bad-gemeente": ("/v1/vacancies", {**good_vacancy, "gemeente": "Boxtel"}, "gemeente"),
        "no-tasks": ("/v1/vacancies", {**good_vacancy, "tasks": []}, "tasks"),
        "hours-mismatch": ("/v1/vacancies", {**good_vacancy, "hoursPerWeek": 36}, "tasks"),
        "unknown-demand": ("/v1/vacancies", {**good_vacancy, "tasks": [
            {**HEAVY, "demands": [{"code": "juggling"}]}, LIGHT]}, "tasks.0.demands.0"),
        "limit-without-value": ("/v1/vacancies", {**good_vacancy, "tasks": [
            {**HEAVY, "demands": [{"code": "lifting-max-kg"}]}, LIGHT]}, "tasks.0.demands.0"),
        "wage-as-number": ("/v1/vacancies", {**good_vacancy, "hourlyWage": 14.7},
                           "hourlyWage"),
        "carve-unknown-task": (f"/v1/vacancies/{vacancy_id}/carvings", {"tasks": ["dansen"]},
                               "tasks"),
        "carve-everything": (f"/v1/vacancies/{vacancy_id}/carvings",
                             {"tasks": ["pallets laden", "orders picken"]}, "tasks"),
        "proposal-not-a-uuid": (f"/v1/vacancies/{vacancy_id}/proposals",
                                {"candidateId": "jan"}, "candidateId"),
        "trial-too-long": ("/v1/placements", {**place, "form": "trial", "hourlyWage": "0.00",
                                              "plannedEnd": "2026-06-01"}, "plannedEnd"),
        "lks-without-wage": ("/v1/placements", {**place, "hourlyWage": "0.00"}, "hourlyWage"),
        "unknown-form": ("/v1/placements", {**place, "form": "stage"}, "form"),
        # Issue 13: dates outside 2000-01-01 … 2100-12-31 (a placement ending 9999-12-31 was
        # accepted), strict booleans, gemeenten by known code; issue 12's new fields.
        "placement-ends-9999": ("/v1/placements", {**place, "plannedEnd": "9999-12-31"},
                                "plannedEnd"),
        "placement-starts-0001": ("/v1/placements", {**place, "startDate": "0001-01-01"},
                                  "startDate"),
        "ending-in-9999": (f"/v1/placements/{placement}/endings",
                           {"endDate": "9999-12-31", "reason": "completed"}, "endDate"),
        "through-uwv-yes": ("/v1/placements", {**place, "throughUwv": "yes"}, "throughUwv"),
        "through-uwv-1": ("/v1/placements", {**place, "throughUwv": 1}, "throughUwv"),
        "trial-through-uwv-3-months": ("/v1/placements", {
            **place, "form": "trial", "hourlyWage": "0.00", "throughUwv": True,
            "startDate": "2026-03-02", "plannedEnd": "2026-05-03"}, "plannedEnd"),
        "proposal-id-not-a-uuid": ("/v1/placements", {**place, "proposalId": "p-1"},
                                   "proposalId"),
        "employer-unknown-gemeente": ("/v1/employers", {**EMPLOYER, "gemeente": "GM9999"},
                                      "gemeente"),
        "vacancy-unknown-gemeente": ("/v1/vacancies", {**good_vacancy, "gemeente": "GM0788"},
                                     "gemeente"),
        "positions-zero": ("/v1/vacancies", {**good_vacancy, "positions": 0}, "positions"),
        "positions-as-text": ("/v1/vacancies", {**good_vacancy, "positions": "two"},
                              "positions"),
        "subscription-unknown-type": ("/v1/webhook-subscriptions", {
            "url": "http://127.0.0.1:9/h", "eventTypes": ["nl.participatiewet.intake.x"]},
            "eventTypes.0"),
        "subscription-not-a-url": ("/v1/webhook-subscriptions", {
            "url": "ftp://x", "eventTypes": ["nl.participatiewet.matching.vacancy-closed"]},
            "url"),
    }


NAMES = list(bad_bodies({"employer": "", "vacancy": "", "candidate": "", "placement": ""}))


@pytest.mark.parametrize("name", NAMES)
async def test_bad_bodies_are_400_and_write_nothing(matching: ServiceUnderTest,
                                                    name: str) -> None:
    ids = {"candidate": str(await matchable_candidate(matching)),
           "employer": await employer(matching)}
    ids["vacancy"] = await vacancy(matching, [HEAVY, LIGHT], employer_id=ids["employer"])
    trial = await matching.client.post("/v1/placements", headers=staff(), json={
        "candidateId": ids["candidate"], "employerId": ids["employer"], "form": "trial",
        "hoursPerWeek": 8, "hourlyWage": "0.00", "startDate": "2026-01-05",
        "plannedEnd": "2026-01-30"})
    assert trial.status_code == 201, trial.text
    ids["placement"] = trial.json()["id"]
    path, body, field = bad_bodies(ids)[name]
    before = [await matching.count(model) for model in WRITTEN]
    response = await matching.client.post(path, json=body, headers={
        **staff(), "Idempotency-Key": f"key-{name}"})
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in [p["name"] for p in response.json()["invalidParams"]], response.text
    assert [await matching.count(model) for model in WRITTEN] == before


@pytest.mark.parametrize("query", [{"pageSize": 0}, {"page": "x"}, {"status": "half"},
                                   {"werksoort": "ruimtevaart"}])
async def test_bad_queries_are_400(matching: ServiceUnderTest, query: dict[str, Any]) -> None:
    response = await matching.client.get("/v1/vacancies", params=query, headers=staff())
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_not_json_and_a_bad_path_id_are_400(matching: ServiceUnderTest) -> None:
    raw = await matching.client.post("/v1/employers", content=b"{nope",
                                     headers={**staff(), "content-type": "application/json"})
    assert raw.status_code == 400
    assert (await matching.client.get("/v1/vacancies/not-a-uuid",
                                      headers=staff())).status_code == 400
