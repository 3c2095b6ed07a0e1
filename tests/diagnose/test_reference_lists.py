"""Diagnose's reference lists (issue 15): served without a token, with Dutch labels; the same
codes are the enums of the request schemas, and a code not on its list is a 400 naming it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.diagnose.conftest import Chain, consultant, referred_case
from tests.diagnose.steps import PROFILE, WAGE_VALUE, ZRM_FIRST, command

# Every list diagnose serves, its codes in order and one Dutch label, written out by hand.
LISTS: dict[str, tuple[list[str], tuple[str, str]]] = {
    "constraint-codes": (["lifting-max-kg", "standing-max-hours", "walking-max-hours",
                          "sitting-max-hours", "work-max-hours-per-day", "no-night-shifts",
                          "no-customer-contact", "no-noise", "low-pace", "supervision-needed",
                          "no-heights", "no-driving"], ("no-night-shifts", "Geen nachtdiensten")),
    "zrm-domains": (["financien", "werk-en-opleiding", "tijdsbesteding", "huisvesting",
                     "huiselijke-relaties", "geestelijke-gezondheid", "lichamelijke-gezondheid",
                     "middelengebruik", "basale-adl", "instrumentele-adl", "sociaal-netwerk",
                     "maatschappelijke-participatie", "justitie"], ("financien", "Financiën")),
    "wage-value-methods": (["dariuz", "loonwaarde-plus", "ergatis", "uwv-loonwaardemeting"],
                           ("uwv-loonwaardemeting", "UWV-loonwaardemeting")),
    "instruments": (["werkdiagnose", "quickscan", "mijn-werk-dichtbij", "oad", "gids"],
                    ("mijn-werk-dichtbij", "MijnWerkDichtbij")),
    "development-potentials": (["none", "limited", "clear"], ("limited", "Beperkt")),
    "diagnosis-outcomes": (["advice-given", "through-to-work", "regular-work",
                            "other-trajectory", "back-to-care", "volunteering", "moved",
                            "no-benefit", "starts-later", "withdrawn", "other"],
                           ("back-to-care", "Terug naar zorg")),
    "werksoorten": (["logistiek", "zorg", "horeca", "detailhandel", "schoonmaak", "groen",
                     "productie", "administratie", "bouw", "techniek", "facilitair"],
                    ("groen", "Groenvoorziening")),
    "programmes": (["uitstroom", "ontwikkel", "werk"], ("werk", "Werkprogramma")),
}

# (schema, property, list) for every coded field of diagnose's request bodies.
ENUMS = [
    ("PlanInstrument", "instrument", "instruments"),
    ("ConstraintIn", "code", "constraint-codes"),
    ("UpdateProfile", "homeGemeente", "gemeenten"),
    ("RecordWageValue", "method", "wage-value-methods"),
    ("IssueAdvice", "programme", "programmes"),
    ("IssueAdvice", "developmentPotential", "development-potentials"),
    ("CloseDiagnosis", "outcome", "diagnosis-outcomes"),
]


async def _items(client: httpx.AsyncClient, name: str) -> list[dict[str, Any]]:
    response = await client.get(f"/v1/reference/{name}")  # no token
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def test_the_index_names_every_list(chain: Chain) -> None:
    response = await chain.diagnose.client.get("/v1/reference")
    assert response.status_code == 200
    lists = {item["name"]: item for item in response.json()["lists"]}
    assert set(lists) == {*LISTS, "gemeenten"}
    assert lists["zrm-domains"]["count"] == 13
    assert lists["constraint-codes"]["url"] == "/v1/reference/constraint-codes"


@pytest.mark.parametrize("name", sorted(LISTS))
async def test_each_list_has_its_codes_and_dutch_labels(chain: Chain, name: str) -> None:
    items = await _items(chain.diagnose.client, name)
    codes, (code, label) = LISTS[name]
    assert [item["code"] for item in items] == codes
    assert {item["code"]: item["label"] for item in items}[code] == label
    assert all(item["description"] for item in items)


async def test_a_limit_says_its_unit_and_range(chain: Chain) -> None:
    items = {i["code"]: i for i in await _items(chain.diagnose.client, "constraint-codes")}
    assert items["lifting-max-kg"] == {
        "code": "lifting-max-kg", "label": "Tillen, maximaal",
        "description": "Grens: `value` in kg, van 0 tot en met 50 kg.",
        "validFrom": None, "validTo": None}
    assert items["work-max-hours-per-day"]["description"] == (
        "Grens: `value` in uur, van 1 tot en met 12 uur.")
    assert items["no-heights"]["description"] == "Vlag: aanwezig of niet; zonder `value`."


@pytest.mark.parametrize(("schema", "prop", "name"), ENUMS)
async def test_each_coded_field_is_an_enum_of_its_list(chain: Chain, schema: str, prop: str,
                                                       name: str) -> None:
    openapi = (await chain.diagnose.client.get("/v1/openapi.json")).json()
    field: dict[str, Any] = openapi["components"]["schemas"][schema]["properties"][prop]
    items = await _items(chain.diagnose.client, name)
    assert field["enum"] == [item["code"] for item in items]
    assert f"/v1/reference/{name}" in field["description"]


async def test_interests_and_zrm_domains_are_enumerated(chain: Chain) -> None:
    schemas = (await chain.diagnose.client.get("/v1/openapi.json")).json()["components"][
        "schemas"]
    interests = schemas["UpdateProfile"]["properties"]["interests"]["items"]
    assert interests["enum"][:3] == ["logistiek", "zorg", "horeca"]
    scores = schemas["RecordZrm"]["properties"]["scores"]
    assert len(scores["properties"]) == 13 and scores["additionalProperties"] is False
    assert scores["properties"]["justitie"]["title"] == "Justitie"


def _reason(response: httpx.Response, name: str) -> str:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    reasons = {p["name"]: p["reason"] for p in response.json()["invalidParams"]}
    return str(reasons[name])


async def test_an_unknown_code_names_its_list(chain: Chain) -> None:
    _, diagnosis_id = await referred_case(chain)
    headers = consultant()
    unknown_constraint = {**PROFILE, "constraints": [{"code": "no-stairs"}]}
    reason = _reason(await command(chain, diagnosis_id, "profile", headers, unknown_constraint),
                     "constraints.0.code")
    assert "list 'constraint-codes'" in reason and "/v1/reference/constraint-codes" in reason
    reason = _reason(await command(chain, diagnosis_id, "wage-value", headers,
                                   {**WAGE_VALUE, "method": "stopwatch"}),
                     "method")
    assert "list 'wage-value-methods'" in reason and "dariuz, loonwaarde-plus" in reason
    reason = _reason(await command(chain, diagnosis_id, "zrm", headers,
                                   {**ZRM_FIRST, "scores": {"geluk": 3}}), "scores.geluk")
    assert "list 'zrm-domains'" in reason and "/v1/reference/zrm-domains" in reason
    reason = _reason(await command(chain, diagnosis_id, "profile", headers,
                                   {**PROFILE, "interests": ["kunst"]}), "interests.0")
    assert "list 'werksoorten'" in reason


async def test_a_query_code_names_its_list_too(chain: Chain) -> None:
    response = await chain.diagnose.client.get("/v1/diagnoses", params={"instrument": "scan"},
                                               headers=consultant())
    assert "list 'instruments'" in _reason(response, "instrument")
    listed = await chain.diagnose.client.get("/v1/diagnoses", params={"instrument": "oad"},
                                             headers=consultant())
    assert (listed.status_code, listed.json()["total"]) == (200, 0)
