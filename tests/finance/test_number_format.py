"""One number format in finance's answers (issue 15): money a decimal string with exactly two
decimals, hours and percentages JSON numbers echoed as sent (10 stays 10, 10.5 stays 10.5),
counts integers. Amounts worked by hand next to their assertions."""

from __future__ import annotations

import re
import uuid
from typing import Any

from shared.auth import Role
from tests.finance.conftest import (
    BOXTEL,
    Finance,
    gemeente_staff,
    granted,
    measured,
    provider_staff,
    started,
)
from tests.finance.test_idempotency import ADMIN, WML_JULY

MONEY = re.compile(r"^\d+\.\d{2}$")
CASEWORKER = gemeente_staff(BOXTEL, Role.CASEWORKER)


def calculation(hours: Any) -> dict[str, Any]:
    return {"month": "2026-01", "hoursPerWeek": hours, "hourlyWage": "14.71",
            "wageValuePct": 50}


async def test_the_calculator_echoes_hours_and_shows_money_in_cents(finance: Finance) -> None:
    half = await finance.client.post("/v1/lks-calculations", json=calculation(10.5),
                                     headers=CASEWORKER)
    assert half.status_code == 200, half.text
    # 10.5 × 52 / 12 = 45.5 h; 7.355 × 45.5 × 1.08 × 1.235 = 446.3595 → 446.36
    assert half.json()["monthlyAmount"] == "446.36"
    breakdown = half.json()["breakdown"]
    assert breakdown["hoursPerMonth"] == 45.5 and isinstance(breakdown["hoursPerMonth"], float)
    whole = await finance.client.post("/v1/lks-calculations", json=calculation(10),
                                      headers=CASEWORKER)
    # 10 × 52 / 12 = 43.3333… h; 7.355 × 43.3333… × 1.08 × 1.235 = 425.1043 → 425.10
    assert whole.json()["monthlyAmount"] == "425.10"
    assert whole.json()["breakdown"]["hoursPerMonth"] == 43.3333
    for body in (half.json(), whole.json()):
        shown = body["breakdown"]
        assert all(MONEY.match(shown[k]) for k in ("hourlyGap", "wmlHourly")), shown


async def test_parameters_money_as_strings_shares_and_months_as_numbers(
        finance: Finance) -> None:
    listed = await finance.client.get("/v1/parameters", headers=provider_staff())
    latest = {p["code"]: p["value"] for p in listed.json()["items"]}  # rows by date: last wins
    assert (latest["wml-hourly"], latest["bijstand-norm-single-month"]) == ("14.71", "1345.45")
    assert latest["youth-share-pct-16"] == 34.5 and latest["employer-cost-allowance-pct"] == 23.5
    for code in ("wage-value-reassessment-months", "holiday-pay-pct", "lks-cap-pct"):
        assert isinstance(latest[code], int), (code, latest[code])
    assert (latest["wage-value-reassessment-months"], latest["holiday-pay-pct"],
            latest["lks-cap-pct"]) == (12, 8, 70)
    for row in listed.json()["items"]:
        if row["unit"].startswith("EUR/"):
            assert MONEY.match(row["value"]), row
        else:
            assert isinstance(row["value"], int | float), row


async def test_a_parameter_in_euros_is_whole_cents(finance: Finance) -> None:
    response = await finance.client.post("/v1/parameters", json={**WML_JULY, "value": "15.005"},
                                         headers=ADMIN)
    assert response.status_code == 400, response.text
    assert response.json()["invalidParams"][0]["name"] == "value"


async def test_a_grant_echoes_its_hours_as_sent(finance: Finance) -> None:
    shown: dict[str, dict[str, Any]] = {}
    for hours in ("36", "10.5"):
        candidate = uuid.uuid4()
        placement = started(candidate, hours=hours)
        await finance.publish(measured(candidate, 50, placement.start_date))
        await finance.publish(placement)
        (grant,) = await granted(finance, candidate)
        response = await finance.client.get(f"/v1/grants/{grant.id}", headers=CASEWORKER)
        assert response.status_code == 200, response.text
        shown[hours] = response.json()
    assert shown["36"]["hoursPerWeek"] == 36 and isinstance(shown["36"]["hoursPerWeek"], int)
    assert shown["10.5"]["hoursPerWeek"] == 10.5
    # 36 h: the worked example 1530.38; 10.5 h: 446.36 as in the calculator above
    assert (shown["36"]["monthlyAmount"], shown["10.5"]["monthlyAmount"]) == (
        "1530.38", "446.36")
    for body in shown.values():
        assert MONEY.match(body["hourlyWage"]) and body["hourlyWage"] == "14.71"
        assert isinstance(body["wageValuePct"], int)


async def test_the_breakdown_shows_the_rates_to_the_cent_and_as_used(finance: Finance) -> None:
    body = {**calculation(36), "hourlyWage": "5.08", "age": 16}
    response = await finance.client.post("/v1/lks-calculations", json=body, headers=CASEWORKER)
    assert response.status_code == 200, response.text
    # jeugd-WML 16: 34.5 % of 14.71 = 5.07495; gap 5.07495 − 50 % × 5.08 = 2.53495 (under the
    # cap of 70 % × 5.07495 = 3.552465); 2.53495 × 156 × 1.08 × 1.235 = 527.4541 → 527.45
    assert response.json()["monthlyAmount"] == "527.45"
    shown = response.json()["breakdown"]
    assert (shown["wmlHourly"], shown["wmlHourlyExact"]) == ("5.07", "5.07495")
    assert (shown["hourlyGap"], shown["hourlyGapExact"]) == ("2.53", "2.53495")
