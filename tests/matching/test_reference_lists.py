"""Matching's reference lists (issue 15): served without a token, Dutch labels, the same codes as
the OpenAPI enums of the request schemas, and a 400 that names the list."""

from __future__ import annotations

from typing import Any

import pytest

from tests.matching.conftest import BOXTEL, LIGHT, employer, staff, vacancy_body
from tests.support.services import ServiceUnderTest

EXPECTED_CODES = {
    "werksoorten": ["logistiek", "zorg", "horeca", "detailhandel", "schoonmaak", "groen",
                    "productie", "administratie", "bouw", "techniek", "facilitair"],
    "placement-forms": ["trial", "lks", "regular", "sheltered", "secondment", "wsw"],
    "placement-end-reasons": ["completed", "regular-job", "contract-not-renewed",
                              "employer-ended", "candidate-left", "sickness", "moved", "other"],
    "proposal-outcomes": ["accepted", "declined", "withdrawn"],
    "webhook-event-types": [
        "nl.participatiewet.matching.candidate-proposed",
        "nl.participatiewet.matching.placement-ended",
        "nl.participatiewet.matching.placement-started",
        "nl.participatiewet.matching.proposal-closed",
        "nl.participatiewet.matching.vacancy-closed",
        "nl.participatiewet.matching.vacancy-published",
        "nl.participatiewet.matching.webhook-delivery-failed",
        "nl.participatiewet.finance.budget-exceeded"],
}


async def test_the_index_names_every_list_with_its_count(matching: ServiceUnderTest) -> None:
    response = await matching.client.get("/v1/reference")  # no token: codes only, no data
    assert response.status_code == 200, response.text
    lists = {item["name"]: item for item in response.json()["lists"]}
    assert {name: item["count"] for name, item in lists.items()} == {
        "werksoorten": 11, "placement-forms": 6, "placement-end-reasons": 8,
        "proposal-outcomes": 3, "webhook-event-types": 8}
    assert lists["werksoorten"]["url"] == "/v1/reference/werksoorten"


@pytest.mark.parametrize("name", sorted(EXPECTED_CODES))
async def test_each_list_has_its_codes_with_dutch_labels(matching: ServiceUnderTest,
                                                         name: str) -> None:
    response = await matching.client.get(f"/v1/reference/{name}")
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [i["code"] for i in items] == EXPECTED_CODES[name]
    assert all(i["label"] and i["description"] for i in items)
    assert set(items[0]) == {"code", "label", "description", "validFrom", "validTo"}


async def test_labels_and_periods_that_the_law_gives(matching: ServiceUnderTest) -> None:
    forms = {i["code"]: i for i in
             (await matching.client.get("/v1/reference/placement-forms")).json()["items"]}
    assert (forms["trial"]["label"], forms["sheltered"]["label"]) == (
        "Proefplaatsing", "Beschut werk")
    # Wsw: no new inflow since 2015-01-01; beschut werk and LKS came with the Participatiewet.
    assert (forms["wsw"]["validFrom"], forms["wsw"]["validTo"]) == (None, "2014-12-31")
    assert forms["sheltered"]["validFrom"] == "2015-01-01"
    assert forms["lks"]["validFrom"] == "2015-01-01"
    assert (forms["trial"]["validFrom"], forms["trial"]["validTo"]) == (None, None)
    events = {i["code"]: i for i in
              (await matching.client.get("/v1/reference/webhook-event-types")).json()["items"]}
    assert events["nl.participatiewet.finance.budget-exceeded"]["label"] == "Budget overschreden"
    assert (await matching.client.get("/v1/reference/constraint-codes")).status_code == 404


async def test_the_codes_are_the_enums_of_the_request_schemas(matching: ServiceUnderTest) -> None:
    document = (await matching.client.get("/v1/openapi.json")).json()
    schemas = document["components"]["schemas"]

    def enum_of(schema: dict[str, Any]) -> list[str]:
        if "$ref" in schema:
            return list(schemas[schema["$ref"].rsplit("/", 1)[1]]["enum"])
        return list(schema["enum"])

    assert enum_of(schemas["CreateEmployer"]["properties"]["sector"]) == (
        EXPECTED_CODES["werksoorten"])
    assert enum_of(schemas["CreateVacancy"]["properties"]["werksoort"]) == (
        EXPECTED_CODES["werksoorten"])
    assert enum_of(schemas["CreateVacancy"]["properties"]["contractForms"]["items"]) == (
        EXPECTED_CODES["placement-forms"])
    assert enum_of(schemas["CreatePlacement"]["properties"]["form"]) == (
        EXPECTED_CODES["placement-forms"])
    assert enum_of(schemas["EndPlacement"]["properties"]["reason"]) == (
        EXPECTED_CODES["placement-end-reasons"])
    assert enum_of(schemas["CreateSubscription"]["properties"]["eventTypes"]["items"]) == (
        EXPECTED_CODES["webhook-event-types"])
    # Diagnose serves the constraint codes; matching's task demands show them as an enum.
    assert enum_of(schemas["DemandIn"]["properties"]["code"])[:2] == [
        "lifting-max-kg", "standing-max-hours"]
    assert "/reference/{name}" in document["paths"]  # the server URL ends in /v1


@pytest.mark.parametrize(("field", "value", "listname"), [
    ("werksoort", "ruimtevaart", "werksoorten"),
    ("contractForms", ["lks", "stage"], "placement-forms"),
])
async def test_an_unknown_code_is_a_400_naming_its_list(
        matching: ServiceUnderTest, field: str, value: Any, listname: str) -> None:
    employer_id = await employer(matching)
    body = {**vacancy_body(employer_id, [LIGHT]), field: value}
    response = await matching.client.post("/v1/vacancies", json=body, headers=staff())
    assert response.status_code == 400, response.text
    (param,) = response.json()["invalidParams"]
    assert param["name"].startswith(field)
    assert f"list '{listname}'" in param["reason"]
    assert f"/v1/reference/{listname}" in param["reason"]


async def test_unknown_employer_sector_and_query_name_the_list(
        matching: ServiceUnderTest) -> None:
    response = await matching.client.post("/v1/employers", headers=staff(), json={
        "kvkNumber": "11112222", "name": "X BV", "sector": "ruimtevaart", "gemeente": BOXTEL})
    assert response.status_code == 400
    assert "list 'werksoorten'" in response.json()["invalidParams"][0]["reason"]
    query = await matching.client.get("/v1/vacancies", params={"werksoort": "ruimtevaart"},
                                      headers=staff())
    assert query.status_code == 400
    assert "list 'werksoorten'" in query.json()["invalidParams"][0]["reason"]


async def test_an_unknown_demand_code_names_diagnoses_list(matching: ServiceUnderTest) -> None:
    employer_id = await employer(matching)
    task = {"name": "zagen", "hoursPerWeek": 16, "demands": [{"code": "no-chainsaws"}]}
    response = await matching.client.post("/v1/vacancies", headers=staff(),
                                          json=vacancy_body(employer_id, [task]))
    assert response.status_code == 400, response.text
    reason = response.json()["invalidParams"][0]["reason"]
    assert "list 'constraint-codes'" in reason and "lifting-max-kg" in reason
