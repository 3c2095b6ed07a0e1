"""Payment runs on real storage: paid once per month, in batches, with progress and a CSV."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from services.finance.store.models import PaymentLine
from shared.auth import Role
from tests.conftest import eventually
from tests.finance.conftest import (
    BOXTEL,
    VUGHT,
    Finance,
    decide,
    gemeente_staff,
    granted,
    lks_placement,
    measured,
    provider_staff,
    started,
)

CONTROLLER = gemeente_staff(BOXTEL)


async def run_month(finance: Finance, month: str, gemeente: str = BOXTEL) -> dict[str, Any]:
    """Start a run and wait for it to complete; its final state."""
    response = await finance.client.post("/v1/payment-runs", json={
        "gemeente": gemeente, "month": month}, headers=gemeente_staff(gemeente))
    assert response.status_code == 202, response.text
    location = response.headers["Location"]

    async def completed() -> dict[str, Any] | None:
        state = (await finance.client.get(location, headers=gemeente_staff(gemeente))).json()
        return state if state["status"] == "completed" else None

    await eventually(completed)
    final = await completed()
    assert final is not None
    return final


async def test_a_month_is_paid_once(finance: Finance) -> None:
    grants = [await lks_placement(finance, pct=pct) for pct in (50, 20, 90, 60)]
    _, late = await lks_placement(finance, start=date(2026, 1, 22))  # 10 of 31 days
    _, vught = await lks_placement(finance, gemeente=VUGHT, provider="IBN")

    run = await run_month(finance, "2026-01")
    # 1530.38 + 2142.53 + 306.08 (90%) + 1224.30 (60%) + 493.67 (from the 22nd)
    assert (run["totalGrants"], run["processed"], run["paymentCount"]) == (5, 5, 5)
    assert run["totalAmount"] == "5696.96"
    second = await finance.client.post("/v1/payment-runs", json={
        "gemeente": BOXTEL, "month": "2026-01"}, headers=CONTROLLER)
    assert second.status_code == 409
    assert second.headers["content-type"] == "application/problem+json"
    assert second.json()["existingRun"] == f"/v1/payment-runs/{run['id']}"
    assert await finance.service.count(PaymentLine) == 5

    lines = await finance.client.get(f"/v1/payment-runs/{run['id']}/lines.csv",
                                     headers=CONTROLLER)
    assert lines.status_code == 200 and lines.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(lines.text)))
    paid = {r["grantId"]: r["amount"] for r in rows}
    assert paid[str(grants[0][1].id)] == "1530.38" and paid[str(late.id)] == "493.67"
    assert str(vught.id) not in paid and {r["employerKvk"] for r in rows} == {"12345678"}
    assert sum(Decimal(a) for a in paid.values()) == Decimal("5696.96")

    completed = [e for e in await finance.events("finance.payment-run-completed")
                 if e["runId"] == run["id"]]
    assert [(e["paymentCount"], Decimal(e["totalAmount"])) for e in completed] == [
        (5, Decimal("5696.96"))]


async def test_expired_wage_value_is_not_paid(finance: Finance) -> None:
    candidate = uuid.uuid4()
    await finance.publish(measured(candidate, 50, date(2024, 6, 1),
                                   valid_until=date(2025, 6, 1)))
    await eventually(lambda: finance.has_wage_value(candidate))
    placement = started(candidate, start=date(2026, 1, 1))
    await finance.publish(placement)

    async def listed() -> bool:
        found = await finance.placement(placement.placement_id)
        return found is not None and found.unpayable_reason == "wage-value-expired"

    await eventually(listed)
    _, paid = await lks_placement(finance)
    run = await run_month(finance, "2026-01")
    assert (run["processed"], run["paymentCount"], run["totalAmount"]) == (1, 1, "1530.38")


async def test_a_grant_with_a_wage_value_that_runs_out_is_paid_its_valid_days(
        finance: Finance) -> None:
    candidate = uuid.uuid4()
    await finance.publish(measured(candidate, 50, date(2025, 1, 11),
                                   valid_until=date(2026, 1, 10)))
    await finance.publish(started(candidate, start=date(2025, 12, 1)))

    (proposal,) = await granted(finance, candidate)
    await decide(finance, proposal)
    run = await run_month(finance, "2026-01")
    assert run["totalAmount"] == "493.67"  # 10 of 31 days; then it is not paid
    february = await run_month(finance, "2026-02")
    assert (february["processed"], february["paymentCount"]) == (1, 0)
    worklist = await finance.client.get("/v1/grants/unpayable", params={"on": "2026-02-01"},
                                        headers=CONTROLLER)
    listed = [i for i in worklist.json()["items"] if i["candidateId"] == str(candidate)]
    assert [(i["reason"], i["since"][:10]) for i in listed] == [
        ("wage-value-expired", "2026-01-11")]
    before = await finance.client.get("/v1/grants/unpayable", params={"on": "2026-01-10"},
                                      headers=CONTROLLER)
    assert str(candidate) not in {i["candidateId"] for i in before.json()["items"]}


async def test_runs_are_the_gemeentes_own(finance: Finance) -> None:
    await lks_placement(finance)
    run = await run_month(finance, "2026-02")
    path = f"/v1/payment-runs/{run['id']}"
    for headers in (gemeente_staff(VUGHT), provider_staff()):
        response = await finance.client.get(path, headers=headers)
        assert response.status_code in (403, 404)
        csv_response = await finance.client.get(path + "/lines.csv", headers=headers)
        assert csv_response.status_code in (403, 404)
    for headers in (gemeente_staff(VUGHT), gemeente_staff(BOXTEL, Role.CASEWORKER),
                    provider_staff("WSD", (BOXTEL,), Role.CONTROLLER)):
        response = await finance.client.post("/v1/payment-runs", json={
            "gemeente": BOXTEL, "month": "2026-03"}, headers=headers)
        assert response.status_code == 403, response.text
    reader = gemeente_staff(BOXTEL, Role.CASEWORKER)
    assert (await finance.client.get(path, headers=reader)).status_code == 200


async def test_bad_run_requests(finance: Finance) -> None:
    for body, field in (({"gemeente": BOXTEL, "month": "2026-1"}, "month"),
                        ({"gemeente": "Boxtel", "month": "2026-01"}, "gemeente"),
                        ({"gemeente": BOXTEL}, "month"),
                        ({"gemeente": BOXTEL, "month": "2023-12"}, "month")):
        response = await finance.client.post("/v1/payment-runs", json=body, headers=CONTROLLER)
        assert response.status_code == 400, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert field in {p["name"] for p in response.json()["invalidParams"]}
    assert await finance.service.count(PaymentLine) == 0
    missing = await finance.client.get(f"/v1/payment-runs/{uuid.uuid4()}", headers=CONTROLLER)
    assert missing.status_code == 404
