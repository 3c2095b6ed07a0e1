"""One klantreis through the five services as separate processes, over HTTP only.

register → refer → werkdiagnose (ZRM, constraints, loonwaarde, advice) → programme decision →
vacancy in via the WSP webhook → match with reasons → proposal → LKS placement → LKS proposed →
the college decides it → payment run → the report shows the placement and the spend; a
subscriber's receiver saw the placement, signed.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from standardwebhooks import Webhook

from services.diagnose.store import MIGRATIONS as DIAGNOSE
from services.finance.store import MIGRATIONS as FINANCE
from services.intake.store import MIGRATIONS as INTAKE
from services.matching.store import MIGRATIONS as MATCHING
from services.reporting.store import MIGRATIONS as REPORTING
from shared.auth import OrgKind, Role
from shared.dutch_time import dutch_today
from tests.chain.klantreis import BOXTEL, registration
from tests.conftest import eventually
from tests.support.databases import databases_of, postgres_admin_url
from tests.support.processes import ServiceProcess
from tests.support.receiver import Receiver, new_receiver, serving
from tests.support.services import bearer

WSD, WSP = "WSD", "WSP-MEIERIJ"
WSP_SECRET = "whsec_" + base64.b64encode(b"e2e-wsp-secret-of-32-bytes-long!").decode()
MIGRATIONS = {"intake": INTAKE, "diagnose": DIAGNOSE, "matching": MATCHING,
              "finance": FINANCE, "reporting": REPORTING}
CASEWORKER = bearer(BOXTEL, OrgKind.GEMEENTE, Role.CASEWORKER)
CONTROLLER = bearer(BOXTEL, OrgKind.GEMEENTE, Role.CONTROLLER)
CONSULTANT = bearer(WSD, OrgKind.PROVIDER, Role.CONSULTANT, gemeenten=(BOXTEL,))
ACCOUNT_MANAGER = bearer(WSD, OrgKind.PROVIDER, Role.ACCOUNT_MANAGER, gemeenten=(BOXTEL,))
MONTH_START = dutch_today().replace(day=1)
MONTH = MONTH_START.strftime("%Y-%m")


class Chain:
    """The five services as processes, and an HTTP client per service."""

    def __init__(self, processes: dict[str, ServiceProcess]) -> None:
        self.processes = processes
        self.http = {name: httpx.AsyncClient(base_url=p.url, timeout=10.0)
                     for name, p in processes.items()}

    async def call(self, service: str, method: str, path: str, headers: dict[str, str],
                   expect: int, **request: Any) -> Any:
        """One request; fails with the answer's body unless the status is `expect`."""
        response = await self.http[service].request(method, path, headers=headers, **request)
        assert response.status_code == expect, f"{service} {method} {path}: {response.text}"
        return response.json() if response.content else None

    async def until(self, service: str, path: str, headers: dict[str, str],
                    found: Any, timeout_s: float = 20.0, **params: Any) -> Any:
        """GET until `found(body)` is truthy (events travel between the calls); that body."""
        seen: list[Any] = []

        async def check() -> bool:
            response = await self.http[service].get(path, headers=headers, params=params)
            seen[:] = [response.json()] if response.status_code == 200 else []
            return bool(seen and found(seen[0]))

        await eventually(check, timeout_s=timeout_s, interval_s=0.2)
        return seen[0]


@pytest.fixture
async def chain(nats_url: str, bus_namespace: str, tmp_path: Path) -> AsyncIterator[Chain]:
    """The five services on this bus, each on its own fresh database (Postgres when
    TEST_DATABASE_URL is set, else SQLite)."""
    backend = "postgres" if postgres_admin_url() else "sqlite"
    processes: dict[str, ServiceProcess] = {}
    extra = {"matching": {"MATCHING_WSP_WEBHOOK_SECRETS": json.dumps({WSP: WSP_SECRET}),
                          "MATCHING_DELIVERY_POLL_S": "0.2"}}
    async with AsyncExitStack() as databases:  # dropped after the processes have stopped
        try:
            for name, migrations in MIGRATIONS.items():
                factory = await databases.enter_async_context(
                    databases_of(backend, migrations, tmp_path / f"{name}-db"))
                env = dict(extra.get(name, {}))
                if name == "diagnose":
                    env["DIAGNOSE_INTAKE_URL"] = processes["intake"].url
                processes[name] = ServiceProcess(name, await factory.fresh(), nats_url,
                                                 bus_namespace, tmp_path, env).start()
            chain = Chain(processes)
            yield chain
            for client in chain.http.values():
                await client.aclose()
        finally:
            for process in processes.values():
                process.stop()


PROFILE = {"constraints": [{"code": "lifting-max-kg", "value": 10}],
           "interests": ["logistiek"], "skills": ["scanner"], "certificates": [],
           "hoursPerWeek": 24, "homeGemeente": BOXTEL, "travelRadiusKm": 15}
HEAVY = {"name": "pallets laden", "hoursPerWeek": 8,
         "demands": [{"code": "lifting-max-kg", "value": 25}], "skills": ["heftruck rijden"]}
LIGHT = {"name": "orders picken", "hoursPerWeek": 24,
         "demands": [{"code": "standing-max-hours", "value": 4}], "skills": ["scanner"]}


def wsp_vacancy() -> tuple[bytes, dict[str, str]]:
    """The WSP's create message for a warehouse job in Boxtel, signed as the WSP signs it."""
    body = json.dumps({"action": "create", "externalRef": "WSP-E2E-1", "vacancy": {
        "employer": {"kvkNumber": "87654321", "name": "Logistiek Boxtel BV",
                     "sector": "logistiek", "gemeente": BOXTEL},
        "title": "Magazijnmedewerker", "werksoort": "logistiek", "gemeente": BOXTEL,
        "hoursPerWeek": 32, "hourlyWage": "14.71", "contractForms": ["lks"],
        "tasks": [HEAVY, LIGHT]}}).encode()
    msg_id, now = f"msg_{uuid.uuid4().hex}", datetime.now(UTC)
    headers = {"webhook-id": msg_id, "webhook-timestamp": str(int(now.timestamp())),
               "webhook-signature": Webhook(WSP_SECRET).sign(msg_id, now, body.decode()),
               "content-type": "application/json"}
    return body, headers


async def intake_to_programme(chain: Chain, bsn: str = "999996708") -> str:
    """Register, refer, the uitvoerder's werkdiagnose and advice, the programme decision."""
    candidate = (await chain.call("intake", "POST", "/v1/candidates", CASEWORKER, 201,
                                  json=registration(bsn)))["id"]
    await chain.call("intake", "POST", f"/v1/candidates/{candidate}/route-decisions",
                     CASEWORKER, 201,
                     json={"route": "refer", "provider": WSD, "question": "werkdiagnose"})
    cases = await chain.until("diagnose", "/v1/diagnoses", CONSULTANT,
                              lambda body: body["items"], candidateId=candidate)
    case = f"/v1/diagnoses/{cases['items'][0]['id']}"
    today = dutch_today().isoformat()
    for method, path, body, status in (
        # Dated from the month's start, before today's referral: history, marked as such.
        ("POST", "instrument-plans", {"instrument": "werkdiagnose", "migrated": True,
                                      "startedOn": MONTH_START.isoformat()}, 201),
        ("POST", "zrm-assessments", {"assessedOn": today,
                                     "scores": {"werk-en-opleiding": 3, "financien": 3},
                                     "partial": True,
                                     "partialReason": "alleen werk en financiën besproken"},
         201),
        ("PUT", "profile", PROFILE, 200),
        ("POST", "wage-value-measurements", {
            "method": "dariuz", "wageValuePct": 50, "measuredAt": MONTH_START.isoformat(),
            "workplace": "Logistiek Boxtel BV", "jobTitle": "orderpicker", "migrated": True},
         201),
        ("POST", "advices", {"programme": "werk", "lksIndicated": True,
                             "shelteredWorkIndicated": False,
                             "developmentPotential": "limited",
                             "summary": "Kan met LKS aan het werk in de logistiek."}, 201),
    ):
        await chain.call("diagnose", method, f"{case}/{path}", CONSULTANT, status, json=body)
    await chain.call("intake", "POST", f"/v1/candidates/{candidate}/programme-decisions",
                     CASEWORKER, 201, json={"programme": "werk", "provider": WSD,
                                            "startDate": MONTH_START.isoformat(),
                                            "migrated": True})
    return str(candidate)


async def match_and_place(chain: Chain, candidate: str, receiver: Receiver) -> dict[str, Any]:
    """Subscribe, the WSP's vacancy, the match and its reasons, proposal, LKS placement."""
    subscription = await chain.call("matching", "POST", "/v1/webhook-subscriptions",
                                    ACCOUNT_MANAGER, 201, json={
        "url": receiver.url,
        "eventTypes": ["nl.participatiewet.matching.placement-started"]})
    body, headers = wsp_vacancy()
    response = await chain.http["matching"].post("/v1/webhooks/wsp/vacancies", content=body,
                                                 headers=headers)
    assert response.status_code == 201, response.text
    matches = await chain.until("matching", f"/v1/candidates/{candidate}/matches",
                                ACCOUNT_MANAGER, lambda body: body["items"])
    match = matches["items"][0]
    # The reasons: the heavy task conflicts with the lifting limit, a carving fits.
    assert [(c["task"], c["code"]) for c in match["conflicts"]] == [
        ("pallets laden", "lifting-max-kg")]
    assert match["suggestedCarving"]["tasks"] == ["orders picken"]
    assert {c["name"] for c in match["components"]} >= {"skills", "hours", "travel"}
    vacancy = match["vacancyId"]
    proposal = await chain.call("matching", "POST", f"/v1/vacancies/{vacancy}/proposals",
                                ACCOUNT_MANAGER, 201, json={"candidateId": candidate})
    for status in ("interview", "accepted"):
        await chain.call("matching", "POST", f"/v1/proposals/{proposal['id']}/status-changes",
                         ACCOUNT_MANAGER, 201, json={"status": status})
    employer = (await chain.call("matching", "GET", f"/v1/vacancies/{vacancy}",
                                 ACCOUNT_MANAGER, 200))["employerId"]
    placement: dict[str, Any] = await chain.call(
        "matching", "POST", "/v1/placements", ACCOUNT_MANAGER, 201, json={
            "candidateId": candidate, "employerId": employer, "vacancyId": vacancy,
            "form": "lks", "hoursPerWeek": 24, "hourlyWage": "14.71",
            "startDate": MONTH_START.isoformat()})
    placement["subscriptionSecret"] = subscription["secret"]
    return placement


async def decide_grant(chain: Chain, candidate: str) -> None:
    """The grant finance proposed from the placement and the loonwaarde, decided by the
    gemeente's caseworker (the college's beschikking) on finance's own terms."""

    def of_candidate(body: dict[str, Any]) -> list[dict[str, Any]]:
        return [g for g in body["items"] if g["candidateId"] == candidate]

    pending = await chain.until("finance", "/v1/grants/pending", CASEWORKER, of_candidate)
    (proposal,) = of_candidate(pending)
    assert proposal["status"] == "pending"
    start = date.fromisoformat(proposal["validFrom"])
    number = f"LKS-E2E-{candidate[:8]}"
    decided = await chain.call(
        "finance", "POST", f"/v1/grants/{proposal['id']}/decisions", CASEWORKER, 200, json={
            "decisionNumber": number, "start": start.isoformat(),
            "monthlyAmount": proposal["monthlyAmount"], "wageValuePct": proposal["wageValuePct"],
            "reassessmentDate": start.replace(year=start.year + 1).isoformat()})
    assert decided["decisionNumber"] == number
    grants = await chain.until("finance", "/v1/grants", CONTROLLER,
                               lambda body: body["items"], candidateId=candidate)
    assert grants["items"][0]["status"] == "active"


async def grant_and_pay(chain: Chain, *candidates: str) -> dict[str, Any]:
    """Each candidate's grant decided, then this month's payment run pays them all."""
    for candidate in candidates:
        await decide_grant(chain, candidate)
    run = await chain.call("finance", "POST", "/v1/payment-runs", CONTROLLER, 202,
                           json={"gemeente": BOXTEL, "month": MONTH})
    done: dict[str, Any] = await chain.until("finance", f"/v1/payment-runs/{run['id']}",
                                             CONTROLLER, lambda b: b["status"] == "completed")
    assert done["paymentCount"] == len(candidates)
    return done


async def sheltered_placement(chain: Chain, candidate: str, employer: str) -> str:
    """Beschut werk (art. 10b): refused without the college's indication, placed with it."""
    body = {"candidateId": candidate, "employerId": employer, "form": "sheltered",
            "hoursPerWeek": 24, "hourlyWage": "14.71", "startDate": MONTH_START.isoformat()}
    # Matching knows the candidate once it has folded the programme decision.
    await chain.until("matching", f"/v1/candidates/{candidate}/matches", ACCOUNT_MANAGER,
                      lambda body: "items" in body)
    refused = await chain.http["matching"].post("/v1/placements", json=body,
                                                headers=ACCOUNT_MANAGER)
    assert refused.status_code == 400, refused.text
    assert "indication" in refused.json()["detail"]
    advised = MONTH_START - timedelta(days=14)
    await chain.call("intake", "POST", f"/v1/candidates/{candidate}/sheltered-work-indications",
                     CASEWORKER, 201, json={
                         "uwvAdviceDate": advised.isoformat(), "uwvOutcome": "positive",
                         "decision": "granted",
                         "decidedOn": (advised + timedelta(days=7)).isoformat()})

    placed: list[str] = []

    async def place() -> bool:  # once matching has folded the indication from the bus
        response = await chain.http["matching"].post("/v1/placements", json=body,
                                                     headers=ACCOUNT_MANAGER)
        assert response.status_code in (201, 400), response.text
        if response.status_code == 201:
            placed.append(response.json()["id"])
        return bool(placed)

    await eventually(place, timeout_s=30, interval_s=0.5)
    return placed[0]


async def reported(chain: Chain, paid: str, grants: int = 1) -> None:
    """Reporting's figures, folded from the events alone, show the placement and the spend."""
    year = str(MONTH_START.year)

    def lks_started(body: dict[str, Any]) -> bool:
        return any(r["form"] == "lks" and r["started"] == 1 for r in body["rows"])

    await chain.until("reporting", "/v1/reports/placements", CONTROLLER, lks_started,
                      period=year)

    def spent(body: dict[str, Any]) -> bool:
        rows = body["rows"]
        return bool(rows) and rows[0]["paidAmount"] is not None and \
            abs(float(rows[0]["paidAmount"]) - float(paid)) < 0.005

    lks = await chain.until("reporting", "/v1/reports/lks", CONTROLLER, spent, period=year)
    assert (lks["rows"][0]["granted"], lks["rows"][0]["payments"]) == (grants, grants)


async def test_one_klantreis_from_registration_to_the_report(chain: Chain) -> None:
    async with serving(new_receiver()) as receiver:
        candidate = await intake_to_programme(chain)
        placement = await match_and_place(chain, candidate, receiver)
        sheltered = await intake_to_programme(chain, bsn="999996630")
        beschut = await sheltered_placement(chain, sheltered, placement["employerId"])
        payment = await grant_and_pay(chain, candidate, sheltered)
        await reported(chain, payment["totalAmount"], grants=2)
        await eventually(lambda: len(receiver.received) == 2, timeout_s=20)
    hook = Webhook(placement["subscriptionSecret"])
    events = [hook.verify(d.body, d.headers) for d in receiver.received]
    assert {(e["type"], e["data"]["placementId"], e["data"]["form"]) for e in events} == {
        ("nl.participatiewet.matching.placement-started", placement["id"], "lks"),
        ("nl.participatiewet.matching.placement-started", beschut, "sheltered")}
    assert float(payment["totalAmount"]) > 0
