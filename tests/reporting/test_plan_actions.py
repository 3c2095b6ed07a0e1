"""Issue 15: the lokaal-plan actions a gemeente keeps through the API (action, owner, status, a
note per period) — written only by that gemeente's own controller or admin (403 before 400 for
anyone else), read by it and by its boards, bad input a 400 problem, shown in the monitor; and
reporting's reference lists."""

from __future__ import annotations

import uuid

import pytest

from shared.auth import OrgKind, Role
from tests.reporting.conftest import BOXTEL, GESTEL, Reporting, board_auth, gemeente_auth
from tests.support.services import bearer

ACTIONS = f"/v1/reports/lokaal-plan/{BOXTEL}/actions"
PROBLEM = "application/problem+json"
GOOD = {"action": "Werkacademie Jongeren uitbreiden naar Haaren", "owner": "team Werk",
        "status": "in-progress"}


async def create(r: Reporting, body: dict[str, object] | None = None,
                 headers: dict[str, str] | None = None) -> dict[str, object]:
    response = await r.client.post(ACTIONS, json=body or GOOD,
                                   headers=headers or gemeente_auth(BOXTEL))
    assert response.status_code == 201, response.text
    return dict(response.json())


async def test_the_gemeente_keeps_its_actions_and_notes(reporting: Reporting) -> None:
    created = await create(reporting)
    assert (created["gemeenteName"], created["status"], created["statusLabel"]) == (
        "Boxtel", "in-progress", "Loopt")
    path = f"{ACTIONS}/{created['id']}"
    note = await reporting.client.put(f"{path}/notes/2026-H1", headers=gemeente_auth(BOXTEL),
                                      json={"note": "12 jongeren gestart in Haaren"})
    assert note.status_code == 200 and note.json()["period"] == "2026-H1"
    changed = await reporting.client.put(path, headers=gemeente_auth(BOXTEL, Role.ADMIN),
                                         json={**GOOD, "status": "delayed"})
    assert changed.status_code == 200
    assert (changed.json()["statusLabel"], changed.json()["notes"][0]["note"]) == (
        "Vertraagd", "12 jongeren gestart in Haaren")
    # The gemeente's board (WSD's, Boxtel among its gemeenten) reads them too.
    listed = await reporting.get(ACTIONS, board_auth((BOXTEL, GESTEL)))
    assert [a["action"] for a in listed.json()["items"]] == [GOOD["action"]]
    monitor = await reporting.get("/dashboard/monitor", gemeente_auth(BOXTEL), period="2026-H1")
    assert ("<td>Werkacademie Jongeren uitbreiden naar Haaren</td><td>team Werk</td>"
            "<td>Vertraagd</td><td>12 jongeren gestart in Haaren</td>") in monitor.text
    # Another period shows the action without that period's note.
    later = await reporting.get("/dashboard/monitor", gemeente_auth(BOXTEL), period="2026-H2")
    assert "<td>Vertraagd</td><td>–</td>" in later.text


async def test_an_idempotency_key_creates_once(reporting: Reporting) -> None:
    headers = {**gemeente_auth(BOXTEL), "Idempotency-Key": str(uuid.uuid4())}
    first = await reporting.client.post(ACTIONS, json=GOOD, headers=headers)
    again = await reporting.client.post(ACTIONS, json=GOOD, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert first.headers["location"] == f"{ACTIONS}/{first.json()['id']}"
    other = await reporting.client.post(ACTIONS, json={**GOOD, "owner": "x"}, headers=headers)
    assert other.status_code == 409
    assert len((await reporting.get(ACTIONS, gemeente_auth(BOXTEL))).json()["items"]) == 1


@pytest.mark.parametrize("who", ["other-gemeente", "own-caseworker", "own-board",
                                 "provider-board", "provider-admin", "wsp-admin", "platform"])
async def test_only_the_gemeente_itself_writes(reporting: Reporting, who: str) -> None:
    tokens = {"other-gemeente": gemeente_auth(GESTEL),
              "own-caseworker": gemeente_auth(BOXTEL, Role.CASEWORKER),
              "own-board": gemeente_auth(BOXTEL, Role.BOARD),
              "provider-board": board_auth((BOXTEL, GESTEL)),
              "provider-admin": bearer("WSD", OrgKind.PROVIDER, Role.ADMIN, gemeenten=(BOXTEL,)),
              "wsp-admin": bearer("WSP-NOB", OrgKind.WSP, Role.ADMIN, gemeenten=(BOXTEL,)),
              "platform": bearer("PLATFORM", OrgKind.PLATFORM, Role.ADMIN)}
    existing = await create(reporting)
    # 403 before the body is read: a bad body from them is still a 403, never a 400.
    for body in (GOOD, {"action": ""}, {"status": "nope"}):
        response = await reporting.client.post(ACTIONS, json=body, headers=tokens[who])
        assert response.status_code == 403, (who, body, response.text)
        assert response.headers["content-type"] == PROBLEM
    path = f"{ACTIONS}/{existing['id']}"
    assert (await reporting.client.put(path, json=GOOD, headers=tokens[who])).status_code == 403
    assert (await reporting.client.put(f"{path}/notes/2026-H1", json={"note": "x"},
                                       headers=tokens[who])).status_code == 403
    unchanged = (await reporting.get(ACTIONS, gemeente_auth(BOXTEL))).json()["items"]
    assert [(a["status"], a["notes"]) for a in unchanged] == [("in-progress", [])]


async def test_tenancy_of_reading(reporting: Reporting) -> None:
    await create(reporting)
    assert (await reporting.get(ACTIONS, gemeente_auth(GESTEL))).status_code == 403
    assert (await reporting.get(ACTIONS, board_auth((GESTEL,)))).status_code == 403
    # Sint-Michielsgestel's own list is empty: Boxtel's actions are not in it.
    own = await reporting.get(f"/v1/reports/lokaal-plan/{GESTEL}/actions", gemeente_auth(GESTEL))
    assert own.json()["items"] == []
    # An action of Boxtel asked for under Sint-Michielsgestel's path is not found for it.
    boxtel_action = (await reporting.get(ACTIONS, gemeente_auth(BOXTEL))).json()["items"][0]
    path = f"/v1/reports/lokaal-plan/{GESTEL}/actions/{boxtel_action['id']}"
    assert (await reporting.get(path, gemeente_auth(GESTEL))).status_code == 404
    put = await reporting.client.put(path, json=GOOD, headers=gemeente_auth(GESTEL))
    assert put.status_code == 404


@pytest.mark.parametrize(("body", "field"), [
    ({**GOOD, "status": "half-done"}, "status"),
    ({**GOOD, "action": "   "}, "action"),
    ({**GOOD, "owner": "x" * 201}, "owner"),
    ({"action": "a", "owner": "b"}, "status"),
    ({**GOOD, "extra": 1}, "extra"),
])
async def test_bad_input_is_a_400(reporting: Reporting, body: dict[str, object],
                                  field: str) -> None:
    response = await reporting.client.post(ACTIONS, json=body, headers=gemeente_auth(BOXTEL))
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == PROBLEM
    params = response.json()["invalidParams"]
    assert any(field in p["name"] for p in params), params
    if field == "status" and "status" in body:
        assert "list 'lokaal-plan-action-statuses'" in params[0]["reason"]
    assert (await reporting.get(ACTIONS, gemeente_auth(BOXTEL))).json()["items"] == []


async def test_bad_paths_are_a_400_or_404(reporting: Reporting) -> None:
    created = await create(reporting)
    auth = gemeente_auth(BOXTEL)
    bad_period = await reporting.client.put(f"{ACTIONS}/{created['id']}/notes/9999-H1",
                                            json={"note": "x"}, headers=auth)
    assert bad_period.status_code == 400
    bad_id = await reporting.client.put(f"{ACTIONS}/not-a-uuid", json=GOOD, headers=auth)
    assert bad_id.status_code == 400
    unknown = await reporting.client.put(f"{ACTIONS}/{uuid.uuid4()}/notes/2026-H1",
                                         json={"note": "x"}, headers=auth)
    assert unknown.status_code == 404 and unknown.headers["content-type"] == PROBLEM
    empty_note = await reporting.client.put(f"{ACTIONS}/{created['id']}/notes/2026-H1",
                                            json={"note": ""}, headers=auth)
    assert empty_note.status_code == 400


async def test_reference_lists(reporting: Reporting) -> None:
    index = (await reporting.client.get("/v1/reference")).json()["lists"]
    assert [entry["name"] for entry in index] == [
        "reports", "period-kinds", "lokaal-plan-action-statuses"]
    reports = (await reporting.client.get("/v1/reference/reports")).json()["items"]
    assert {"code": "lks", "label": "Loonkostensubsidie"} == {
        k: v for k, v in reports[[r["code"] for r in reports].index("lks")].items()
        if k in ("code", "label")}
    assert len(reports) == 13  # every report under /v1/reports/{code}
    statuses = (await reporting.client.get(
        "/v1/reference/lokaal-plan-action-statuses")).json()["items"]
    assert [(s["code"], s["label"]) for s in statuses] == [
        ("planned", "Gepland"), ("in-progress", "Loopt"), ("delayed", "Vertraagd"),
        ("done", "Afgerond"), ("stopped", "Gestopt")]
    kinds = (await reporting.client.get("/v1/reference/period-kinds")).json()["items"]
    assert [k["code"] for k in kinds] == ["month", "quarter", "half-year", "year"]
    assert (await reporting.client.get("/v1/reference/nope")).status_code == 404


async def test_the_regional_view_as_json(reporting: Reporting) -> None:
    """WSD's board reads its region; nobody else does (403), an unknown uitvoerder is 404."""
    from tests.reporting.stories import two_gemeenten

    await reporting.publish(two_gemeenten().envelopes)
    await reporting.drained()
    put = await reporting.client.put("/v1/reports/regional-targets/WSD/2026", json={"places": 2100},
                                     headers=board_auth((BOXTEL, GESTEL)))
    assert put.status_code == 200, put.text
    response = await reporting.get("/v1/reports/regional/WSD", board_auth((BOXTEL, GESTEL)),
                                   period="2026-H1")
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["organisationName"], body["regionalTarget"]) == ("WSD", 2100)
    assert [g["gemeenteName"] for g in body["gemeenten"]] == ["Boxtel", "Sint-Michielsgestel"]
    # The story: 5 places realised in Boxtel and 3 in Sint-Michielsgestel on 30 June. The 3
    # is "<5"; an exact total of 8 would give it away, so the total is rounded to tens: 10,
    # and 10 of 2,100 = 0.47…% → 0.5, a JSON number.
    assert [g["placesRealised"] for g in body["gemeenten"]] == [5, "<5"]
    assert body["total"]["placesRealised"] == 10 and body["pctOfRegionalTarget"] == 0.5
    assert "placesRealised" in body["totalRoundedToTens"]
    # Funded places are decisions, never hidden: 4 and 2 in the story.
    assert [g["fundedPlaces"] for g in body["gemeenten"]] == [4, 2]
    for who in (gemeente_auth(BOXTEL), bearer("WSD", OrgKind.PROVIDER, Role.CONTROLLER,
                                              gemeenten=(BOXTEL,)),
                board_auth((BOXTEL,), org="IBN")):
        denied = await reporting.get("/v1/reports/regional/WSD", who)
        assert denied.status_code == 403, denied.text
    unknown = await reporting.get("/v1/reports/regional/NOPE", board_auth(org="NOPE"))
    assert unknown.status_code == 404
