"""One world for the authority table: the five apps in process on fresh SQLite databases and
the real bus, with one klantreis made over their APIs (a Boxtel resident referred to WSD, a
werkdiagnose, a programme, an employer, vacancy, proposal, LKS placement, grant, payment run,
budget, reserve, tariff, target, webhook subscription and delivery)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest
from fastapi import FastAPI

from services.diagnose.store import MIGRATIONS as DIAGNOSE
from services.finance.store import MIGRATIONS as FINANCE
from services.intake.store import MIGRATIONS as INTAKE
from services.matching.store import MIGRATIONS as MATCHING
from services.reporting.store import MIGRATIONS as REPORTING
from shared.auth import OrgKind, Role
from shared.bus.streams import ensure_stream
from shared.runtime import Runtime
from shared.settings import ServiceSettings
from tests.conftest import eventually
from tests.contract.bodies import (
    BUDGET,
    PLAN_ACTION,
    RESERVE,
    TARGET,
    TARIFF,
    placement_body,
    vacancy_body,
)
from tests.contract.parents import MONTH, MONTH_START, PROFILE, YEAR, registration
from tests.support.apps import settings_class
from tests.support.databases import databases_of
from tests.support.services import ServiceUnderTest, bearer, running_service

BOXTEL, VUGHT, WSD, IBN, WSP, PLATFORM = "GM0757", "GM0865", "WSD", "IBN", "WSP-NOB", "PLATFORM"
MIGRATIONS = {"intake": INTAKE, "diagnose": DIAGNOSE, "matching": MATCHING,
              "finance": FINANCE, "reporting": REPORTING}
SETTINGS: dict[str, dict[str, Any]] = {
    "matching": {"matching_retry_schedule_s": [0.2, 0.2], "matching_delivery_poll_s": 0.1,
                 "matching_delivery_timeout_s": 1.0},
    # WSD plays the regional entity here, so that "provider" is one organisation per column.
    "finance": {"finance_reassessment_interval_s": 0, "finance_entity": WSD,
                "finance_entity_shareholders": [BOXTEL], "finance_entity_buyers": []},
}


def token(column: str, role: Role) -> dict[str, str]:
    """The Authorization header of one column's organisation with one role."""
    if column == "gemeente (own)":
        return bearer(BOXTEL, OrgKind.GEMEENTE, role)
    if column == "gemeente (other)":
        return bearer(VUGHT, OrgKind.GEMEENTE, role)
    if column == "provider":
        return bearer(WSD, OrgKind.PROVIDER, role, gemeenten=(BOXTEL,))
    if column == "provider (other)":
        return bearer(IBN, OrgKind.PROVIDER, role, gemeenten=(BOXTEL,))
    if column == "wsp":
        return bearer(WSP, OrgKind.WSP, role, gemeenten=(BOXTEL,))
    assert column == "platform", column
    return bearer(PLATFORM, OrgKind.PLATFORM, role)


CASEWORKER = token("gemeente (own)", Role.CASEWORKER)
CONTROLLER = token("gemeente (own)", Role.CONTROLLER)
GEMEENTE_AM = token("gemeente (own)", Role.ACCOUNT_MANAGER)
CONSULTANT = token("provider", Role.CONSULTANT)
ACCOUNT_MANAGER = token("provider", Role.ACCOUNT_MANAGER)
PROVIDER_CONTROLLER = token("provider", Role.CONTROLLER)


@dataclass
class World:
    """The running apps by service and the ids of what was made, by service and name."""

    apps: dict[str, ServiceUnderTest]
    ids: dict[str, dict[str, Any]] = field(default_factory=dict)

    async def call(self, service: str, method: str, path: str, headers: dict[str, str],
                   expect: int | None = None, **request: Any) -> Any:
        """One request; fails with the answer unless its status is `expect` (when given)."""
        response = await self.apps[service].client.request(method, path, headers=headers,
                                                           **request)
        if expect is not None:
            assert response.status_code == expect, \
                f"{service} {method} {path}: {response.status_code} {response.text}"
        return response.json() if response.content else None

    async def until(self, service: str, path: str, headers: dict[str, str],
                    found: Callable[[Any], Any], **params: Any) -> Any:
        """GET until `found(body)` is truthy (events travel in between); that value."""
        seen: list[Any] = []

        async def check() -> bool:
            response = await self.apps[service].client.get(path, headers=headers,
                                                           params=params)
            value = found(response.json()) if response.status_code == 200 else None
            seen[:] = [value]
            return bool(value)

        await eventually(check, timeout_s=30.0, interval_s=0.1)
        return seen[0]

    async def subscription(self) -> str:
        """A fresh webhook subscription of Boxtel's accounthouder (for rows that delete it)."""
        body = await self.call("matching", "POST", "/v1/webhook-subscriptions", GEMEENTE_AM,
                               201, json={"url": "http://127.0.0.1:9/hook", "eventTypes": [
                                   "nl.participatiewet.matching.placement-started"]})
        return str(body["id"])


@pytest.fixture(scope="session")
async def world(nats_url: str, own_namespaces: Callable[[], str],
                tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[World]:
    """The five apps with one klantreis made; stopped at the end of the session."""
    bus_namespace = own_namespaces()
    workdir: Path = tmp_path_factory.mktemp("authority")
    # Every producer's stream first: a consumer set up before its producer's stream would wait.
    client = await nats.connect(nats_url)
    try:
        for producer in MIGRATIONS:
            await ensure_stream(client.jetstream(), producer, namespace=bus_namespace)
    finally:
        await client.close()
    async with AsyncExitStack() as stack:
        apps: dict[str, ServiceUnderTest] = {}
        for name, migrations in MIGRATIONS.items():
            databases = await stack.enter_async_context(
                databases_of("sqlite", migrations, workdir / name))
            settings = settings_class(name)(
                database_url=await databases.fresh(), nats_url=nats_url,
                bus_namespace=bus_namespace, environment="test", **SETTINGS.get(name, {}))
            create_app = __import__(f"services.{name}.main", fromlist=["create_app"]).create_app
            start = running_service if name != "reporting" else running_reader
            apps[name] = await stack.enter_async_context(
                start(create_app, settings, f"http://{name}"))
        to_intake = await stack.enter_async_context(httpx.AsyncClient(
            transport=httpx.ASGITransport(app=apps["intake"].app), base_url="http://intake"))
        apps["diagnose"].app.state.intake_client = to_intake  # /person asks intake
        made = World(apps)
        await seed(made)
        yield made


@asynccontextmanager
async def running_reader(create_app: Callable[[Any], FastAPI], settings: ServiceSettings,
                         base_url: str) -> AsyncIterator[ServiceUnderTest]:
    """A service that only consumes (reporting: no relay to wait for), its consumers set up."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        runtime: Runtime = app.state.runtime
        await runtime.bus.wait_connected()
        await eventually(lambda: runtime.consumers and all(c.name for c in runtime.consumers))
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url=base_url) as client:
            yield ServiceUnderTest(app=app, client=client, runtime=runtime, settings=settings)


async def seed(world: World) -> None:
    """The klantreis, step by step, each over the API of the service that owns it."""
    call: Callable[..., Awaitable[Any]] = world.call
    ids = {name: (await call("intake", "POST", "/v1/candidates", CASEWORKER, 201,
                             json=registration(bsn)))["id"]
           for name, bsn in (("chain", "999996708"), ("intake", "999996630"))}
    for candidate in ids.values():
        await call("intake", "POST", f"/v1/candidates/{candidate}/route-decisions", CASEWORKER,
                   201, json={"route": "refer", "provider": WSD, "question": "werkdiagnose"})
    # Intake's rows (closures among them) work on a candidate of their own; one read by the
    # uitvoerder puts a line in Boxtel's access log.
    await call("intake", "GET", f"/v1/candidates/{ids['intake']}", CONSULTANT, 200)
    world.ids["intake"] = {"candidateId": ids["intake"]}
    candidate = ids["chain"]
    diagnosis = await world.until("diagnose", "/v1/diagnoses", CONSULTANT,
                                  lambda b: b["items"] and b["items"][0]["id"],
                                  candidateId=candidate)
    case = f"/v1/diagnoses/{diagnosis}"
    await call("diagnose", "PUT", f"{case}/profile", CONSULTANT, 200, json=PROFILE)
    await call("diagnose", "POST", f"{case}/wage-value-measurements", CONSULTANT, 201, json={
        "method": "dariuz", "wageValuePct": 50, "measuredAt": MONTH_START.isoformat(),
        "migrated": True,
        "workplace": "Logistiek Boxtel BV", "jobTitle": "orderpicker"})
    world.ids["diagnose"] = {"diagnosisId": diagnosis}
    await call("intake", "POST", f"/v1/candidates/{candidate}/programme-decisions", CASEWORKER,
               201, json={"programme": "werk", "provider": WSD,
                          "startDate": MONTH_START.isoformat(), "migrated": True})
    employer = (await call("matching", "POST", "/v1/employers", ACCOUNT_MANAGER, 201, json={
        "kvkNumber": "12345678", "name": "Groothandel De Kempen BV", "sector": "logistiek",
        "gemeente": BOXTEL}))["id"]
    vacancy = (await call("matching", "POST", "/v1/vacancies", ACCOUNT_MANAGER, 201,
                          json=vacancy_body(employer)))["id"]
    subscription = await world.subscription()
    await world.until("matching", f"/v1/candidates/{candidate}/matches", ACCOUNT_MANAGER,
                      lambda b: b["items"])
    proposal = (await call("matching", "POST", f"/v1/vacancies/{vacancy}/proposals",
                           ACCOUNT_MANAGER, 201, json={"candidateId": candidate}))["id"]
    placement = (await call("matching", "POST", "/v1/placements", ACCOUNT_MANAGER, 201,
                            json=placement_body(candidate, employer, vacancy)))["id"]
    delivery = await world.until(
        "matching", f"/v1/webhook-subscriptions/{subscription}/deliveries", GEMEENTE_AM,
        lambda b: b["items"] and b["items"][0]["id"])
    world.ids["matching"] = {"candidateId": candidate, "employerId": employer,
                             "vacancyId": vacancy, "proposalId": proposal,
                             "placementId": placement, "subscriptionId": subscription,
                             "deliveryId": delivery}
    grant = await world.until("finance", "/v1/grants", CONTROLLER,
                              lambda b: b["items"] and b["items"][0]["id"],
                              candidateId=candidate)
    run = await call("finance", "POST", "/v1/payment-runs", CONTROLLER, 202,
                     json={"gemeente": BOXTEL, "month": MONTH})
    for path, headers, body in (
        (f"/v1/budgets/{BOXTEL}/{YEAR}", CONTROLLER, BUDGET),
        (f"/v1/reserves/{WSD}", PROVIDER_CONTROLLER, RESERVE),
        ("/v1/tariffs/begeleiding", PROVIDER_CONTROLLER, TARIFF),
    ):
        await call("finance", "PUT", path, headers, 200, json=body)
    world.ids["finance"] = {"grantId": grant, "runId": run["id"], "gemeente": BOXTEL,
                            "year": YEAR, "provider": WSD, "product": "begeleiding",
                            "month": MONTH}
    await call("reporting", "PUT", f"/v1/reports/targets/{BOXTEL}/{YEAR}", CONTROLLER, 200,
               json=TARGET)
    action = await call("reporting", "POST", f"/v1/reports/lokaal-plan/{BOXTEL}/actions",
                        CONTROLLER, 201, json=PLAN_ACTION)
    world.ids["reporting"] = {"gemeente": BOXTEL, "year": YEAR, "report": "overview",
                              "organisation": WSD, "actionId": action["id"],
                              "period": f"{YEAR}-H1"}
