"""The seeds' story, published by `seed-demo` onto the bus, read back through the report APIs."""

from __future__ import annotations

from typing import Any

from services.reporting.demo import seed_demo
from tests.reporting.conftest import (
    BOXTEL,
    GESTEL,
    MAASGOUW,
    Reporting,
    board_auth,
    gemeente_auth,
)

MEIERIJSTAD = "GM1948"


async def rows(reporting: Reporting, report: str, headers: dict[str, str],
               **params: Any) -> list[dict[str, Any]]:
    response = await reporting.get(f"/v1/reports/{report}", headers, **params)
    assert response.status_code == 200, response.text
    return list(response.json()["rows"])


async def test_the_demo_tells_the_seeds_story(reporting: Reporting) -> None:
    published = await seed_demo(reporting.settings)
    await reporting.drained()

    (budget,) = await rows(reporting, "budget", gemeente_auth(), period="2026-H1")
    assert (budget["atProvider"], budget["fundedPlaces"], budget["aboveBudget"],
            budget["direct"]) == (120, 108, 12, 20)

    places = await rows(reporting, "places", gemeente_auth(), period="2026-H1")
    june = next(r for r in places if r["month"] == "2026-06")
    assert (june["target"], june["sw"], june["pwAtProvider"], june["pwDirect"],
            june["realised"]) == (483, 350, 120, 20, 470)
    # Only Boxtel's target is in the sources; no target is made up for the other gemeenten.
    board_targets = await reporting.get("/v1/reports/targets",
                                        board_auth((BOXTEL, GESTEL, MEIERIJSTAD)), year=2026)
    assert [(t["gemeente"], t["places"]) for t in board_targets.json()["items"]] == [
        (BOXTEL, 483)]
    # The region's 2,100 (SW + PW, WSD's nine gemeenten together) is WSD's board's target.
    regional = await reporting.get("/v1/reports/regional-targets", board_auth(), year=2026)
    assert [(t["organisation"], t["places"]) for t in regional.json()["items"]] == [
        ("WSD", 2100)]

    # Youth exactly as DOMAIN.md's table: Boxtel by age and subgroup ...
    own = await rows(reporting, "youth", gemeente_auth(BOXTEL), period="2026-H1")
    assert {r["age"]: (r["sw"], r["pWet"], r["stages"]) for r in own} == {
        16: (0, 0, 2), 17: (0, 0, 4), 18: (0, 3, 2), 19: (0, 5, 2), 20: (0, 4, 0),
        21: (0, 11, 0), 22: (0, 6, 0), 23: (0, 6, 0), 24: (1, 3, 0), 25: (3, 3, 0),
        26: (2, 2, 0)}
    assert [sum(r[k] for r in own) for k in ("sw", "pWet", "stages", "total")] == [6, 43, 10, 59]
    # ... Sint-Michielsgestel's ages are not legible in the source: one row, age unknown.
    gestel = await rows(reporting, "youth", gemeente_auth(GESTEL), period="2026-H1")
    assert [(r["age"], r["sw"], r["pWet"], r["stages"], r["total"]) for r in gestel] == [
        (None, 1, 10, 1, 12)]

    # The MWD pilot in Boxtel and Sint-Michielsgestel (not Meierijstad), its totals as sourced.
    mwd: dict[str, int] = {}
    for gemeente in (BOXTEL, GESTEL):
        for r in await rows(reporting, "trajectories", gemeente_auth(gemeente),
                            period="2026-H1"):
            if r["instrument"] == "mijn-werk-dichtbij":
                mwd[r["measure"]] = mwd.get(r["measure"], 0) + r["people"]
    assert (mwd["referred"], mwd["started"], mwd["closed:other-trajectory"],
            mwd["closed:no-benefit"], mwd["closed:starts-later"],
            mwd["closed:regular-work"], mwd["final-diagnosis-within-3-months"]) == (
        26, 10, 9, 1, 2, 1, 4)
    assert await rows(reporting, "trajectories", gemeente_auth(MEIERIJSTAD),
                      period="2026-H1") == []

    oad = {r["measure"]: r["people"] for r in await rows(
        reporting, "trajectories", gemeente_auth(BOXTEL), period="2026-H1")
        if r["instrument"] == "oad"}
    assert (oad["closed:through-to-work"], oad["closed:volunteering"],
            oad["closed:back-to-care"], oad["closed:moved"],
            oad["still-working-after-6-months"]) == (2, 1, 7, 2, 2)

    (maasgouw,) = await rows(reporting, "overview", gemeente_auth(MAASGOUW), period="2026-H1")
    assert (maasgouw["registrations"], maasgouw["placementsStarted"]) == (50, 13)
    lks = await rows(reporting, "placements", gemeente_auth(MAASGOUW), period="2026")
    assert [(r["form"], r["started"]) for r in lks] == [("lks", 13)]
    referred = await rows(reporting, "referrals", gemeente_auth(MAASGOUW), period="2026-H1")
    assert [(r["provider"], r["providerName"], r["people"]) for r in referred] == [
        ("WESTROM", "Westrom (entiteit Midden-Limburg Oost)", 30)]

    # What is not from the sources is marked illustrative in the data the reports return.
    marked = (await reporting.get("/v1/reports/budget", gemeente_auth(),
                                  period="2026-H1")).json()["illustrative"]
    assert [(m["gemeente"], m["figure"]) for m in marked] == [(BOXTEL, "price")]
    assert "€ 12.500" in marked[0]["note"]
    youth_marks = (await reporting.get("/v1/reports/youth", gemeente_auth(),
                                       period="2026-H1")).json()["illustrative"]
    assert youth_marks == []  # Boxtel's youth figures are the source's own

    # seed-demo again: the same event ids, so nothing changes.
    assert await seed_demo(reporting.settings) == published
    await reporting.drained()
    (again,) = await rows(reporting, "budget", gemeente_auth(), period="2026-H1")
    assert again == budget
