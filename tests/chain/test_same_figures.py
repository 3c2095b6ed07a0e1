"""One definition per figure: finance and reporting fold the same stream to the same budget.

The demo's event stream (`services.reporting.demo.demo_events()`, the seeds' story) is published
to a running finance and a running reporting, each on its own real bus namespace and database.
The council reads the guidance budget in reporting, the controller in finance: both must say
what the WSD Boxtel lokaal plan says — 108 funded, 120 at WSD, 12 above budget, 20 directly with
employers (../shared/DOMAIN.md).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterable
from typing import Any

import nats
import pytest

from services.finance.main import create_app
from services.reporting.demo import demo_events
from shared.bus.streams import ensure_stream
from shared.events.envelope import Envelope
from shared.events.subjects import stream_name, subject_for
from shared.runtime import Runtime
from tests.conftest import delete_streams, eventually
from tests.finance.conftest import Finance, finance_databases, gemeente_staff, settings_for
from tests.reporting.conftest import (
    Reporting,
    gemeente_auth,
    reporting,
    reporting_databases,
)
from tests.support.databases import DatabaseFactory
from tests.support.services import running_service

__all__ = ["finance_databases", "reporting", "reporting_databases"]  # fixtures used here

BOXTEL, YEAR = "GM0757", 2026
# The lokaal plan funds 108 places; the price per place is the demo's (illustrative) €12,500.
BUDGET = {"fundedPlaces": 108, "placePrice": "12500.00", "lksBudget": "1500000.00"}


async def publish(nats_url: str, namespace: str, envelopes: Iterable[Envelope]) -> None:
    """As the producers' relays do: JetStream, one stream per producer, Nats-Msg-Id = id."""
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        for producer in ("intake", "diagnose", "matching", "finance"):
            await ensure_stream(js, producer, namespace=namespace)
        for envelope in envelopes:
            await js.publish(subject_for(envelope.event_name, envelope.gemeente, namespace),
                             envelope.to_json(), headers={"Nats-Msg-Id": envelope.id})
    finally:
        await nc.close()


async def drained(nats_url: str, namespace: str, runtime: Runtime) -> None:
    """Wait until every consumer of the service has handled everything on its stream."""
    nc = await nats.connect(nats_url)
    js = nc.jetstream()

    async def caught_up() -> bool:
        for consumer in runtime.consumers:
            info = await js.consumer_info(stream_name(consumer.producer, namespace),
                                          consumer.name)
            if info.num_pending or info.num_ack_pending:
                return False
        return True

    try:
        await eventually(caught_up, timeout_s=120)
    finally:
        await nc.close()


@pytest.fixture
async def finance(finance_databases: DatabaseFactory, nats_url: str) -> AsyncIterator[Finance]:
    """Finance on a bus namespace of its own: the demo's event ids must be new to its stream
    (JetStream drops a duplicate id) and to its durable consumers."""
    namespace = f"t{uuid.uuid4().hex[:10]}"
    settings = settings_for(await finance_databases.fresh(), nats_url, namespace)
    try:
        async with running_service(create_app, settings, "http://finance") as service:
            yield Finance(service=service, nats_url=nats_url, namespace=namespace)
    finally:
        await delete_streams(nats_url, namespace)


def same_backend(request: pytest.FixtureRequest) -> bool:
    params: dict[str, Any] = request.node.callspec.params
    return bool(params["finance_databases"] == params["reporting_databases"])


async def test_finance_and_reporting_show_the_same_guidance_budget(
    request: pytest.FixtureRequest, finance: Finance, reporting: Reporting, nats_url: str,
) -> None:
    if not same_backend(request):
        pytest.skip("one backend at a time: the figures do not depend on the pairing")
    stream = demo_events()
    await publish(nats_url, finance.namespace, stream)
    await reporting.publish(stream)
    put = await finance.client.put(f"/v1/budgets/{BOXTEL}/{YEAR}", json=BUDGET,
                                   headers=gemeente_staff())
    assert put.status_code == 200, put.text
    await drained(nats_url, finance.namespace, finance.service.runtime)
    await reporting.drained()

    in_finance = (await finance.client.get(f"/v1/budgets/{BOXTEL}/{YEAR}",
                                           headers=gemeente_staff())).json()["guidance"]
    report = await reporting.get("/v1/reports/budget", gemeente_auth(), period=str(YEAR))
    assert report.status_code == 200, report.text
    (in_reporting,) = report.json()["rows"]

    assert (in_finance["funded"], in_finance["atProvider"], in_finance["aboveBudget"],
            in_finance["direct"]) == (108, 120, 12, 20)
    assert (in_reporting["fundedPlaces"], in_reporting["atProvider"],
            in_reporting["aboveBudget"], in_reporting["direct"]) == (108, 120, 12, 20)
    assert in_finance["referenceDay"] == in_reporting["referenceDay"]
