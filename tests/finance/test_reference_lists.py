"""Finance's reference lists (issue 15): served without a token, with Dutch labels, the same codes
as the code uses, enums in the OpenAPI document, and a 400 that names the list."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from services.finance.api.reference_lists import LISTS
from services.finance.domain.plausibility import BOUNDS
from services.finance.main import create_app
from services.finance.settings import FinanceSettings
from shared.auth import OrgKind, Role
from shared.events.finance import BudgetLine, LksRefusalReason
from tests.finance.conftest import BOXTEL, Finance, gemeente_staff, granted, measured, started
from tests.support.services import bearer

ADMIN = bearer("PLATFORM", OrgKind.PLATFORM, Role.ADMIN)
# Written out by hand: what an integrator reads at GET /v1/reference.
EXPECTED_LISTS = {
    "parameter-codes": 12, "parameter-units": 4, "lks-refusal-reasons": 5, "budget-lines": 2,
    "payment-run-statuses": 2, "grant-statuses": 4}


async def read_list(finance: Finance, name: str) -> dict[str, Any]:
    response = await finance.client.get(f"/v1/reference/{name}")  # no token: codes only
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_the_index_names_every_list_without_a_token(finance: Finance) -> None:
    response = await finance.client.get("/v1/reference")
    assert response.status_code == 200
    lists = {item["name"]: item for item in response.json()["lists"]}
    assert {name: item["count"] for name, item in lists.items()} == EXPECTED_LISTS
    assert lists["grant-statuses"]["url"] == "/v1/reference/grant-statuses"
    missing = await finance.client.get("/v1/reference/werksoorten")  # matching's, not ours
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"


async def test_parameter_codes_with_unit_label_and_period(finance: Finance) -> None:
    items = {i["code"]: i for i in (await read_list(finance, "parameter-codes"))["items"]}
    assert list(items) == [
        "bijstand-norm-single-month", "employer-cost-allowance-pct", "holiday-pay-pct",
        "lks-cap-pct", "wage-value-reassessment-months", "wml-hourly", "youth-share-pct-15",
        "youth-share-pct-16", "youth-share-pct-17", "youth-share-pct-18", "youth-share-pct-19",
        "youth-share-pct-20"]
    wml = items["wml-hourly"]
    assert (wml["label"], wml["unit"], wml["validFrom"], wml["validTo"]) == (
        "Wettelijk minimumloon per uur (21 jaar en ouder)", "EUR/hour", "2024-01-01", None)
    assert "1 januari en 1 juli" in wml["description"]
    assert [items[c]["unit"] for c in ("bijstand-norm-single-month", "lks-cap-pct",
                                       "wage-value-reassessment-months", "youth-share-pct-18")] \
        == ["EUR/month", "percent", "months", "percent"]
    assert items["lks-cap-pct"]["validFrom"] == "2015-01-01"  # Participatiewet in force
    assert items["youth-share-pct-18"]["label"] == "Jeugdminimumloon 18 jaar"
    units = [i["code"] for i in (await read_list(finance, "parameter-units"))["items"]]
    assert units == ["EUR/hour", "EUR/month", "percent", "months"]


async def test_refusal_reasons_budget_lines_and_statuses(finance: Finance) -> None:
    refusals = (await read_list(finance, "lks-refusal-reasons"))["items"]
    assert [(i["code"], i["label"]) for i in refusals] == [
        ("not-in-target-group", "Niet tot de doelgroep"),
        ("full-wage-capacity", "Volledig loonvermogen"),
        ("no-sheltered-indication", "Geen indicatie beschut werk"),
        ("wage-below-minimum", "Loon onder het minimumloon"),
        ("other", "Andere reden")]
    assert refusals[2]["validFrom"] == "2015-01-01"
    lines = (await read_list(finance, "budget-lines"))["items"]
    assert [(i["code"], i["label"]) for i in lines] == [
        ("guidance", "Begeleiding"), ("lks", "Loonkostensubsidie")]
    assert "unit" not in lines[0]  # only lists whose codes have a unit show one
    runs = (await read_list(finance, "payment-run-statuses"))["items"]
    assert [(i["code"], i["label"]) for i in runs] == [("running", "Loopt"),
                                                        ("completed", "Voltooid")]
    grants = (await read_list(finance, "grant-statuses"))["items"]
    assert [(i["code"], i["label"]) for i in grants] == [
        ("pending", "In behandeling"), ("active", "Toegekend"), ("ended", "Beëindigd"),
        ("refused", "Afgewezen")]
    for reference in LISTS:
        for item in (await read_list(finance, reference.name))["items"]:
            assert item["label"] and len(item["description"]) > 20, item


def test_the_lists_are_the_codes_the_code_uses() -> None:
    by_name = {reference.name: reference.codes for reference in LISTS}
    assert by_name["parameter-codes"] == sorted(BOUNDS)
    assert sorted(by_name["parameter-units"]) == sorted({b.unit for b in BOUNDS.values()})
    assert by_name["lks-refusal-reasons"] == [r.value for r in LksRefusalReason]
    assert by_name["budget-lines"] == [line.value for line in BudgetLine]


def test_coded_fields_are_enums_of_their_lists() -> None:
    document = create_app(FinanceSettings(environment="test")).openapi()
    schemas = document["components"]["schemas"]
    by_name = {reference.name: reference.codes for reference in LISTS}
    assert schemas["ParameterIn"]["properties"]["code"]["enum"] == by_name["parameter-codes"]
    assert schemas["ParameterIn"]["properties"]["unit"]["enum"] == by_name["parameter-units"]
    assert schemas["GrantRefusalIn"]["properties"]["reason"]["enum"] == \
        by_name["lks-refusal-reasons"]
    assert schemas["GrantOut"]["properties"]["status"]["enum"] == by_name["grant-statuses"]
    assert schemas["PaymentRunOut"]["properties"]["status"]["enum"] == \
        by_name["payment-run-statuses"]
    (status,) = [p for p in document["paths"]["/grants"]["get"]["parameters"]
                 if p["name"] == "status"]
    assert by_name["grant-statuses"] in [s.get("enum") for s in status["schema"]["anyOf"]]


def named_list(response: Any, field: str, name: str) -> None:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    (problem,) = [p for p in response.json()["invalidParams"] if p["name"] == field]
    assert f"list '{name}'" in problem["reason"] and f"/v1/reference/{name}" in problem["reason"]


@pytest.mark.parametrize(("change", "field", "name"), [
    ({"code": "wml-per-hour"}, "code", "parameter-codes"),
    ({"unit": "euro"}, "unit", "parameter-units"),
])
async def test_an_unknown_parameter_code_names_its_list(
        finance: Finance, change: dict[str, str], field: str, name: str) -> None:
    body = {"code": "wml-hourly", "effectiveFrom": "2026-07-01", "value": "15.00",
            "unit": "EUR/hour", "source": "test value, not an official publication", **change}
    named_list(await finance.client.post("/v1/parameters", json=body, headers=ADMIN),
               field, name)


async def test_an_unknown_refusal_reason_or_status_names_its_list(finance: Finance) -> None:
    candidate = uuid.uuid4()
    await finance.publish(measured(candidate, 50, started(candidate).start_date))
    await finance.publish(started(candidate))
    (grant,) = await granted(finance, candidate)
    controller = gemeente_staff(BOXTEL)
    refused = await finance.client.post(f"/v1/grants/{grant.id}/refusals",
                                        json={"reason": "geen-budget"}, headers=controller)
    named_list(refused, "reason", "lks-refusal-reasons")
    listed = await finance.client.get("/v1/grants", params={"status": "decided"},
                                      headers=controller)
    named_list(listed, "status", "grant-statuses")
    ok = await finance.client.get("/v1/grants", params={"status": "pending"}, headers=controller)
    assert [g["id"] for g in ok.json()["items"]] == [str(grant.id)]
