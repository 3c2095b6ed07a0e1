"""Tenancy on every endpoint: an uitvoerder matches only candidates whose programme it runs in
its gemeenten, a gemeente its own residents; vacancies by the gemeente where the work is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from services.matching.store.models import (
    Employer,
    Placement,
    Proposal,
    Vacancy,
    WebhookSubscription,
)
from shared.auth import OrgKind, Role
from shared.store import OutboxMessage
from tests.matching.conftest import (
    BOXTEL,
    HEAVY,
    IBN,
    LIGHT,
    ROERMOND,
    VUGHT,
    WSD,
    employer,
    gemeente_staff,
    matchable_candidate,
    staff,
    vacancy,
)
from tests.support.services import ServiceUnderTest, bearer


@dataclass
class World:
    """One of everything, kept by WSD for a Boxtel resident."""

    candidate: str
    employer: str
    vacancy: str
    proposal: str
    placement: str
    subscription: str


@pytest.fixture
async def world(matching: ServiceUnderTest) -> World:
    candidate = str(await matchable_candidate(matching))
    employer_id = await employer(matching)
    vacancy_id = await vacancy(matching, [HEAVY, LIGHT], employer_id=employer_id)
    proposal = await matching.client.post(f"/v1/vacancies/{vacancy_id}/proposals",
                                          json={"candidateId": candidate}, headers=staff())
    placement = await matching.client.post("/v1/placements", headers=staff(), json={
        "candidateId": candidate, "employerId": employer_id, "form": "trial",
        "hoursPerWeek": 16, "hourlyWage": "0.00", "startDate": "2026-02-02",
        "plannedEnd": "2026-05-01"})
    subscription = await matching.client.post("/v1/webhook-subscriptions", headers=staff(),
                                              json={"url": "http://127.0.0.1:9/hooks",
                                                    "eventTypes": ["nl.participatiewet."
                                                                   "matching.vacancy-closed"]})
    for response in (proposal, placement, subscription):
        assert response.status_code == 201, response.text
    return World(candidate, employer_id, vacancy_id, proposal.json()["id"],
                 placement.json()["id"], subscription.json()["id"])


def reads(w: World) -> list[str]:
    return [f"/v1/employers/{w.employer}", f"/v1/vacancies/{w.vacancy}",
            f"/v1/vacancies/{w.vacancy}/matches", f"/v1/candidates/{w.candidate}/matches",
            f"/v1/proposals/{w.proposal}", f"/v1/placements/{w.placement}",
            f"/v1/webhook-subscriptions/{w.subscription}",
            f"/v1/webhook-subscriptions/{w.subscription}/deliveries"]


def lists() -> list[str]:
    return ["/v1/employers", "/v1/vacancies", "/v1/proposals", "/v1/placements",
            "/v1/webhook-subscriptions"]


def writes(w: World) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        ("POST", f"/v1/vacancies/{w.vacancy}/closures", {"reason": "filled"}),
        ("POST", f"/v1/vacancies/{w.vacancy}/carvings", {"tasks": ["orders picken"]}),
        ("POST", f"/v1/vacancies/{w.vacancy}/proposals", {"candidateId": w.candidate}),
        ("POST", f"/v1/proposals/{w.proposal}/status-changes", {"status": "withdrawn"}),
        ("POST", "/v1/placements", {"candidateId": w.candidate, "employerId": w.employer,
                                    "form": "lks", "hoursPerWeek": 16, "hourlyWage": "14.71",
                                    "startDate": "2026-02-02"}),
        ("POST", f"/v1/placements/{w.placement}/endings",
         {"endDate": "2026-03-01", "reason": "completed"}),
        ("DELETE", f"/v1/webhook-subscriptions/{w.subscription}", {}),
    ]


WRITTEN = (Employer, Vacancy, Proposal, Placement, WebhookSubscription, OutboxMessage)


async def written(service: ServiceUnderTest) -> list[int]:
    return [await service.count(model) for model in WRITTEN]


def assert_problem(response: httpx.Response, *statuses: int) -> None:
    assert response.status_code in statuses, (response.request.url, response.text)
    assert response.headers["content-type"].startswith("application/problem+json")


OUTSIDERS = {
    "other-provider-same-gemeente": staff(IBN, gemeenten=(BOXTEL, VUGHT)),
    "other-provider-elsewhere": staff(IBN, gemeenten=(ROERMOND,)),
    "other-gemeente": gemeente_staff(VUGHT),
}


@pytest.mark.parametrize("outsider", OUTSIDERS.values(), ids=OUTSIDERS.keys())
async def test_outsiders_see_nothing_and_change_nothing(
        matching: ServiceUnderTest, world: World, outsider: dict[str, str]) -> None:
    sees_vacancy = outsider is OUTSIDERS["other-provider-same-gemeente"]
    for path in reads(world):
        response = await matching.client.get(path, headers=outsider)
        if sees_vacancy and path.startswith(("/v1/employers", "/v1/vacancies")):
            assert response.status_code == 200, path  # IBN works in Boxtel: the vacancy too
            if path.endswith("/matches"):
                assert response.json()["items"] == []  # … but not WSD's candidates
            continue
        assert_problem(response, 404)
    for path in lists():
        listed = (await matching.client.get(path, headers=outsider)).json()
        if sees_vacancy and path in ("/v1/employers", "/v1/vacancies"):
            assert listed["total"] == 1
        else:
            assert (listed["items"], listed["total"]) == ([], 0), path
    before = await written(matching)
    for method, path, body in writes(world):
        response = await matching.client.request(method, path, headers=outsider,
                                                 json=body or None)
        if sees_vacancy and path.endswith("/closures"):
            assert_problem(response, 403)  # only WSD (which keeps it) or Boxtel closes it
        elif sees_vacancy and path.endswith("/carvings"):
            # Jobcarving is shared work: IBN may carve a job of its gemeente, as its own.
            assert (response.status_code, response.json()["ownerOrg"]) == (201, IBN)
        else:
            assert_problem(response, 404)
    if not sees_vacancy:
        assert await written(matching) == before


async def test_without_the_gemeente_in_its_token_a_provider_loses_its_candidates(
        matching: ServiceUnderTest, world: World) -> None:
    roermond_only = staff(WSD, gemeenten=(ROERMOND,))
    # WSD still sees the vacancy it keeps, but no Boxtel resident: not in its token.
    matches = await matching.client.get(f"/v1/vacancies/{world.vacancy}/matches",
                                        headers=roermond_only)
    assert (matches.status_code, matches.json()["items"]) == (200, [])
    for path in (f"/v1/candidates/{world.candidate}/matches", f"/v1/proposals/{world.proposal}",
                 f"/v1/placements/{world.placement}"):
        assert_problem(await matching.client.get(path, headers=roermond_only), 404)


async def test_the_gemeente_sees_its_residents_matches_and_placements(
        matching: ServiceUnderTest, world: World) -> None:
    boxtel = gemeente_staff(BOXTEL)
    matches = (await matching.client.get(f"/v1/vacancies/{world.vacancy}/matches",
                                         headers=boxtel)).json()
    assert [m["candidateId"] for m in matches["items"]] == [world.candidate]
    for path in (f"/v1/candidates/{world.candidate}/matches", f"/v1/proposals/{world.proposal}",
                 f"/v1/placements/{world.placement}"):
        assert (await matching.client.get(path, headers=boxtel)).status_code == 200, path
    # Its own webhook subscriptions are its own: WSD's is not shown to it.
    assert_problem(await matching.client.get(
        f"/v1/webhook-subscriptions/{world.subscription}", headers=boxtel), 404)


ROLES = {
    "wsp": bearer("WSP-NOORDOOST-BRABANT", OrgKind.WSP, Role.ACCOUNT_MANAGER,
                  gemeenten=(BOXTEL,)),
    "consultant-writes": staff(role=Role.CONSULTANT),
    "caseworker-writes": gemeente_staff(role=Role.CASEWORKER),
}


@pytest.mark.parametrize("caller", ROLES.values(), ids=ROLES.keys())
async def test_roles_without_the_right_are_403(matching: ServiceUnderTest, world: World,
                                               caller: dict[str, str]) -> None:
    before = await written(matching)
    is_wsp = caller is ROLES["wsp"]
    for method, path, body in writes(world):
        response = await matching.client.request(method, path, headers=caller,
                                                 json=body or None)
        # A WSP's accountmanager manages webhooks and keeps employers and vacancies (issue
        # 15), but only its own organisation's: WSD's are not there for it (404).
        wsp_keeps = is_wsp and (method == "DELETE" or path.endswith("/closures"))
        assert_problem(response, 404 if wsp_keeps else 403)
    assert await written(matching) == before
    if is_wsp:
        for path in reads(world)[:2]:  # WSD's employer and vacancy
            assert_problem(await matching.client.get(path, headers=caller), 404)
        for path in reads(world)[2:6]:  # candidates, matches, proposals, placements
            assert_problem(await matching.client.get(path, headers=caller), 403)
        return
    created = await matching.client.post("/v1/employers", headers=caller, json={
        "kvkNumber": "11112222", "name": "X", "sector": "groen", "gemeente": BOXTEL})
    assert_problem(created, 403)
    assert await written(matching) == before


# Issue 13: the role check runs before the body is validated, so a caller without the role
# learns nothing about the schema: 403 whatever it sends.
SCHEMA_BREAKERS = {"startDate": "9999-12-31", "hoursPerWeek": "many", "throughUwv": "yes",
                   "status": 7, "reason": None, "tasks": "all", "candidateId": "jan",
                   "noSuchField": True}


@pytest.mark.parametrize("caller", ROLES.values(), ids=ROLES.keys())
async def test_without_the_role_a_malformed_body_is_403_not_400(
        matching: ServiceUnderTest, world: World, caller: dict[str, str]) -> None:
    before = await written(matching)
    creating = [("POST", "/v1/employers", {}), ("POST", "/v1/vacancies", {})]
    # A WSP's accountmanager keeps employers and vacancies (issue 15): those writes are its
    # role's, so its malformed bodies there are 400s; every other write is still a 403.
    wsp_keeps = ("/v1/employers", "/v1/vacancies", "/closures")
    for method, path, body in [*writes(world), *creating]:
        if method != "POST" or (caller is ROLES["wsp"] and path.endswith(wsp_keeps)):
            continue
        response = await matching.client.post(path, headers=caller,
                                              json={**body, **SCHEMA_BREAKERS})
        assert_problem(response, 403)
    if caller is not ROLES["wsp"]:  # a WSP's accountmanager may manage its webhooks
        response = await matching.client.post("/v1/webhook-subscriptions", headers=caller,
                                              json={"url": 7, **SCHEMA_BREAKERS})
        assert_problem(response, 403)
    assert await written(matching) == before


async def test_without_the_role_a_bad_path_id_is_403_not_400(matching: ServiceUnderTest) -> None:
    caseworker = gemeente_staff(role=Role.CASEWORKER)
    for method, path in (("POST", "/v1/vacancies/x/closures"), ("POST", "/v1/proposals/x/"
                         "status-changes"), ("POST", "/v1/placements/x/endings"),
                         ("DELETE", "/v1/webhook-subscriptions/x"),
                         ("POST", "/v1/webhook-deliveries/x/redeliveries")):
        assert_problem(await matching.client.request(method, path, headers=caseworker), 403)


async def test_a_vacancy_only_in_a_gemeente_you_act_for(matching: ServiceUnderTest,
                                                        world: World) -> None:
    response = await matching.client.post("/v1/vacancies", headers=staff(), json={
        "employerId": world.employer, "title": "Elders", "werksoort": "groen",
        "gemeente": ROERMOND, "hoursPerWeek": 16, "contractForms": ["lks"], "tasks": [LIGHT]})
    assert_problem(response, 403)
    hidden = await employer(matching, staff(IBN, gemeenten=(ROERMOND,)), gemeente=ROERMOND)
    response = await matching.client.post("/v1/vacancies", headers=staff(), json={
        "employerId": hidden, "title": "Elders", "werksoort": "groen", "gemeente": BOXTEL,
        "hoursPerWeek": 16, "contractForms": ["lks"], "tasks": [LIGHT]})
    assert_problem(response, 404)
