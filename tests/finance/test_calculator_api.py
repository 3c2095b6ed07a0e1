"""The calculator and the parameters over HTTP: DOMAIN.md's worked examples to the cent, bad
input as 400 problem+json with invalidParams, parameters added as new rows only."""

from __future__ import annotations

from typing import Any

import pytest

from services.finance.store.models import ParameterRow
from shared.auth import OrgKind, Role
from tests.finance.conftest import BOXTEL, WSD, Finance, gemeente_staff, provider_staff
from tests.support.services import bearer

CASEWORKER = gemeente_staff(BOXTEL, Role.CASEWORKER)
EXAMPLE: dict[str, Any] = {"month": "2026-01", "hoursPerWeek": 36, "hourlyWage": "14.71",
                           "wageValuePct": 50}


async def calculate(finance: Finance, body: dict[str, Any],
                    headers: dict[str, str] = CASEWORKER) -> Any:
    return await finance.client.post("/v1/lks-calculations", json=body, headers=headers)


async def test_worked_example_to_the_cent(finance: Finance) -> None:
    response = await calculate(finance, EXAMPLE)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["monthlyAmount"] == "1530.38"
    breakdown = body["breakdown"]
    # Hours a JSON number; money rounded to cents, the formula's unrounded rate beside it.
    assert (breakdown["hoursPerMonth"], breakdown["hourlyGap"], breakdown["hourlyGapExact"],
            breakdown["capApplied"]) == (156, "7.36", "7.355", False)
    used = {p["code"]: p for p in breakdown["parameters"]}
    assert (used["wml-hourly"]["value"], used["wml-hourly"]["effectiveFrom"]) == (
        "14.71", "2026-01-01")
    assert used["employer-cost-allowance-pct"]["value"] == 23.5  # a percentage: a number
    assert used["employer-cost-allowance-pct"]["effectiveFrom"] == "2018-01-01"
    assert "Participatiewet art. 10d" in used["lks-cap-pct"]["source"]
    assert "minimumloon" in used["wml-hourly"]["source"]


async def test_worked_example_at_the_cap(finance: Finance) -> None:
    response = await calculate(finance, {**EXAMPLE, "wageValuePct": 20},
                               provider_staff(WSD, (BOXTEL,), Role.ACCOUNT_MANAGER))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["monthlyAmount"] == "2142.53"
    assert (body["breakdown"]["hourlyGap"], body["breakdown"]["hourlyGapExact"],
            body["breakdown"]["capApplied"]) == ("10.30", "10.297", True)


async def test_youth_wml_and_latest_value_without_a_newer_one(finance: Finance) -> None:
    young = await calculate(finance, {**EXAMPLE, "hourlyWage": "7.355", "age": 18})
    assert young.json()["monthlyAmount"] == "765.19"
    # 50 % of 14.71 = 7.355: shown as 7.36 (half-up), used unrounded
    assert (young.json()["breakdown"]["wmlHourly"],
            young.json()["breakdown"]["wmlHourlyExact"]) == ("7.36", "7.355")
    later = await calculate(finance, {**EXAMPLE, "month": "2026-09"})  # no 2026-07 value seeded
    assert later.json()["monthlyAmount"] == "1530.38"


BAD: list[tuple[dict[str, Any], str]] = [
    ({**EXAMPLE, "wageValuePct": 101}, "wageValuePct"),
    ({**EXAMPLE, "wageValuePct": -1}, "wageValuePct"),
    ({**EXAMPLE, "hoursPerWeek": 0}, "hoursPerWeek"),
    ({**EXAMPLE, "hoursPerWeek": 61}, "hoursPerWeek"),
    ({**EXAMPLE, "month": "2026-13"}, "month"),
    ({**EXAMPLE, "month": "januari"}, "month"),
    ({**EXAMPLE, "month": "2023-12"}, "month"),  # before the first WML row: no parameters
    ({k: v for k, v in EXAMPLE.items() if k != "hourlyWage"}, "hourlyWage"),
    ({**EXAMPLE, "hourlyWage": "veertien"}, "hourlyWage"),
    ({**EXAMPLE, "hourlyWage": "1e3"}, "hourlyWage"),
    ({**EXAMPLE, "wageValuePct": "50"}, "wageValuePct"),
    ({**EXAMPLE, "employer": "x"}, "employer"),
]


@pytest.mark.parametrize(("body", "field"), BAD, ids=[f"{f}-{i}" for i, (_, f) in enumerate(BAD)])
async def test_bad_input_is_400_with_invalid_params(finance: Finance, body: dict[str, Any],
                                                    field: str) -> None:
    response = await calculate(finance, body)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert field in {p["name"] for p in response.json()["invalidParams"]}


async def test_who_may_calculate(finance: Finance) -> None:
    assert (await finance.client.post("/v1/lks-calculations", json=EXAMPLE)).status_code == 401
    consultant = provider_staff(WSD, (BOXTEL,), Role.CONSULTANT)
    assert (await calculate(finance, EXAMPLE, consultant)).status_code == 403
    wsp = bearer("WSP-NOB", OrgKind.WSP, Role.ACCOUNT_MANAGER, gemeenten=(BOXTEL,))
    assert (await calculate(finance, EXAMPLE, wsp)).status_code == 403


async def test_parameters_listed_to_all_changed_by_admin_as_new_rows(finance: Finance) -> None:
    assert (await finance.client.get("/v1/parameters")).status_code == 401
    listed = await finance.client.get("/v1/parameters", headers=provider_staff())
    assert listed.status_code == 200
    wml = [p for p in listed.json()["items"] if p["code"] == "wml-hourly"]
    assert [(p["effectiveFrom"], p["value"]) for p in wml] == [
        ("2024-01-01", "13.27"), ("2024-07-01", "13.68"), ("2025-01-01", "14.06"),
        ("2025-07-01", "14.40"), ("2026-01-01", "14.71")]
    new = {"code": "wml-hourly", "effectiveFrom": "2026-07-01", "value": "15.00",
           "unit": "EUR/hour", "source": "test value, not an official publication"}
    assert (await finance.client.post("/v1/parameters", json=new,
                                      headers=CASEWORKER)).status_code == 403
    before = await finance.service.count(ParameterRow)
    admin = bearer("PLATFORM", OrgKind.PLATFORM, Role.ADMIN)
    created = await finance.client.post("/v1/parameters", json=new, headers=admin)
    assert created.status_code == 201, created.text
    again = await finance.client.post("/v1/parameters", json={**new, "value": "16"},
                                      headers=admin)
    assert again.status_code == 409 and await finance.service.count(ParameterRow) == before + 1
    july = await calculate(finance, {**EXAMPLE, "month": "2026-07", "hourlyWage": "15.00"})
    # gap 15.00 − 7.50 = 7.50; × 208.0728 = 1560.546 → 1560.55
    assert july.json()["monthlyAmount"] == "1560.55"
    january = await calculate(finance, EXAMPLE)
    assert january.json()["monthlyAmount"] == "1530.38"  # history unchanged


async def test_the_wage_floor_adult(finance: Finance) -> None:
    # Before issue 12: €5.00/h at loonwaarde 20 % answered 2142.53 (the capped amount).
    response = await calculate(finance, {**EXAMPLE, "hourlyWage": "5.00", "wageValuePct": 20})
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    (param,) = response.json()["invalidParams"]
    assert param["name"] == "hourlyWage"
    assert "14.71" in param["reason"] and "2026-01-01" in param["reason"]
    assert (response.json()["minimumHourlyWage"], response.json()["minimumInEffectFrom"]) == (
        "14.71", "2026-01-01")
    july_2025 = await calculate(finance, {**EXAMPLE, "month": "2025-07", "hourlyWage": "14.39"})
    assert july_2025.json()["minimumHourlyWage"] == "14.4"  # WML from 2025-07-01


async def test_the_wage_floor_youth(finance: Finance) -> None:
    # 18 on 1 January 2026 (born 2007-06-15): 50 % × 14.71 = 7.355 an hour
    young = {**EXAMPLE, "birthDate": "2007-06-15"}
    below = await calculate(finance, {**young, "hourlyWage": "7.35"})
    assert below.status_code == 400
    assert below.json()["minimumHourlyWage"] == "7.355"
    assert "age 18" in below.json()["invalidParams"][0]["reason"]
    at_floor = await calculate(finance, {**young, "hourlyWage": "7.36"})
    # gap 7.355 − 50 % × 7.36 = 3.675 × 208.0728 = 764.66754 → 764.67
    assert at_floor.status_code == 200 and at_floor.json()["monthlyAmount"] == "764.67"
    by_age = await calculate(finance, {**EXAMPLE, "age": 20, "hourlyWage": "11.00"})
    assert by_age.json()["minimumHourlyWage"] == "11.768"  # 80 % × 14.71
    both = await calculate(finance, {**young, "age": 18})
    assert both.status_code == 400 and both.json()["invalidParams"][0]["name"] == "birthDate"
    child = await calculate(finance, {**EXAMPLE, "birthDate": "2015-01-01"})
    assert child.status_code == 400 and child.json()["invalidParams"][0]["name"] == "birthDate"


async def test_an_out_of_date_wml_is_used_with_a_warning(finance: Finance) -> None:
    january = await calculate(finance, EXAMPLE)
    assert january.json()["warnings"] == []
    september = await calculate(finance, {**EXAMPLE, "month": "2026-09"})
    assert september.json()["monthlyAmount"] == "1530.38"
    (warning,) = september.json()["warnings"]
    assert "wml-hourly" in warning and "2026-07-01" in warning and "2026-01-01" in warning
