"""The five services as processes on one bus, and the parent resources the fuzz suite needs.

Generated requests only reach a service's logic when their path names something that exists
and their token may act on it. So before fuzzing, one klantreis is made over the APIs (no
database is touched): candidates registered and referred, a werkdiagnose, a programme, an
employer, a vacancy, a proposal, an LKS placement, its grant, a payment run, budgets and
targets. The ids end up in `Parents.path_values`, per service and path parameter.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from shared.auth import OrgKind, Role
from shared.dutch_time import dutch_today
from tests.support.processes import ServiceProcess
from tests.support.services import bearer

BOXTEL, WSD, ENTITY, PLATFORM = "GM0757", "WSD", "WESTROM", "PLATFORM"
MONTH_START = dutch_today().replace(day=1)
MONTH, YEAR = MONTH_START.strftime("%Y-%m"), MONTH_START.year
TODAY = dutch_today().isoformat()

# Who calls. Every role of its kind, so that requests get past the role checks into the
# logic; the authority table (tests/authority) is where single roles are tested.
GEMEENTE = bearer(BOXTEL, OrgKind.GEMEENTE, *Role)
PROVIDER = bearer(WSD, OrgKind.PROVIDER, *Role, gemeenten=(BOXTEL,))
ENTITY_STAFF = bearer(ENTITY, OrgKind.PROVIDER, *Role, gemeenten=("GM0957", "GM1711"))
OPERATOR = bearer(PLATFORM, OrgKind.PLATFORM, Role.ADMIN)
CASEWORKER = bearer(BOXTEL, OrgKind.GEMEENTE, Role.CASEWORKER)
CONTROLLER = bearer(BOXTEL, OrgKind.GEMEENTE, Role.CONTROLLER)
CONSULTANT = bearer(WSD, OrgKind.PROVIDER, Role.CONSULTANT, gemeenten=(BOXTEL,))
ACCOUNT_MANAGER = bearer(WSD, OrgKind.PROVIDER, Role.ACCOUNT_MANAGER, gemeenten=(BOXTEL,))
PROVIDER_CONTROLLER = bearer(WSD, OrgKind.PROVIDER, Role.CONTROLLER, gemeenten=(BOXTEL,))

# The token per (service, method, path); any other operation of a service uses its default.
DEFAULT_CALLER = {"intake": GEMEENTE, "diagnose": PROVIDER, "matching": PROVIDER,
                  "finance": GEMEENTE, "reporting": GEMEENTE}
CALLERS: dict[tuple[str, str, str], dict[str, str]] = {
    ("finance", "POST", "/parameters"): OPERATOR,  # national legal parameters
    ("finance", "PUT", "/reserves/{provider}"): PROVIDER,
    ("finance", "GET", "/reserves/{provider}"): PROVIDER,
    ("finance", "PUT", "/tariffs/{product}"): ENTITY_STAFF,
}


def caller(service: str, method: str, path: str) -> dict[str, str]:
    """The Authorization header a generated request of this operation carries."""
    return CALLERS.get((service, method.upper(), path), DEFAULT_CALLER[service])


def registration(bsn: str) -> dict[str, object]:
    """A Boxtel resident (test BSNs from DOMAIN.md)."""
    return {"bsn": bsn, "givenName": "Test", "familyName": "Persoon", "birthDate": "1990-04-01",
            "postcode": "5281 AB", "targetGroup": "bijstand", "benefit": "bijstand"}


PROFILE = {"constraints": [{"code": "lifting-max-kg", "value": 10}],
           "interests": ["logistiek"], "skills": ["scanner"], "certificates": [],
           "hoursPerWeek": 24, "homeGemeente": BOXTEL, "travelRadiusKm": 15}
TASK = {"name": "orders picken", "hoursPerWeek": 24,
        "demands": [{"code": "standing-max-hours", "value": 4}], "skills": ["scanner"]}


@dataclass
class Stack:
    """The processes, a client per service, and what was made."""

    processes: dict[str, ServiceProcess]
    http: dict[str, httpx.Client] = field(default_factory=dict)
    path_values: dict[str, dict[str, Any]] = field(default_factory=dict)
    seeded: list[str] = field(default_factory=list)  # what could not be made, for the report

    def call(self, service: str, method: str, path: str, headers: dict[str, str],
             expect: int | None = None, **request: Any) -> Any:
        """One request; with `expect`, fails with the answer unless the status is that."""
        response = self.http[service].request(method, path, headers=headers, **request)
        if expect is not None:
            assert response.status_code == expect, \
                f"seeding {service} {method} {path}: {response.status_code} {response.text}"
        elif response.status_code >= 300:
            self.seeded.append(f"{service} {method} {path}: {response.status_code}")
            return None
        return response.json() if response.content else None

    def until(self, service: str, path: str, headers: dict[str, str],
              found: Callable[[Any], Any], timeout_s: float = 30.0, **params: Any) -> Any:
        """GET until `found(body)` is truthy (events travel in between); that value or None."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            response = self.http[service].get(path, headers=headers, params=params)
            if response.status_code == 200 and (value := found(response.json())):
                return value
            time.sleep(0.2)
        self.seeded.append(f"{service} GET {path}: nothing within {timeout_s}s")
        return None


@contextmanager
def five_services(nats_url: str, namespace: str, workdir: Path,
                  services: list[str]) -> Iterator[Stack]:
    """Every service as a process on its own fresh SQLite database, on one bus."""
    processes: dict[str, ServiceProcess] = {}
    extra: dict[str, dict[str, str]] = {"matching": {"MATCHING_DELIVERY_POLL_S": "0.5",
                                                     "MATCHING_WSP_WEBHOOK_SECRETS": json.dumps(
        {"WSP-NOB": "whsec_ZnV6ei1zdWl0ZS13c3Atc2VjcmV0LTMyLWJ5dGVzIQ=="})}}
    for name in services:
        env = dict(extra.get(name, {}))
        if name == "diagnose" and "intake" in processes:
            env["DIAGNOSE_INTAKE_URL"] = processes["intake"].url  # /person asks intake
        processes[name] = ServiceProcess(name, f"sqlite+aiosqlite:///{workdir / name}.db",
                                         nats_url, namespace, workdir, env)
    try:
        # One after the other: on a shared 2-core box five starting at once time out.
        for process in processes.values():
            process.migrate().start()
        stack = Stack(processes, {n: httpx.Client(base_url=p.url, timeout=15.0)
                                  for n, p in processes.items()})
        yield stack
        for client in stack.http.values():
            client.close()
    finally:
        for process in processes.values():
            process.stop()


def seed(stack: Stack) -> None:
    """One klantreis over the APIs; the ids every service's paths take."""
    candidates = {}
    for name, bsn in (("chain", "999996708"), ("intake", "999996630")):
        candidates[name] = stack.call("intake", "POST", "/v1/candidates", CASEWORKER, 201,
                                      json=registration(bsn))["id"]
        stack.call("intake", "POST", f"/v1/candidates/{candidates[name]}/route-decisions",
                   CASEWORKER, 201,
                   json={"route": "refer", "provider": WSD, "question": "werkdiagnose"})
    candidate = candidates["chain"]
    # Intake's own fuzzing (closures, decisions) works on a candidate of its own, so that it
    # does not close the one the other services' parents hang on.
    stack.path_values["intake"] = {"candidateId": candidates["intake"]}

    diagnosis = stack.until("diagnose", "/v1/diagnoses", CONSULTANT,
                            lambda body: body["items"] and body["items"][0]["id"],
                            candidateId=candidate)
    assert diagnosis, f"diagnose opened no case for the referral: {stack.seeded}"
    case = f"/v1/diagnoses/{diagnosis}"
    stack.call("diagnose", "POST", f"{case}/instrument-plans", CONSULTANT, 201,
               json={"instrument": "werkdiagnose", "startedOn": MONTH_START.isoformat(),
                     "migrated": True})
    stack.call("diagnose", "PUT", f"{case}/profile", CONSULTANT, 200, json=PROFILE)
    stack.call("diagnose", "POST", f"{case}/wage-value-measurements", CONSULTANT, 201, json={
        "method": "dariuz", "wageValuePct": 50, "measuredAt": MONTH_START.isoformat(),
        "migrated": True,
        "workplace": "Logistiek Boxtel BV", "jobTitle": "orderpicker"})
    stack.call("diagnose", "POST", f"{case}/advices", CONSULTANT, 201, json={
        "programme": "werk", "lksIndicated": True, "shelteredWorkIndicated": False,
        "developmentPotential": "limited", "summary": "Kan met LKS aan het werk."})
    stack.path_values["diagnose"] = {"diagnosisId": diagnosis}
    stack.call("intake", "POST", f"/v1/candidates/{candidate}/programme-decisions", CASEWORKER,
               201, json={"programme": "werk", "provider": WSD,
                          "startDate": MONTH_START.isoformat(), "migrated": True})
    seed_matching(stack, candidate)
    seed_finance(stack, candidate)
    stack.call("reporting", "PUT", f"/v1/reports/targets/{BOXTEL}/{YEAR}", CONTROLLER,
               json={"places": 483})  # Boxtel's target from DOMAIN.md
    stack.path_values["reporting"] = {"gemeente": BOXTEL, "year": YEAR}


def seed_matching(stack: Stack, candidate: str) -> None:
    """Employer, vacancy, subscription, proposal, placement and a webhook delivery."""
    employer = stack.call("matching", "POST", "/v1/employers", ACCOUNT_MANAGER, 201, json={
        "kvkNumber": "12345678", "name": "Groothandel De Kempen BV", "sector": "logistiek",
        "gemeente": BOXTEL})["id"]
    vacancy = stack.call("matching", "POST", "/v1/vacancies", ACCOUNT_MANAGER, 201, json={
        "employerId": employer, "title": "Orderpicker", "werksoort": "logistiek",
        "gemeente": BOXTEL, "hoursPerWeek": 24, "hourlyWage": "14.71",
        "contractForms": ["lks"], "tasks": [TASK]})["id"]
    # A receiver that is never there (a closed port): deliveries exist and are retried.
    subscription = stack.call("matching", "POST", "/v1/webhook-subscriptions", ACCOUNT_MANAGER,
                              json={"url": "http://127.0.0.1:9/hook", "eventTypes": [
                                  "nl.participatiewet.matching.placement-started"]})
    matched = stack.until("matching", f"/v1/candidates/{candidate}/matches", ACCOUNT_MANAGER,
                          lambda body: body["items"])
    assert matched, f"matching never saw the candidate's profile and programme: {stack.seeded}"
    proposal = stack.call("matching", "POST", f"/v1/vacancies/{vacancy}/proposals",
                          ACCOUNT_MANAGER, 201, json={"candidateId": candidate})["id"]
    placement = stack.call("matching", "POST", "/v1/placements", ACCOUNT_MANAGER, 201, json={
        "candidateId": candidate, "employerId": employer, "vacancyId": vacancy, "form": "lks",
        "hoursPerWeek": 24, "hourlyWage": "14.71", "startDate": MONTH_START.isoformat()})["id"]
    values: dict[str, Any] = {"candidateId": candidate, "employerId": employer,
                              "vacancyId": vacancy, "proposalId": proposal,
                              "placementId": placement}
    if subscription is not None:
        values["subscriptionId"] = subscription["id"]
        delivery = stack.until(
            "matching", f"/v1/webhook-subscriptions/{subscription['id']}/deliveries",
            ACCOUNT_MANAGER, lambda body: body["items"] and body["items"][0]["id"])
        if delivery:
            values["deliveryId"] = delivery
    stack.path_values["matching"] = values


def seed_finance(stack: Stack, candidate: str) -> None:
    """The grant finance makes from placement and loonwaarde, a payment run, budget, reserve."""
    grant = stack.until("finance", "/v1/grants", CONTROLLER,
                        lambda body: body["items"] and body["items"][0]["id"],
                        candidateId=candidate)
    assert grant, f"finance made no grant from the LKS placement: {stack.seeded}"
    run = stack.call("finance", "POST", "/v1/payment-runs", CONTROLLER,
                     json={"gemeente": BOXTEL, "month": MONTH})
    # Boxtel's 108 funded places (DOMAIN.md); the place price and LKS budget are illustrative.
    stack.call("finance", "PUT", f"/v1/budgets/{BOXTEL}/{YEAR}", CONTROLLER,
               json={"fundedPlaces": 108, "placePrice": "10000.00", "lksBudget": "500000.00"})
    stack.call("finance", "PUT", f"/v1/reserves/{WSD}", PROVIDER_CONTROLLER,
               json={"amount": "6700000.00"})  # WSD's stimulus reserve, DOMAIN.md
    values: dict[str, Any] = {"grantId": grant, "gemeente": BOXTEL, "year": YEAR,
                              "provider": WSD, "month": MONTH}
    if run is not None:
        values["runId"] = run["id"]
    stack.path_values["finance"] = values
