"""Issue 12: reporting's places and budget figures are shared/figures.py's, on a hand-made
stream with one placement of each kind (Wsw, PW at the uitvoerder, PW direct, regular job,
secondment) and the edges of "running on the reference day"."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from services.reporting.domain.periods import parse_period
from services.reporting.domain.places import budget_day, tally_places
from services.reporting.history import History
from shared.events.matching import PlacementEndReason, PlacementForm
from shared.figures import PlaceKind
from shared.organisations import provider_kvks
from tests.reporting.conftest import BOXTEL, Reporting, gemeente_auth

WSD = "WSD"
WSD_KVK = provider_kvks()[WSD][0]  # WSD itself as the employer (shared/organisations.py)
OTHER_KVK = "30123456"  # an ordinary employer
H1 = "2025-H1"  # last day 2025-06-30: the reference day of the budget for this period


def one_of_each() -> History:
    """Boxtel, guided by WSD, on 30 June 2025:

    wsw at WSD ............................ SW: a place realised, not on the guidance budget
    lks at WSD, sheltered at WSD .......... PW at the uitvoerder: realised and on the budget
    lks at WSD ending 30 June (inclusive) . still running that day: PW at the uitvoerder
    lks at WSD ending 29 June ............. not running: not counted
    trial directly with an employer ....... PW direct: neither realised nor on the budget
    regular job, secondment ............... outcomes, not places
    The guidance budget funds 2 places → 3 at WSD, 1 above budget.
    """
    h = History("one-of-each")
    cases = [("wsw", PlacementForm.WSW, WSD_KVK, None),
             ("lks", PlacementForm.LKS, WSD_KVK, None),
             ("sheltered", PlacementForm.SHELTERED, WSD_KVK, None),
             ("lks-ends-on-day", PlacementForm.LKS, WSD_KVK, date(2025, 6, 30)),
             ("lks-ended-before", PlacementForm.LKS, WSD_KVK, date(2025, 6, 29)),
             ("trial-direct", PlacementForm.TRIAL, OTHER_KVK, None),
             ("regular", PlacementForm.REGULAR, OTHER_KVK, None),
             ("secondment", PlacementForm.SECONDMENT, WSD_KVK, None)]
    for name, form, kvk, end in cases:
        person = h.register(name, BOXTEL, target_group="bijstand", birth_year=1980,
                            on=date(2025, 1, 6))
        h.place(person, BOXTEL, provider=WSD, form=form, employer_kvk=kvk, on=date(2025, 2, 3))
        if end is not None:
            h.end_placement(person, BOXTEL, provider=WSD, form=form, on=end,
                            reason=PlacementEndReason.OTHER)
    h.set_budget(BOXTEL, year=2025, funded_places=2, place_price=Decimal("12500"),
                 lks_budget=Decimal("100000"), on=date(2024, 12, 1))
    return h


async def rows(r: Reporting, slug: str, period: str = H1) -> list[dict[str, Any]]:
    response = await r.get(f"/v1/reports/{slug}", gemeente_auth(BOXTEL), period=period)
    assert response.status_code == 200, response.text
    return list(response.json()["rows"])


async def test_each_kind_counts_where_shared_figures_says(reporting: Reporting) -> None:
    await reporting.publish(one_of_each().envelopes)
    await reporting.drained()

    june = next(r for r in await rows(reporting, "places") if r["month"] == "2025-06")
    assert (june["sw"], june["pwAtProvider"], june["pwDirect"], june["realised"]) == (1, 3, 1, 4)
    may = next(r for r in await rows(reporting, "places") if r["month"] == "2025-05")
    assert (may["pwAtProvider"], may["realised"]) == (4, 5)  # both LKS jobs still ran in May

    (budget,) = await rows(reporting, "budget")
    assert (budget["referenceDay"], budget["fundedPlaces"], budget["atProvider"],
            budget["direct"], budget["aboveBudget"], budget["realisationPct"]) == (
        "2025-06-30", 2, 3, 1, 1, 150.0)

    (overview,) = await rows(reporting, "overview")
    assert (overview["placesRealised"], overview["atProvider"], overview["fundedPlaces"],
            overview["aboveBudget"]) == (4, 3, 2, 1)

    running = {r["form"]: r["activeAtEnd"] for r in await rows(reporting, "placements")}
    assert running == {"lks": 2, "regular": 1, "secondment": 1, "sheltered": 1, "trial": 1,
                       "wsw": 1}

    # The whole year 2025 is judged on 31 December, as finance's budget endpoint judges it.
    (year,) = await rows(reporting, "budget", period="2025")
    assert (year["referenceDay"], year["atProvider"], year["aboveBudget"]) == (
        "2025-12-31", 2, 0)


def test_tally_and_reference_day() -> None:
    kvks = {"WSD": ["90000001"], "IBN": ["90000002"]}
    tallies = tally_places([
        ("GM0757", "wsw", "WSD", "90000001", 3),
        ("GM0757", "lks", "WSD", "90000001", 2),
        ("GM0757", "lks", "WSD", "90000002", 1),  # IBN's KvK, but WSD guides: direct
        ("GM0757", "trial", "IBN", "90000002", 1),
        ("GM0757", "secondment", "WSD", "90000001", 5),
        ("GM0845", "sheltered", "WSD", None, 1)], kvks)
    boxtel = tallies["GM0757"]
    assert (boxtel.sw, boxtel.pw_at_provider, boxtel.pw_direct, boxtel.realised,
            boxtel.on_guidance_budget) == (3, 3, 1, 6, 3)
    assert boxtel.by_kind[PlaceKind.NOT_A_PLACE] == 5
    assert sorted(boxtel.kinds()).count(PlaceKind.PW_AT_PROVIDER) == 3
    assert (tallies["GM0845"].pw_direct, tallies["GM0845"].realised) == (1, 0)

    today = date(2026, 11, 29)
    assert budget_day(parse_period("2026-H1"), today) == date(2026, 6, 30)
    assert budget_day(parse_period("2026"), today) == today
    assert budget_day(parse_period("2026-H2"), today) == today
    assert budget_day(parse_period("2025"), today) == date(2025, 12, 31)
    assert budget_day(parse_period("2027-Q1"), today) == date(2027, 1, 1)
