"""Budgets with realisation and the WSD reserve (the Boxtel case), Westrom's invoices and the
business case, over HTTP on real storage, fed by placement events on the real bus."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select

from services.finance.settings import FinanceSettings
from services.finance.store.models import Placement
from shared.auth import Role
from shared.events.matching import PlacementForm
from shared.organisations import provider_kvks
from tests.conftest import eventually
from tests.finance.conftest import (
    BOXTEL,
    KVK,
    LEUDAL,
    ROERMOND,
    VUGHT,
    WESTROM,
    WSD,
    Finance,
    gemeente_staff,
    lks_placement,
    provider_staff,
    started,
)
from tests.finance.test_payment_runs import run_month

CASE = {"month": "2026-01", "hoursPerWeek": 36, "hourlyWage": "14.71", "wageValuePct": 50,
        "guidanceCostPerYear": "5000"}
MAASGOUW = "GM1641"
BOXTEL_BUDGET = {"fundedPlaces": 108, "placePrice": "10000.00", "lksBudget": "2500000.00"}
FORMS = (PlacementForm.LKS, PlacementForm.SHELTERED, PlacementForm.TRIAL,
         PlacementForm.SECONDMENT)


async def placements_of(finance: Finance, gemeente: str) -> int:
    async with finance.service.runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Placement).where(
            Placement.gemeente == gemeente)) or 0)


async def place(finance: Finance, gemeente: str, provider: str, count: int,
                form: PlacementForm | None = None, start: date = date(2021, 3, 1),
                kvk: str = KVK) -> None:
    for n in range(count):
        await finance.publish(started(uuid.uuid4(), gemeente=gemeente, provider=provider,
                                      form=form or FORMS[n % len(FORMS)], start=start,
                                      kvk=kvk), gemeente=gemeente)


async def test_boxtel_120_at_wsd_108_funded_12_from_the_wsd_reserve(finance: Finance) -> None:
    """The reporting demo's Boxtel: 60 LKS, 40 beschut werk and 20 trial places with WSD as the
    employer, 20 LKS directly with employers, Wsw jobs and regular jobs besides. Before issue 12
    finance counted every guided form (490 placed against 120)."""
    reserve = await finance.client.put("/v1/reserves/WSD", json={"amount": "6700000.00"},
                                       headers=provider_staff(WSD, (BOXTEL,), Role.CONTROLLER),
                                       params={"year": 2021})
    assert reserve.status_code == 200, reserve.text
    budget = await finance.client.put("/v1/budgets/GM0757/2021", json=BOXTEL_BUDGET,
                                      headers=gemeente_staff())
    assert budget.status_code == 200, budget.text
    assert budget.json()["guidance"]["atProvider"] == 0
    (wsd_kvk,) = provider_kvks()[WSD]
    for form, count in ((PlacementForm.LKS, 60), (PlacementForm.SHELTERED, 40),
                        (PlacementForm.TRIAL, 20)):
        await place(finance, BOXTEL, WSD, count, form, kvk=wsd_kvk)
    await place(finance, BOXTEL, WSD, 20, PlacementForm.LKS, kvk="30123456")  # direct
    await place(finance, BOXTEL, WSD, 10, PlacementForm.WSW, kvk=wsd_kvk)  # not in the budget
    await place(finance, BOXTEL, WSD, 5, PlacementForm.REGULAR)  # an outcome, not a place
    await place(finance, BOXTEL, WSD, 3, PlacementForm.LKS, kvk=wsd_kvk,
                start=date(2022, 1, 1))  # not running on the reference day 2021-12-31
    await eventually(lambda: _is(placements_of(finance, BOXTEL), 158), timeout_s=60)

    response = await finance.client.get("/v1/budgets/GM0757/2021", headers=gemeente_staff())
    assert response.status_code == 200, response.text
    assert response.json()["gemeenteName"] == "Boxtel"
    guidance = response.json()["guidance"]
    assert guidance["referenceDay"] == "2021-12-31"
    assert (guidance["funded"], guidance["atProvider"], guidance["aboveBudget"],
            guidance["direct"]) == (108, 120, 12, 20)
    # 108 × 10,000 budget; 120 × 10,000 realised; 12 × 10,000 from the reserve
    assert (guidance["budget"], guidance["realised"]) == ("1080000.00", "1200000.00")
    assert (guidance["fromBudget"], guidance["fromReserve"]) == ("1080000.00", "120000.00")
    # 6,700,000 − 120,000
    assert (guidance["reserveProvider"], guidance["reserveRemaining"]) == ("WSD", "6580000.00")
    assert guidance["exceeded"] is True

    wsd = await finance.client.get("/v1/reserves/WSD", params={"year": 2021},
                                   headers=provider_staff(WSD, (BOXTEL,), Role.CONTROLLER))
    assert (wsd.json()["draws"], wsd.json()["providerName"]) == ({BOXTEL: "120000.00"}, "WSD")
    exceeded = [e for e in await finance.events("finance.budget-exceeded")
                if e["gemeente"] == BOXTEL and e["year"] == 2021]
    assert [(e["line"], e["budgeted"], e["realised"]) for e in exceeded] == [
        ("guidance", "1080000.00", "1090000.00")]  # once: when the 109th place at WSD came
    (budget_set,) = await finance.events("finance.budget-set")
    assert (budget_set["fundedPlaces"], budget_set["guidanceBudget"]) == (108, "1080000.00")


async def _is(count: Any, wanted: int) -> bool:
    return await count == wanted


async def test_lks_budget_exceeded_once_by_payments(finance: Finance) -> None:
    body = {"fundedPlaces": 0, "placePrice": "0", "lksBudget": "1000.00"}
    assert (await finance.client.put("/v1/budgets/GM0757/2026", json=body,
                                     headers=gemeente_staff())).status_code == 200
    await lks_placement(finance)
    await run_month(finance, "2026-01")
    await run_month(finance, "2026-02")
    response = await finance.client.get("/v1/budgets/GM0757/2026", headers=gemeente_staff())
    assert response.json()["lks"] == {"budget": "1000.00", "realised": "3060.76",
                                      "exceeded": True}  # two whole months of 1530.38
    lines = [e["line"] for e in await finance.events("finance.budget-exceeded")
             if e["year"] == 2026]
    assert lines == ["lks"]


async def test_budget_and_reserve_tenancy(finance: Finance) -> None:
    assert (await finance.client.put("/v1/budgets/GM0757/2021", json=BOXTEL_BUDGET,
                                     headers=gemeente_staff())).status_code == 200
    path = "/v1/budgets/GM0757/2021"
    assert (await finance.client.get(path, headers=gemeente_staff(VUGHT))).status_code == 404
    other_provider = provider_staff("IBN", (VUGHT,), Role.CONTROLLER)
    assert (await finance.client.get(path, headers=other_provider)).status_code == 404
    working_for_boxtel = provider_staff(WSD, (BOXTEL,), Role.CONTROLLER)
    assert (await finance.client.get(path, headers=working_for_boxtel)).status_code == 200
    for headers in (gemeente_staff(VUGHT), gemeente_staff(BOXTEL, Role.CASEWORKER),
                    working_for_boxtel):
        response = await finance.client.put(path, json=BOXTEL_BUDGET, headers=headers)
        assert response.status_code == 403
    assert (await finance.client.put("/v1/reserves/WSD", json={"amount": "1"},
                                     headers=other_provider)).status_code == 403
    assert (await finance.client.get("/v1/reserves/WSD",
                                     headers=gemeente_staff())).status_code == 403
    bad = await finance.client.put(path, json={**BOXTEL_BUDGET, "fundedPlaces": -1},
                                   headers=gemeente_staff())
    assert bad.status_code == 400 and bad.json()["invalidParams"][0]["name"] == "fundedPlaces"


async def test_westrom_invoices_with_risk_surcharge_for_buyers(finance: Finance) -> None:
    westrom = provider_staff(WESTROM, (ROERMOND, LEUDAL), Role.CONTROLLER)
    tariff = {"effectiveFrom": "2026-01-01", "tariff": "2500.00", "riskSurchargePct": "7.5"}
    response = await finance.client.put("/v1/tariffs/begeleiding", json=tariff, headers=westrom)
    assert response.status_code == 200, response.text
    assert (await finance.client.put("/v1/tariffs/begeleiding", json=tariff,
                                     headers=provider_staff(WSD, (BOXTEL,), Role.CONTROLLER))
            ).status_code == 403
    listed = await finance.client.get("/v1/tariffs", headers=gemeente_staff(LEUDAL))
    assert [t["tariff"] for t in listed.json()["items"]] == ["2500.00"]
    consultant = provider_staff(WSD, (BOXTEL,), Role.CONSULTANT)
    assert (await finance.client.get("/v1/tariffs", headers=consultant)).status_code == 403
    start = date(2026, 1, 5)
    await place(finance, ROERMOND, WESTROM, 2, start=start)
    await place(finance, LEUDAL, WESTROM, 3, start=start)
    await place(finance, LEUDAL, WESTROM, 1, PlacementForm.REGULAR, start=start)
    await place(finance, LEUDAL, WSD, 1, start=start)  # another uitvoerder: not Westrom's
    await eventually(lambda: _is(placements_of(finance, LEUDAL), 5), timeout_s=20)
    await eventually(lambda: _is(placements_of(finance, ROERMOND), 2), timeout_s=20)

    leudal = await finance.client.get("/v1/invoices/GM1640/2026-01",
                                      headers=gemeente_staff(LEUDAL))
    assert leudal.status_code == 200, leudal.text
    assert leudal.json()["lines"] == [{"product": "begeleiding", "quantity": 3,
                                       "tariff": "2500.00", "surchargePct": 7.5,
                                       "amount": "8062.50"}]  # 3 × 2500 × 1.075
    roermond = await finance.client.get("/v1/invoices/GM0957/2026-01", headers=westrom)
    assert roermond.json()["shareholder"] is True and roermond.json()["total"] == "5000.00"
    # Matched by code, named for the reader (the demo's "Westrom" left Maasgouw at quantity 0).
    assert (roermond.json()["entity"], roermond.json()["entityName"],
            roermond.json()["gemeenteName"]) == (
        "WESTROM", "Westrom (entiteit Midden-Limburg Oost)", "Roermond")
    await place(finance, MAASGOUW, WESTROM, 13, PlacementForm.LKS, start=start)
    await eventually(lambda: _is(placements_of(finance, MAASGOUW), 13), timeout_s=20)
    maasgouw = await finance.client.get("/v1/invoices/GM1641/2026-01",
                                        headers=gemeente_staff(MAASGOUW))
    # 13 × 2500.00, a shareholder: no surcharge
    assert (maasgouw.json()["lines"][0]["quantity"], maasgouw.json()["total"]) == (
        13, "32500.00")
    unknown = await finance.client.get("/v1/invoices/GM9999/2026-01",
                                       headers=gemeente_staff("GM9999"))
    assert unknown.status_code == 400
    assert unknown.json()["invalidParams"][0]["name"] == "gemeente"
    for path, headers in (("/v1/invoices/GM0957/2026-01", gemeente_staff(LEUDAL)),
                          ("/v1/invoices/GM0757/2026-01", gemeente_staff(BOXTEL)),
                          ("/v1/invoices/GM1640/2026-01", provider_staff(WSD, (LEUDAL,),
                                                                         Role.CONTROLLER))):
        assert (await finance.client.get(path, headers=headers)).status_code == 404
    assert (await finance.client.get("/v1/invoices/GM1640/2026-13",
                                     headers=gemeente_staff(LEUDAL))).status_code == 400


async def test_business_case_apis(finance: Finance) -> None:
    caseworker = gemeente_staff(BOXTEL, Role.CASEWORKER)
    case = await finance.client.post("/v1/business-cases/candidate", headers=caseworker,
                                     json=CASE)
    assert case.status_code == 200, case.text
    assert (case.json()["jobCostYearly"], case.json()["bijstandYearly"],
            case.json()["savingYearly"]) == ("23364.51", "16145.40", "-7219.11")
    assert case.json()["bijstandNorm"]["effectiveFrom"] == "2025-01-01"
    # The 2026 WML with the 2025 norm: allowed, never silently (issue 12).
    (warning,) = case.json()["warnings"]
    assert "bijstand-norm-single-month" in warning and "2026-01-01" in warning
    assert "2025-01-01" in warning
    march_2025 = await finance.client.post("/v1/business-cases/candidate", headers=caseworker,
                                           json={**CASE, "month": "2025-03",
                                                 "hourlyWage": "14.06"})
    assert march_2025.status_code == 200 and march_2025.json()["warnings"] == []
    no_norm = await finance.client.post("/v1/business-cases/candidate", headers=caseworker,
                                        json={**CASE, "month": "2024-12", "hourlyWage": "13.68"})
    assert no_norm.status_code == 400
    assert "bijstand-norm-single-month" in no_norm.json()["invalidParams"][0]["reason"]
    low = await finance.client.post("/v1/business-cases/candidate", headers=caseworker,
                                    json={**CASE, "hourlyWage": "5.00"})
    assert low.status_code == 400 and low.json()["invalidParams"][0]["name"] == "hourlyWage"
    body = {"startYear": 2020, "wswPlaces": 1000, "pwPlaces": 500, "targetPlaces": 1700,
            "years": 3, "wswOutflowPct": 10, "pwInflowPerYear": 200, "realisationPct": 80}
    board = provider_staff(WSD, (BOXTEL,), Role.BOARD)
    scenario = await finance.client.post("/v1/business-cases/scenarios", json=body,
                                         headers=board)
    assert scenario.status_code == 200, scenario.text
    assert scenario.json()["breakEvenYear"] == 2023
    assert [y["totalPlaces"] for y in scenario.json()["years"]] == [1560, 1630, 1709]
    bad = await finance.client.post("/v1/business-cases/scenarios",
                                    json={**body, "years": 0}, headers=board)
    assert bad.status_code == 400 and bad.json()["invalidParams"][0]["name"] == "years"
    consultant = provider_staff(WSD, (BOXTEL,), Role.CONSULTANT)
    assert (await finance.client.post("/v1/business-cases/scenarios", json=body,
                                      headers=consultant)).status_code == 403


def test_the_entity_is_configured_by_code() -> None:
    with pytest.raises(ValidationError, match="not the code of a known uitvoerder"):
        FinanceSettings(finance_entity="Westrom")
    with pytest.raises(ValidationError, match="GM9999"):
        FinanceSettings(finance_entity_buyers=["GM9999"])
    assert FinanceSettings().finance_entity == "WESTROM"


async def test_budgets_of_unknown_gemeenten_are_400(finance: Finance) -> None:
    response = await finance.client.put("/v1/budgets/GM9999/2026", json=BOXTEL_BUDGET,
                                        headers=gemeente_staff("GM9999"))
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "gemeente"
