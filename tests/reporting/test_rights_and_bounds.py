"""Issue 13: a gemeente's target is written only by that gemeente's own controller or admin
(403 for uitvoerders, WSPs, boards and other gemeenten, before the body is validated), and
periods, years and dates outside 2000–2100 are a 400 problem+json on every report, CSV,
dashboard and monitor route (year 0000 and 9999 used to be a 500)."""

from __future__ import annotations

import pytest

from services.reporting.domain.periods import parse_period
from services.reporting.reports import all_reports
from shared.auth import OrgKind, Role
from tests.reporting.conftest import BOXTEL, GESTEL, Reporting, board_auth, gemeente_auth
from tests.support.services import bearer

SLUGS = [report.slug for report in all_reports()]
TARGET = f"/v1/reports/targets/{BOXTEL}/2026"
PROBLEM = "application/problem+json"


async def boxtel_target(r: Reporting) -> int | None:
    items = (await r.get("/v1/reports/targets", gemeente_auth(BOXTEL))).json()["items"]
    return next((t["places"] for t in items if t["year"] == 2026), None)


@pytest.mark.parametrize("who", [
    "provider-controller", "provider-admin", "provider-board", "wsp-admin",
    "other-gemeente-controller", "own-caseworker", "own-board", "platform-admin"])
async def test_only_the_gemeente_itself_sets_its_target(reporting: Reporting, who: str) -> None:
    tokens = {
        # The two tokens of the issue: both list GM0757 among the gemeenten they work for.
        "provider-controller": bearer("WSD", OrgKind.PROVIDER, Role.CONTROLLER,
                                      gemeenten=(BOXTEL,)),
        "wsp-admin": bearer("WSP-NOB", OrgKind.WSP, Role.ADMIN, gemeenten=(BOXTEL,)),
        "provider-admin": bearer("WSD", OrgKind.PROVIDER, Role.ADMIN, gemeenten=(BOXTEL,)),
        "provider-board": board_auth((BOXTEL, GESTEL)),
        "other-gemeente-controller": gemeente_auth(GESTEL, Role.CONTROLLER),
        "own-caseworker": gemeente_auth(BOXTEL, Role.CASEWORKER),
        "own-board": gemeente_auth(BOXTEL, Role.BOARD),
        "platform-admin": bearer("PLATFORM", OrgKind.PLATFORM, Role.ADMIN),
    }
    r = reporting
    assert (await r.client.put(TARGET, json={"places": 483},
                               headers=gemeente_auth(BOXTEL))).status_code == 200
    refused = await r.client.put(TARGET, json={"places": 1}, headers=tokens[who])
    assert refused.status_code == 403, refused.text
    assert refused.headers["content-type"] == PROBLEM
    # 403 before 400: a body that would not validate does not change the answer.
    probe = await r.client.put(TARGET, json={"places": "many", "x": 1}, headers=tokens[who])
    assert probe.status_code == 403, probe.text
    assert await boxtel_target(r) == 483  # unchanged


async def test_the_gemeentes_controller_and_admin_set_it(reporting: Reporting) -> None:
    r = reporting
    first = await r.client.put(TARGET, json={"places": 483}, headers=gemeente_auth(BOXTEL))
    assert first.status_code == 200
    assert (first.json()["places"], first.json()["setBy"]) == (483, "GM0757-controller")
    second = await r.client.put(TARGET, json={"places": 470},
                                headers=gemeente_auth(BOXTEL, Role.ADMIN))
    assert (second.status_code, second.json()["setBy"]) == (200, "GM0757-admin")
    assert await boxtel_target(r) == 470
    # Its own right checked, the body is validated as usual.
    bad = await r.client.put(TARGET, json={"places": "many"}, headers=gemeente_auth(BOXTEL))
    assert bad.status_code == 400 and bad.headers["content-type"] == PROBLEM
    # A token of a CBS-shaped code that is no gemeente we know: nothing to set.
    unknown = await r.client.put("/v1/reports/targets/GM9999/2026", json={"places": 1},
                                 headers=gemeente_auth("GM9999"))
    assert unknown.status_code == 404 and unknown.headers["content-type"] == PROBLEM


@pytest.mark.parametrize("period", ["0000", "9999", "0000-H1", "9999-H2", "9999-12", "1999",
                                    "2101-Q1"])
async def test_periods_outside_2000_2100_are_400_on_every_report(reporting: Reporting,
                                                                 period: str) -> None:
    for slug in SLUGS:
        for output in ("json", "csv"):
            response = await reporting.get(f"/v1/reports/{slug}", gemeente_auth(),
                                           period=period, format=output)
            assert response.status_code == 400, (slug, output, response.text)
            assert response.headers["content-type"] == PROBLEM, slug
            assert [p["name"] for p in response.json()["invalidParams"]] == ["period"], slug


@pytest.mark.parametrize("path", ["/dashboard", "/dashboard/monitor"])
@pytest.mark.parametrize("period", ["0000", "9999", "9999-H2"])
async def test_periods_outside_2000_2100_are_400_on_the_dashboard(
        reporting: Reporting, path: str, period: str) -> None:
    response = await reporting.get(path, gemeente_auth(), period=period)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == PROBLEM


async def test_the_edges_of_the_range_are_fine(reporting: Reporting) -> None:
    for period in ("2000-01", "2100-H2", "2100"):
        response = await reporting.get("/v1/reports/overview", gemeente_auth(), period=period)
        assert response.status_code == 200, (period, response.text)
    assert parse_period("2100-H2").last.isoformat() == "2100-12-31"
    for bad in ("0000", "9999-12", "1999-Q4"):
        with pytest.raises(ValueError):
            parse_period(bad)


@pytest.mark.parametrize("year", ["0000", "9999", "1999", "2101"])
async def test_target_years_outside_2000_2100_are_400(reporting: Reporting, year: str) -> None:
    put = await reporting.client.put(f"/v1/reports/targets/{BOXTEL}/{year}",
                                     json={"places": 483}, headers=gemeente_auth())
    assert put.status_code == 400 and put.headers["content-type"] == PROBLEM
    listed = await reporting.get("/v1/reports/targets", gemeente_auth(), year=year)
    assert listed.status_code == 400 and listed.headers["content-type"] == PROBLEM


REGIONAL = "/v1/reports/regional-targets/WSD/2026"


@pytest.mark.parametrize("who", [
    "provider-controller", "provider-consultant", "other-provider-board", "wsp-admin",
    "gemeente-admin", "platform-admin"])
async def test_only_the_uitvoerders_board_or_admin_sets_its_regional_target(
        reporting: Reporting, who: str) -> None:
    tokens = {
        "provider-controller": bearer("WSD", OrgKind.PROVIDER, Role.CONTROLLER,
                                      gemeenten=(BOXTEL, GESTEL)),
        "provider-consultant": bearer("WSD", OrgKind.PROVIDER, Role.CONSULTANT,
                                      gemeenten=(BOXTEL,)),
        "other-provider-board": bearer("IBN", OrgKind.PROVIDER, Role.BOARD,
                                       gemeenten=(BOXTEL,)),
        "wsp-admin": bearer("WSP-NOB", OrgKind.WSP, Role.ADMIN, gemeenten=(BOXTEL,)),
        "gemeente-admin": gemeente_auth(BOXTEL, Role.ADMIN),
        "platform-admin": bearer("PLATFORM", OrgKind.PLATFORM, Role.ADMIN),
    }
    r = reporting
    board = board_auth((BOXTEL, GESTEL))
    assert (await r.client.put(REGIONAL, json={"places": 2100}, headers=board)).status_code == 200
    for body in ({"places": 1}, {"places": "many"}):
        refused = await r.client.put(REGIONAL, json=body, headers=tokens[who])
        assert refused.status_code == 403, refused.text
        assert refused.headers["content-type"] == PROBLEM
    read = await r.get("/v1/reports/regional-targets", tokens[who])
    if who == "other-provider-board":  # IBN's board reads IBN's own targets: none, not WSD's
        assert (read.status_code, read.json()["items"]) == (200, [])
    else:
        assert read.status_code == 403
    mine = (await r.get("/v1/reports/regional-targets", board, year=2026)).json()["items"]
    assert [(t["organisation"], t["organisationName"], t["places"], t["setBy"])
            for t in mine] == [("WSD", "WSD", 2100, "WSD-board")]


async def test_the_regional_target_by_its_admin_and_bad_input(reporting: Reporting) -> None:
    r = reporting
    admin = bearer("WSD", OrgKind.PROVIDER, Role.ADMIN, gemeenten=(BOXTEL,))
    assert (await r.client.put(REGIONAL, json={"places": 1680}, headers=admin)).status_code == 200
    for path, body in (("/v1/reports/regional-targets/WSD/9999", {"places": 1}),
                       (REGIONAL, {"places": -1}), (REGIONAL, {"places": 5, "x": 1})):
        bad = await r.client.put(path, json=body, headers=admin)
        assert bad.status_code == 400 and bad.headers["content-type"] == PROBLEM, bad.text
    # A provider token for an organisation that is no known uitvoerder: nothing to set.
    unknown = bearer("NOBODY", OrgKind.PROVIDER, Role.ADMIN)
    missing = await r.client.put("/v1/reports/regional-targets/NOBODY/2026",
                                 json={"places": 1}, headers=unknown)
    assert missing.status_code == 404
    listed = (await r.get("/v1/reports/regional-targets", admin)).json()["items"]
    assert [(t["year"], t["places"], t["setBy"]) for t in listed] == [(2026, 1680, "WSD-admin")]
