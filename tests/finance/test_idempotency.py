"""Idempotency-Key on finance's creating POSTs (issue 15): a retry with the same key and body
gets the first answer and creates nothing again; the same key for another body is a 409; the
key is the user's own, so a colleague's retry passes its own role check.

Decided: the calculator and the business cases create nothing (nothing is stored, the same body
always gives the same answer), so they declare no key; budgets, reserves and tariffs are PUTs
(idempotent by themselves)."""

from __future__ import annotations

import uuid

from services.finance.main import create_app
from services.finance.settings import FinanceSettings
from services.finance.store.models import Grant, ParameterRow, PaymentRun
from shared.auth import OrgKind, Role
from tests.conftest import eventually
from tests.finance.conftest import (
    BOXTEL,
    Finance,
    gemeente_staff,
    granted,
    lks_placement,
    measured,
    started,
)
from tests.support.services import bearer

ADMIN = bearer("PLATFORM", OrgKind.PLATFORM, Role.ADMIN)
CONTROLLER = gemeente_staff(BOXTEL)
WML_JULY = {"code": "wml-hourly", "effectiveFrom": "2026-07-01", "value": "15.00",
            "unit": "EUR/hour", "source": "test value, not an official publication"}
CREATING = {"/parameters", "/payment-runs", "/grants/{grantId}/decisions",
            "/grants/{grantId}/refusals"}
COMPUTING = {"/lks-calculations", "/business-cases/candidate", "/business-cases/scenarios"}


def keyed(headers: dict[str, str], key: str) -> dict[str, str]:
    return {**headers, "Idempotency-Key": key}


def test_creating_posts_declare_the_key_and_calculations_do_not() -> None:
    paths = create_app(FinanceSettings(environment="test")).openapi()["paths"]
    posts = {path for path, operations in paths.items() if "post" in operations}
    assert posts == CREATING | COMPUTING
    for path in posts:
        headers = {p["name"] for p in paths[path]["post"].get("parameters", [])
                   if p["in"] == "header"}
        assert ("Idempotency-Key" in headers) is (path in CREATING), path


async def test_a_parameter_retried_with_its_key_is_added_once(finance: Finance) -> None:
    before = await finance.service.count(ParameterRow)
    key = str(uuid.uuid4())
    first = await finance.client.post("/v1/parameters", json=WML_JULY, headers=keyed(ADMIN, key))
    again = await finance.client.post("/v1/parameters", json=WML_JULY, headers=keyed(ADMIN, key))
    assert (first.status_code, again.status_code) == (201, 201), again.text
    assert again.json() == first.json() and again.json()["value"] == "15.00"
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Location"] == first.headers["Location"]
    assert first.headers["Location"] == "/v1/parameters?code=wml-hourly"
    assert await finance.service.count(ParameterRow) == before + 1
    other = await finance.client.post("/v1/parameters", json={**WML_JULY, "value": "15.01"},
                                      headers=keyed(ADMIN, key))
    assert other.status_code == 409 and other.headers["content-type"] == "application/problem+json"
    unkeyed = await finance.client.post("/v1/parameters", json=WML_JULY, headers=ADMIN)
    assert unkeyed.status_code == 409  # without a key: a second row for the date, refused
    assert await finance.service.count(ParameterRow) == before + 1


async def test_a_payment_run_retried_with_its_key_is_one_run(finance: Finance) -> None:
    await lks_placement(finance)
    key = str(uuid.uuid4())
    body = {"gemeente": BOXTEL, "month": "2026-04"}
    first = await finance.client.post("/v1/payment-runs", json=body,
                                      headers=keyed(CONTROLLER, key))
    again = await finance.client.post("/v1/payment-runs", json=body,
                                      headers=keyed(CONTROLLER, key))
    assert (first.status_code, again.status_code) == (202, 202), again.text
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["Location"] == f"/v1/payment-runs/{first.json()['id']}"
    assert await finance.service.count(PaymentRun) == 1
    # The key is the user's own: a colleague using it runs the command (and gets the 409 of a
    # month that has a run), a caseworker is refused before any replay.
    admin = await finance.client.post("/v1/payment-runs", json=body,
                                      headers=keyed(gemeente_staff(BOXTEL, Role.ADMIN), key))
    assert admin.status_code == 409
    caseworker = await finance.client.post(
        "/v1/payment-runs", json=body, headers=keyed(gemeente_staff(BOXTEL, Role.CASEWORKER),
                                                     key))
    assert caseworker.status_code == 403

    async def completed() -> bool:
        state = await finance.client.get(first.headers["Location"], headers=CONTROLLER)
        return bool(state.json()["status"] == "completed")

    await eventually(completed)  # the replay did not start a second worker on the run
    state = (await finance.client.get(first.headers["Location"], headers=CONTROLLER)).json()
    assert (state["paymentCount"], state["totalAmount"]) == (1, "1530.38")


async def test_a_decision_retried_with_its_key_is_decided_once(finance: Finance) -> None:
    candidate = uuid.uuid4()
    await finance.publish(measured(candidate, 50, started(candidate).start_date))
    await finance.publish(started(candidate))
    (grant,) = await granted(finance, candidate)
    body = {"decisionNumber": "LKS-2026-0007", "start": "2026-01-01",
            "monthlyAmount": "1530.38", "wageValuePct": 50, "reassessmentDate": "2027-01-01"}
    key = str(uuid.uuid4())
    path = f"/v1/grants/{grant.id}/decisions"
    first = await finance.client.post(path, json=body, headers=keyed(CONTROLLER, key))
    again = await finance.client.post(path, json=body, headers=keyed(CONTROLLER, key))
    assert (first.status_code, again.status_code) == (200, 200), again.text
    assert again.json() == first.json() and first.json()["status"] == "active"
    assert again.headers["Idempotent-Replayed"] == "true"
    granted_events = [e for e in await finance.events("finance.lks-granted")
                      if e["grantId"] == str(grant.id)]
    assert len(granted_events) == 1
    assert (await finance.client.post(path, json=body, headers=CONTROLLER)).status_code == 409


async def test_a_refusal_retried_with_its_key_is_refused_once(finance: Finance) -> None:
    candidate = uuid.uuid4()
    await finance.publish(measured(candidate, 50, started(candidate).start_date))
    await finance.publish(started(candidate))
    (grant,) = await granted(finance, candidate)
    key = str(uuid.uuid4())
    path = f"/v1/grants/{grant.id}/refusals"
    body = {"reason": "not-in-target-group"}
    first = await finance.client.post(path, json=body, headers=keyed(CONTROLLER, key))
    again = await finance.client.post(path, json=body, headers=keyed(CONTROLLER, key))
    assert (first.status_code, again.status_code) == (200, 200), again.text
    assert again.json() == first.json()
    assert (first.json()["status"], first.json()["refusalReason"]) == (
        "refused", "not-in-target-group")
    refused = [e for e in await finance.events("finance.lks-refused")
               if e["grantId"] == str(grant.id)]
    assert len(refused) == 1
    other = await finance.client.post(path, json={"reason": "other"},
                                      headers=keyed(CONTROLLER, key))
    assert other.status_code == 409
    async with finance.service.runtime.sessions() as session:
        stored = await session.get(Grant, grant.id)
    assert stored is not None and stored.refusal_reason == "not-in-target-group"
