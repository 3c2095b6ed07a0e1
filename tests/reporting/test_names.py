"""Issue 12: organisations travel by code, people read names — every report row carries the
gemeente's name beside its code (JSON and CSV), referrals the uitvoerder's name, and the
dashboard and monitor show names (shared/organisations.py)."""

from __future__ import annotations

import csv
import io
from datetime import date

from services.reporting.history import History
from services.reporting.reports import all_reports
from shared.events.intake import ReferralQuestion
from tests.reporting.conftest import (
    BOXTEL,
    GESTEL,
    MAASGOUW,
    Reporting,
    board_auth,
    gemeente_auth,
)
from tests.reporting.stories import two_gemeenten

WESTROM_NAME = "Westrom (entiteit Midden-Limburg Oost)"


def maasgouw_referral() -> History:
    h = History("names")
    person = h.register("m-1", MAASGOUW, target_group="bijstand", birth_year=1980,
                        on=date(2026, 2, 2))
    h.refer(person, MAASGOUW, provider="WESTROM", question=ReferralQuestion.WERKDIAGNOSE,
            on=date(2026, 2, 9))
    return h


async def test_every_report_names_its_gemeenten(reporting: Reporting) -> None:
    await reporting.publish([*two_gemeenten().envelopes, *maasgouw_referral().envelopes])
    await reporting.drained()
    for report in all_reports():
        path = f"/v1/reports/{report.slug}"
        body = (await reporting.get(path, board_auth((BOXTEL, GESTEL)), period="2026-H1")).json()
        assert body["rows"], report.slug
        names = {(row["gemeente"], row["gemeenteName"]) for row in body["rows"]}
        assert names <= {(BOXTEL, "Boxtel"), (GESTEL, "Sint-Michielsgestel")}, report.slug
        text = (await reporting.get(path, gemeente_auth(BOXTEL), period="2026-H1",
                                    format="csv")).text
        header = next(csv.reader(io.StringIO(text)))
        assert header[:2] == ["gemeente", "gemeenteName"], report.slug
    referrals = (await reporting.get("/v1/reports/referrals", gemeente_auth(MAASGOUW),
                                     period="2026-H1")).json()["rows"]
    assert [(r["gemeenteName"], r["provider"], r["providerName"], r["people"])
            for r in referrals] == [("Maasgouw", "WESTROM", WESTROM_NAME, 1)]


async def test_the_dashboard_and_monitor_show_names(reporting: Reporting) -> None:
    await reporting.publish(maasgouw_referral().envelopes)
    await reporting.drained()
    page = await reporting.get("/dashboard", board_auth((BOXTEL, GESTEL)), period="2026-H1")
    assert page.status_code == 200
    assert "Dashboard Participatiewet — Boxtel (GM0757) — 2026-H1" in page.text
    assert '<option value="GM0845">Sint-Michielsgestel (GM0845)</option>' in page.text
    monitor = await reporting.get("/dashboard/monitor", gemeente_auth(MAASGOUW),
                                  period="2026-H1")
    assert monitor.status_code == 200
    assert "Monitor Participatiewet — Maasgouw (GM1641)" in monitor.text
    # The uitvoerder by its name (the code is the API's; the page is for people)
    assert f"<td>{WESTROM_NAME}</td>" in monitor.text.replace(' class=""', "")
