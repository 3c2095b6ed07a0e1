"""The seeds' story, published by `seed-demo` onto the bus, read back through the report APIs."""

from __future__ import annotations

from typing import Any

from services.reporting.demo import TARGETS, seed_demo
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
    board_targets = await reporting.get("/v1/reports/targets", board_auth(tuple(TARGETS)),
                                        year=2026)
    assert sum(t["places"] for t in board_targets.json()["items"]) == 2100

    youth = await rows(reporting, "youth", board_auth((BOXTEL, GESTEL)), period="2026-H1")
    by_gemeente = {g: [r for r in youth if r["gemeente"] == g] for g in (BOXTEL, GESTEL)}
    assert sorted({r["age"] for r in youth}) == list(range(16, 27))
    own = await rows(reporting, "youth", gemeente_auth(BOXTEL), period="2026-H1")
    assert [sum(r[k] for r in own) for k in ("sw", "pWet", "stages", "total")] == [6, 43, 10, 59]
    gestel = await rows(reporting, "youth", gemeente_auth(GESTEL), period="2026-H1")
    assert [sum(r[k] for r in gestel) for k in ("sw", "pWet", "stages")] == [1, 10, 1]
    assert len(by_gemeente[BOXTEL]) + len(by_gemeente[GESTEL]) == len(youth)

    mwd = {r["measure"]: r["people"] for r in await rows(
        reporting, "trajectories", gemeente_auth(MEIERIJSTAD), period="2026-H1")
        if r["instrument"] == "mijn-werk-dichtbij"}
    assert (mwd["referred"], mwd["started"], mwd["closed:other-trajectory"],
            mwd["closed:no-benefit"], mwd["closed:starts-later"],
            mwd["closed:regular-work"], mwd["final-diagnosis-within-3-months"]) == (
        26, 10, 9, 1, 2, 1, 4)

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

    # seed-demo again: the same event ids, so nothing changes.
    assert await seed_demo(reporting.settings) == published
    await reporting.drained()
    (again,) = await rows(reporting, "budget", gemeente_auth(), period="2026-H1")
    assert again == budget
