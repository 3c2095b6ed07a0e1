"""Issue 13 in finance: who writes what (403 before 400), plausible legal parameters announced
once each, bounded dates everywhere (400, never 500), no payment run for a future month."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from services.finance.domain.schedule import first_run_day, may_run
from services.finance.handlers import parameters
from services.finance.main import create_app
from services.finance.store.models import Budget, ParameterRow, PaymentRun, Reserve, Tariff
from shared.auth import OrgKind, Role
from shared.dutch_time import dutch_today
from shared.store import OutboxMessage
from tests.finance.conftest import (
    BOXTEL,
    WSD,
    Finance,
    gemeente_staff,
    provider_staff,
    settings_for,
)
from tests.support.databases import DatabaseFactory
from tests.support.services import bearer, running_service

MEIERIJSTAD = "GM1948"
PLATFORM_ADMIN = bearer("PLATFORM", OrgKind.PLATFORM, Role.ADMIN)
WML_JULY = {"code": "wml-hourly", "effectiveFrom": "2026-07-01", "value": "15.00",
            "unit": "EUR/hour", "source": "test value, not an official publication"}
SEEDED_ROWS = 17  # 5 WML values, 6 youth shares, holiday pay, cap, 2 allowances, period, norm
BUDGET = {"fundedPlaces": 108, "placePrice": "10000.00", "lksBudget": "2500000.00"}


async def outbox_events(finance: Finance, name: str) -> list[dict[str, Any]]:
    """Whole envelopes (not only data) of one event type in finance's outbox."""
    async with finance.service.runtime.sessions() as session:
        rows = (await session.execute(select(OutboxMessage.subject, OutboxMessage.payload))).all()
    return [{**json.loads(payload), "natsSubject": subject} for subject, payload in rows
            if json.loads(payload)["type"] == f"nl.participatiewet.{name}"]


async def post_parameter(finance: Finance, body: dict[str, Any],
                         headers: dict[str, str] = PLATFORM_ADMIN) -> Any:
    return await finance.client.post("/v1/parameters", json=body, headers=headers)


async def test_only_the_platform_admin_writes_legal_parameters(finance: Finance) -> None:
    before = await finance.service.count(ParameterRow)
    # Each of these got 201 before issue 13.
    for headers in (gemeente_staff(MEIERIJSTAD, Role.ADMIN),
                    provider_staff(WSD, (BOXTEL,), Role.ADMIN),
                    bearer("WSP-NOB", OrgKind.WSP, Role.ADMIN, gemeenten=(BOXTEL,)),
                    bearer("PLATFORM", OrgKind.PLATFORM, Role.CONTROLLER)):
        response = await post_parameter(finance, WML_JULY, headers)
        assert response.status_code == 403, response.text
        # 403 before 400: the role check runs before the body is read.
        assert (await post_parameter(finance, {"code": 1}, headers)).status_code == 403
    assert await finance.service.count(ParameterRow) == before
    created = await post_parameter(finance, WML_JULY)
    assert created.status_code == 201, created.text
    assert created.json()["value"] == "15.00"
    # Reading stays open to every authenticated caller.
    listed = await finance.client.get("/v1/parameters",
                                      headers=bearer("WSP-NOB", OrgKind.WSP, Role.ADMIN))
    assert ("2026-07-01", "15.00") in [(p["effectiveFrom"], p["value"])
                                    for p in listed.json()["items"] if p["code"] == "wml-hourly"]


async def test_a_change_is_announced_nationally_with_source_and_author(finance: Finance) -> None:
    assert (await post_parameter(finance, WML_JULY)).status_code == 201
    announced = [e for e in await outbox_events(finance, "finance.legal-parameter-set")
                 if e["data"]["effectiveFrom"] == "2026-07-01"]
    (event,) = announced
    assert event["natsSubject"] == "participatiewet.NL.finance.legal-parameter-set"
    assert event["gemeente"] == "NL"
    assert (event["data"]["code"], event["data"]["value"], event["data"]["source"]) == (
        "wml-hourly", "15.00", WML_JULY["source"])
    assert event["data"]["author"].endswith("@PLATFORM")


async def test_seeded_rows_are_announced_once(finance: Finance) -> None:
    events = await outbox_events(finance, "finance.legal-parameter-set")
    assert len(events) == SEEDED_ROWS
    assert {e["data"]["author"] for e in events} == {parameters.SEED_AUTHOR}
    wml = sorted((e["data"]["effectiveFrom"], e["data"]["value"]) for e in events
                 if e["data"]["code"] == "wml-hourly")
    assert wml[-1] == ("2026-01-01", "14.7100")
    # What the next start does: nothing left to announce.
    async with finance.service.runtime.begin() as uow:
        assert await parameters.publish_unpublished(uow, lock=False) == 0
    assert len(await outbox_events(finance, "finance.legal-parameter-set")) == SEEDED_ROWS


@pytest.mark.parametrize(("change", "field"), [
    ({"code": "wml-per-hour"}, "code"),  # unknown code
    ({"unit": "EUR/month"}, "unit"),
    ({"value": "17.66"}, "value"),  # 14.71 × 1.2 = 17.652: more than 20 % up
    ({"value": "11.76"}, "value"),  # 14.71 × 0.8 = 11.768: more than 20 % down
    ({"effectiveFrom": "9999-01-01"}, "effectiveFrom"),
    ({"effectiveFrom": "0001-01-01"}, "effectiveFrom"),
    ({"code": "youth-share-pct-18", "unit": "percent", "value": "65"}, "value"),  # > 19's 60
    ({"code": "youth-share-pct-19", "unit": "percent", "value": "45"}, "value"),  # < 18's 50
    ({"code": "youth-share-pct-20", "unit": "percent", "value": "101"}, "value"),
    ({"code": "lks-cap-pct", "unit": "percent", "value": "100.5"}, "value"),
    ({"code": "wage-value-reassessment-months", "unit": "months", "value": "61"}, "value"),
    ({"code": "wage-value-reassessment-months", "unit": "months", "value": "0"}, "value"),
    ({"code": "wage-value-reassessment-months", "unit": "months", "value": "12.5"}, "value"),
    ({"code": "bijstand-norm-single-month", "unit": "EUR/month", "value": "1614.55"}, "value"),
])
async def test_implausible_parameters_are_400_and_not_written(
        finance: Finance, change: dict[str, Any], field: str) -> None:
    before = await finance.service.count(ParameterRow)
    response = await post_parameter(finance, {**WML_JULY, **change})
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["invalidParams"][0]["name"] == field
    assert await finance.service.count(ParameterRow) == before


async def test_plausible_edges_are_accepted(finance: Finance) -> None:
    # 14.71 × 1.2 = 17.652 → 17.65 is inside; bijstand 1,345.45 × 1.2 = 1,614.54 inside.
    assert (await post_parameter(finance, {**WML_JULY, "value": "17.65"})).status_code == 201
    norm = {"code": "bijstand-norm-single-month", "effectiveFrom": "2026-01-01",
            "value": "1614.54", "unit": "EUR/month", "source": "test value"}
    assert (await post_parameter(finance, norm)).status_code == 201
    months = {"code": "wage-value-reassessment-months", "effectiveFrom": "2026-01-01",
              "value": "60", "unit": "months", "source": "test value"}
    assert (await post_parameter(finance, months)).status_code == 201


async def test_unknown_code_names_the_known_ones(finance: Finance) -> None:
    response = await post_parameter(finance, {**WML_JULY, "code": "wml-per-hour"})
    assert "wml-hourly" in response.json()["invalidParams"][0]["reason"]
    assert "youth-share-pct-18" in response.json()["invalidParams"][0]["reason"]


@pytest.mark.parametrize(("method", "path", "body"), [
    ("POST", "/v1/payment-runs", {"gemeente": BOXTEL, "month": "9999-01"}),
    ("POST", "/v1/payment-runs", {"gemeente": BOXTEL, "month": "0000-01"}),
    ("PUT", "/v1/budgets/GM0757/9999", BUDGET),
    ("PUT", "/v1/budgets/GM0757/0", BUDGET),
    ("GET", "/v1/budgets/GM0757/9999", None),
    ("GET", "/v1/invoices/GM1640/9999-01", None),
    ("GET", "/v1/invoices/GM1640/0000-01", None),
    ("POST", "/v1/lks-calculations", {"month": "9999-12", "hoursPerWeek": 36,
                                      "hourlyWage": "14.71", "wageValuePct": 50}),
    ("POST", "/v1/business-cases/candidate", {
        "month": "0000-01", "hoursPerWeek": 36, "hourlyWage": "14.71", "wageValuePct": 50,
        "guidanceCostPerYear": "5000"}),
    ("GET", "/v1/grants/unpayable?on=9999-12-31", None),
    ("GET", "/v1/reserves/WSD?year=9999", None),
])
async def test_years_0000_and_9999_are_400(finance: Finance, method: str, path: str,
                                           body: dict[str, Any] | None) -> None:
    headers = {"/v1/reserves": provider_staff(WSD, (BOXTEL,), Role.CONTROLLER),
               "/v1/invoices": gemeente_staff("GM1640")}
    header = next((h for prefix, h in headers.items() if path.startswith(prefix)),
                  gemeente_staff())
    response = await finance.client.request(method, path, json=body, headers=header)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert await finance.service.count(PaymentRun) == 0
    assert await finance.service.count(Budget) == 0


async def test_tariff_with_year_9999_is_400(finance: Finance) -> None:
    westrom = provider_staff("WESTROM", ("GM0957",), Role.CONTROLLER)
    response = await finance.client.put("/v1/tariffs/begeleiding", headers=westrom, json={
        "effectiveFrom": "9999-01-01", "tariff": "2500.00", "riskSurchargePct": "7.5"})
    assert response.status_code == 400 and await finance.service.count(Tariff) == 0


def test_first_run_day_with_a_lead_time() -> None:
    march = date(2027, 3, 1)
    assert first_run_day(march, 0) == date(2027, 3, 1)
    assert first_run_day(march, 5) == date(2027, 2, 24)  # 28 days in February 2027
    assert not may_run(march, date(2027, 2, 28), 0)
    assert may_run(march, date(2027, 3, 1), 0)
    assert may_run(march, date(2027, 2, 24), 5) and not may_run(march, date(2027, 2, 23), 5)


async def test_no_payment_run_for_a_future_month(finance: Finance) -> None:
    # Before issue 13, 2027-03 (and 9950-…) got 202 and the month was locked for good.
    next_month = (dutch_today().replace(day=1) + timedelta(days=32)).replace(day=1)
    month = next_month.strftime("%Y-%m")
    response = await finance.client.post("/v1/payment-runs", headers=gemeente_staff(),
                                         json={"gemeente": BOXTEL, "month": month})
    assert response.status_code == 400, response.text
    assert response.json()["firstRunDay"] == next_month.isoformat()
    assert next_month.isoformat() in response.json()["detail"]
    far = await finance.client.post("/v1/payment-runs", headers=gemeente_staff(),
                                    json={"gemeente": BOXTEL, "month": "2099-03"})
    assert far.status_code == 400 and far.json()["firstRunDay"] == "2099-03-01"
    assert await finance.service.count(PaymentRun) == 0
    this_month = dutch_today().strftime("%Y-%m")
    now = await finance.client.post("/v1/payment-runs", headers=gemeente_staff(),
                                    json={"gemeente": BOXTEL, "month": this_month})
    assert now.status_code == 202, now.text


async def test_budgets_are_written_by_that_gemeente_only(finance: Finance) -> None:
    path = "/v1/budgets/GM0757/2026"
    for headers in (gemeente_staff(MEIERIJSTAD, Role.ADMIN),  # another gemeente's admin
                    gemeente_staff(BOXTEL, Role.CASEWORKER),
                    gemeente_staff(BOXTEL, Role.BOARD),
                    provider_staff(WSD, (BOXTEL,), Role.ADMIN),  # acts for Boxtel, is not it
                    PLATFORM_ADMIN):
        assert (await finance.client.put(path, json=BUDGET, headers=headers)).status_code == 403
    # 403 before 400: a caller without the role learns nothing about the schema.
    bad = await finance.client.put(path, json={"fundedPlaces": "x"},
                                   headers=gemeente_staff(BOXTEL, Role.CASEWORKER))
    assert bad.status_code == 403
    assert await finance.service.count(Budget) == 0
    for role in (Role.CONTROLLER, Role.ADMIN):
        response = await finance.client.put(path, json=BUDGET,
                                            headers=gemeente_staff(BOXTEL, role))
        assert response.status_code == 200, response.text


async def test_reserves_and_tariffs_belong_to_the_uitvoerder(finance: Finance) -> None:
    reserve = {"amount": "6700000.00"}
    for headers in (gemeente_staff(BOXTEL, Role.ADMIN),
                    provider_staff("IBN", (BOXTEL,), Role.ADMIN),
                    provider_staff(WSD, (BOXTEL,), Role.ACCOUNT_MANAGER)):
        response = await finance.client.put("/v1/reserves/WSD", json=reserve, headers=headers)
        assert response.status_code == 403, response.text
    assert await finance.service.count(Reserve) == 0
    for role in (Role.CONTROLLER, Role.ADMIN, Role.BOARD):
        response = await finance.client.put("/v1/reserves/WSD", json=reserve,
                                            headers=provider_staff(WSD, (BOXTEL,), role))
        assert response.status_code == 200, response.text
    unknown = await finance.client.put("/v1/reserves/NOBODY", json=reserve,
                                       headers=provider_staff("NOBODY", (BOXTEL,), Role.ADMIN))
    assert unknown.status_code == 400
    assert unknown.json()["invalidParams"][0]["name"] == "provider"
    tariff = {"effectiveFrom": "2026-01-01", "tariff": "2500.00", "riskSurchargePct": "7.5"}
    for headers in (gemeente_staff("GM0957", Role.ADMIN),
                    provider_staff(WSD, ("GM0957",), Role.ADMIN)):
        response = await finance.client.put("/v1/tariffs/begeleiding", json=tariff,
                                            headers=headers)
        assert response.status_code == 403
    board = provider_staff("WESTROM", ("GM0957",), Role.BOARD)
    assert (await finance.client.put("/v1/tariffs/begeleiding", json=tariff,
                                     headers=board)).status_code == 200


@pytest.mark.parametrize("early", [True, False])
async def test_the_lead_time_is_a_setting(finance_databases: DatabaseFactory, nats_url: str,
                                          bus_namespace: str, early: bool) -> None:
    next_month = (dutch_today().replace(day=1) + timedelta(days=32)).replace(day=1)
    until = (next_month - dutch_today()).days  # the lead time that allows next month's run today
    lead = until - 1 if early else until
    settings = settings_for(await finance_databases.fresh(), nats_url, bus_namespace,
                            finance_payment_run_lead_days=lead)
    async with running_service(create_app, settings, "http://finance") as service:
        response = await service.client.post(
            "/v1/payment-runs", headers=gemeente_staff(),
            json={"gemeente": BOXTEL, "month": next_month.strftime("%Y-%m")})
    if early:
        assert response.status_code == 400, response.text
        first = next_month - timedelta(days=lead)
        assert response.json()["firstRunDay"] == first.isoformat()
    else:
        assert response.status_code == 202, response.text
