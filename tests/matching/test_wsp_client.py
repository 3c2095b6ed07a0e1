"""The WSP as a full client (issue 15): with a `wsp` token it reads and changes its own employers
and vacancies over REST, beside its webhook; another WSP gets 404, staff who see it get 403 on a
change; changes publish the same events as before."""

from __future__ import annotations

from typing import Any

import httpx

from shared.auth import OrgKind, Role
from tests.matching.conftest import (
    BOXTEL,
    HEAVY,
    LIGHT,
    WSP,
    matchable_candidate,
    outbox_events,
    staff,
)
from tests.matching.test_inbound_webhook import message, send, signed
from tests.support.services import ServiceUnderTest, bearer

EVENT = "nl.participatiewet.matching."
OTHER_WSP = "WSP-MLO"


def wsp(org: str = WSP, role: Role = Role.ACCOUNT_MANAGER) -> dict[str, str]:
    return bearer(org, OrgKind.WSP, role, gemeenten=(BOXTEL,))


async def pushed(matching: ServiceUnderTest, **vacancy: Any) -> str:
    """A vacancy (and its employer) the WSP pushed by webhook; the vacancy id."""
    body = message(**vacancy)
    response = await send(matching, body, signed(body))
    assert response.status_code == 201, response.text
    return str(response.json()["vacancyId"])


def ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def problem(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_the_wsp_reads_what_it_pushed_and_another_wsp_does_not(
        matching: ServiceUnderTest) -> None:
    vacancy_id = await pushed(matching)
    mine = ok(await matching.client.get(f"/v1/vacancies/{vacancy_id}", headers=wsp()))
    assert (mine["ownerOrg"], mine["externalRef"], mine["hoursPerWeek"]) == (
        WSP, "WSP-2026-0042", 32)
    (listed,) = ok(await matching.client.get("/v1/vacancies", headers=wsp()))["items"]
    assert listed["id"] == vacancy_id
    by_ref = ok(await matching.client.get("/v1/vacancies", headers=wsp(),
                                          params={"externalRef": "WSP-2026-0042"}))
    assert [v["id"] for v in by_ref["items"]] == [vacancy_id]
    assert ok(await matching.client.get("/v1/vacancies", headers=wsp(),
                                        params={"externalRef": "WSP-2026-9999"}))["total"] == 0
    employer = ok(await matching.client.get(f"/v1/employers/{mine['employerId']}",
                                            headers=wsp()))
    assert (employer["ownerOrg"], employer["kvkNumber"]) == (WSP, "87654321")
    assert ok(await matching.client.get("/v1/employers", headers=wsp()))["total"] == 1

    other = wsp(OTHER_WSP)  # works in Boxtel too, but keeps none of it
    problem(await matching.client.get(f"/v1/vacancies/{vacancy_id}", headers=other), 404)
    problem(await matching.client.get(f"/v1/employers/{mine['employerId']}", headers=other), 404)
    assert ok(await matching.client.get("/v1/vacancies", headers=other))["total"] == 0
    assert ok(await matching.client.get("/v1/employers", headers=other))["total"] == 0
    problem(await matching.client.patch(f"/v1/vacancies/{vacancy_id}", headers=other,
                                        json={"positions": 3}), 404)
    problem(await matching.client.patch(f"/v1/employers/{mine['employerId']}", headers=other,
                                        json={"name": "Overgenomen BV"}), 404)
    problem(await matching.client.post(f"/v1/vacancies/{vacancy_id}/closures", headers=other,
                                       json={"reason": "withdrawn"}), 404)


async def test_a_wsp_sees_no_candidates_and_needs_the_accountmanager_role(
        matching: ServiceUnderTest) -> None:
    vacancy_id = await pushed(matching)
    problem(await matching.client.get(f"/v1/vacancies/{vacancy_id}/matches", headers=wsp()), 403)
    problem(await matching.client.get("/v1/placements", headers=wsp()), 403)
    consultant = wsp(role=Role.CONSULTANT)
    problem(await matching.client.get("/v1/vacancies", headers=consultant), 403)
    # 403 before the body is read: a bad body from the wrong role is still a 403.
    problem(await matching.client.patch(f"/v1/vacancies/{vacancy_id}", headers=consultant,
                                        json={"positions": "many"}), 403)


async def test_a_wsp_update_publishes_the_vacancy_again(matching: ServiceUnderTest) -> None:
    vacancy_id = await pushed(matching)
    changed = ok(await matching.client.patch(f"/v1/vacancies/{vacancy_id}", headers=wsp(),
                                             json={"positions": 3, "title": "Inpakker (3x)",
                                                   "hourlyWage": "15.25"}))
    assert (changed["positions"], changed["title"], changed["hourlyWage"]) == (
        3, "Inpakker (3x)", "15.25")
    assert (changed["hoursPerWeek"], [t["name"] for t in changed["tasks"]]) == (
        32, ["pallets laden", "orders picken"])  # unchanged fields stay as they were
    published = await outbox_events(matching, EVENT + "vacancy-published")
    assert [e["data"]["positions"] for e in published] == [1, 3]
    assert published[-1]["data"]["vacancyId"] == vacancy_id

    # Hours and tasks change together; the result is checked as a whole.
    problem(await matching.client.patch(f"/v1/vacancies/{vacancy_id}", headers=wsp(),
                                        json={"hoursPerWeek": 16}), 400)
    fewer = ok(await matching.client.patch(f"/v1/vacancies/{vacancy_id}", headers=wsp(),
                                           json={"hoursPerWeek": 16, "tasks": [LIGHT],
                                                 "hourlyWage": None}))
    assert (fewer["hoursPerWeek"], fewer["hourlyWage"], len(fewer["tasks"])) == (16, None, 1)
    problem(await matching.client.patch(f"/v1/vacancies/{vacancy_id}", headers=wsp(),
                                        json={}), 400)
    assert len(await outbox_events(matching, EVENT + "vacancy-published")) == 3

    employer_id = changed["employerId"]
    renamed = ok(await matching.client.patch(f"/v1/employers/{employer_id}", headers=wsp(),
                                             json={"name": "Bakkerij Van Boxtel BV",
                                                   "sector": "horeca"}))
    assert (renamed["name"], renamed["sector"], renamed["kvkNumber"]) == (
        "Bakkerij Van Boxtel BV", "horeca", "87654321")
    problem(await matching.client.patch(f"/v1/employers/{employer_id}", headers=wsp(),
                                        json={"kvkNumber": "11111111"}), 400)

    closed = ok(await matching.client.post(f"/v1/vacancies/{vacancy_id}/closures",
                                           headers=wsp(), json={"reason": "withdrawn"}), 201)
    assert closed["status"] == "closed"
    (event,) = await outbox_events(matching, EVENT + "vacancy-closed")
    assert (event["data"]["vacancyId"], event["data"]["reason"]) == (vacancy_id, "withdrawn")
    problem(await matching.client.patch(f"/v1/vacancies/{vacancy_id}", headers=wsp(),
                                        json={"positions": 2}), 409)


async def test_fewer_positions_than_placed_closes_it_as_filled(
        matching: ServiceUnderTest) -> None:
    vacancy_id = await pushed(matching, positions=2, contractForms=["trial"])
    shown = ok(await matching.client.get(f"/v1/vacancies/{vacancy_id}", headers=wsp()))
    candidate = await matchable_candidate(matching)
    ok(await matching.client.post("/v1/placements", headers=staff(), json={
        "candidateId": str(candidate), "employerId": shown["employerId"],
        "vacancyId": vacancy_id, "form": "trial", "hoursPerWeek": 16, "hourlyWage": "0.00",
        "startDate": "2026-01-05", "plannedEnd": "2026-03-31"}), 201)
    changed = ok(await matching.client.patch(f"/v1/vacancies/{vacancy_id}", headers=wsp(),
                                             json={"positions": 1}))
    assert (changed["status"], changed["closeReason"], changed["positions"]) == (
        "closed", "filled", 1)
    (event,) = await outbox_events(matching, EVENT + "vacancy-closed")
    assert (event["data"]["vacancyId"], event["data"]["reason"]) == (vacancy_id, "filled")


async def test_a_wsp_registers_over_rest_and_only_the_keeper_changes(
        matching: ServiceUnderTest) -> None:
    employer = ok(await matching.client.post("/v1/employers", headers=wsp(), json={
        "kvkNumber": "23456789", "name": "Tuincentrum De Linde", "sector": "groen",
        "gemeente": BOXTEL}), 201)
    assert employer["ownerOrg"] == WSP
    vacancy = ok(await matching.client.post("/v1/vacancies", headers=wsp(), json={
        "employerId": employer["id"], "title": "Hovenier", "werksoort": "groen",
        "gemeente": BOXTEL, "hoursPerWeek": 32, "contractForms": ["lks"],
        "tasks": [HEAVY, LIGHT]}), 201)
    assert (vacancy["ownerOrg"], vacancy["externalRef"]) == (WSP, None)
    assert ok(await matching.client.get("/v1/vacancies", headers=wsp()))["total"] == 1
    # WSD works in Boxtel: it sees the WSP's vacancy (to match its candidates) but keeps none.
    assert ok(await matching.client.get(f"/v1/vacancies/{vacancy['id']}",
                                        headers=staff()))["ownerOrg"] == WSP
    problem(await matching.client.patch(f"/v1/vacancies/{vacancy['id']}", headers=staff(),
                                        json={"positions": 2}), 403)
    problem(await matching.client.patch(f"/v1/employers/{employer['id']}", headers=staff(),
                                        json={"name": "X"}), 403)
    # A WSP's own vacancy where its token does not act stays refused, as before.
    problem(await matching.client.patch(f"/v1/vacancies/{vacancy['id']}", headers=wsp(),
                                        json={"gemeente": "GM0957"}), 403)
