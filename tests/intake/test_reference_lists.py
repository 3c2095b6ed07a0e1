"""Intake's reference lists (issue 15): served without a token, with Dutch labels; the same
codes are the enums of the request schemas, and a code not on its list is a 400 naming it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.intake.conftest import IntakeUnderTest, auth, candidate_body, register

# Every list intake serves, with its codes in order and one Dutch label, written out by hand.
LISTS: dict[str, tuple[list[str], tuple[str, str]]] = {
    "routes": (["exempt", "care", "regular-work", "refer"], ("refer",
                                                             "Verwijzen naar uitvoerder")),
    "programmes": (["uitstroom", "ontwikkel", "werk"], ("ontwikkel", "Ontwikkelprogramma")),
    "target-groups": (["bijstand", "nieuw-beschut", "wsw-indicatie", "vergunninghouder",
                       "jongere", "niet-uitkeringsgerechtigde"],
                      ("vergunninghouder", "Vergunninghouder")),
    "benefits": (["bijstand", "ioaw", "ioaz", "anw", "ww", "wajong", "geen"],
                 ("geen", "Geen uitkering")),
    "referral-questions": (["werkdiagnose", "quickscan", "mijn-werk-dichtbij", "oad", "gids",
                            "loonwaardemeting"], ("mijn-werk-dichtbij", "MijnWerkDichtbij")),
    "closure-reasons": (["work", "moved", "care", "no-benefit", "deceased", "other"],
                        ("moved", "Verhuisd")),
    "uwv-advice-outcomes": (["positive", "negative"], ("positive", "Positief")),
    "indication-decisions": (["granted", "refused"], ("refused", "Afgewezen")),
    "providers": (["ABILITY", "IBN", "WERKBEDRIJF-ZOETERMEER", "WESTROM", "WSD"],
                  ("WESTROM", "Westrom (entiteit Midden-Limburg Oost)")),
}

# (schema, property, list) for every coded field of intake's request bodies.
ENUMS = [
    ("RegisterCandidate", "targetGroup", "target-groups"),
    ("RegisterCandidate", "benefit", "benefits"),
    ("DecideRoute", "route", "routes"),
    ("DecideRoute", "provider", "providers"),
    ("DecideRoute", "question", "referral-questions"),
    ("DecideProgramme", "programme", "programmes"),
    ("DecideProgramme", "provider", "providers"),
    ("CloseCandidate", "reason", "closure-reasons"),
    ("RecordShelteredWorkIndication", "uwvOutcome", "uwv-advice-outcomes"),
    ("RecordShelteredWorkIndication", "decision", "indication-decisions"),
]


async def test_the_index_names_every_list(intake: IntakeUnderTest) -> None:
    response = await intake.client.get("/v1/reference")
    assert response.status_code == 200
    lists = {item["name"]: item for item in response.json()["lists"]}
    assert set(lists) == {*LISTS, "gemeenten"}
    assert lists["routes"] == {"name": "routes", "label": "Routes",
                               "description": lists["routes"]["description"],
                               "url": "/v1/reference/routes", "count": 4}
    assert lists["gemeenten"]["count"] == 50


@pytest.mark.parametrize("name", sorted(LISTS))
async def test_each_list_has_its_codes_and_dutch_labels(intake: IntakeUnderTest,
                                                        name: str) -> None:
    response = await intake.client.get(f"/v1/reference/{name}")  # no token
    assert response.status_code == 200, response.text
    body = response.json()
    codes, (code, label) = LISTS[name]
    assert [item["code"] for item in body["items"]] == codes
    assert {item["code"]: item["label"] for item in body["items"]}[code] == label
    assert all(item["description"] and set(item) == {"code", "label", "description",
                                                     "validFrom", "validTo"}
               for item in body["items"])


async def test_gemeenten_by_cbs_code_and_beschut_werk_from_2015(intake: IntakeUnderTest) -> None:
    gemeenten = (await intake.client.get("/v1/reference/gemeenten")).json()["items"]
    assert {"code": "GM0757", "label": "Boxtel", "description": "Gemeente Boxtel (CBS-code "
            "GM0757).", "validFrom": None, "validTo": None} in gemeenten
    groups = (await intake.client.get("/v1/reference/target-groups")).json()["items"]
    by_code = {item["code"]: item for item in groups}
    assert by_code["nieuw-beschut"]["validFrom"] == "2015-01-01"
    assert by_code["bijstand"]["validFrom"] is None


async def test_an_unknown_list_is_404(intake: IntakeUnderTest) -> None:
    response = await intake.client.get("/v1/reference/werksoorten")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(("schema", "prop", "name"), ENUMS)
async def test_each_coded_field_is_an_enum_of_its_list(intake: IntakeUnderTest, schema: str,
                                                       prop: str, name: str) -> None:
    openapi = (await intake.client.get("/v1/openapi.json")).json()
    field: dict[str, Any] = openapi["components"]["schemas"][schema]["properties"][prop]
    shape = next((s for s in field.get("anyOf", [field]) if "enum" in s), field)
    items = (await intake.client.get(f"/v1/reference/{name}")).json()["items"]
    assert shape["enum"] == [item["code"] for item in items]
    assert f"/v1/reference/{name}" in shape["description"]


def _reason(response: Any, name: str) -> str:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    reasons = {p["name"]: p["reason"] for p in response.json()["invalidParams"]}
    return str(reasons[name])


async def test_an_unknown_code_names_its_list(intake: IntakeUnderTest) -> None:
    response = await intake.client.post("/v1/candidates", headers=auth(),
                                        json=candidate_body(targetGroup="werkzoekende"))
    reason = _reason(response, "targetGroup")
    assert "list 'target-groups'" in reason and "/v1/reference/target-groups" in reason
    candidate = await register(intake)
    response = await intake.client.post(
        f"/v1/candidates/{candidate['id']}/route-decisions", headers=auth(),
        json={"route": "refer", "provider": "WSD-OOST", "question": "werkdiagnose"})
    reason = _reason(response, "provider")
    assert "list 'providers'" in reason and "ABILITY, IBN, WERKBEDRIJF-ZOETERMEER" in reason
    response = await intake.client.post(
        f"/v1/candidates/{candidate['id']}/closures", headers=auth(), json={"reason": "werk"})
    assert "/v1/reference/closure-reasons" in _reason(response, "reason")


async def test_a_query_code_names_its_list_too(intake: IntakeUnderTest) -> None:
    await register(intake)
    response = await intake.client.get("/v1/candidates", params={"targetGroup": "werkloos"},
                                       headers=auth())
    assert "list 'target-groups'" in _reason(response, "targetGroup")
    listed = await intake.client.get("/v1/candidates", params={"targetGroup": "bijstand",
                                                               "route": "refer"},
                                     headers=auth())
    assert (listed.status_code, listed.json()["total"]) == (200, 0)  # registered, not referred
    mine = await intake.client.get("/v1/candidates", params={"targetGroup": "bijstand"},
                                   headers=auth())
    assert mine.json()["total"] == 1
