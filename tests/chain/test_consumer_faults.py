"""A consuming service killed (SIGKILL) in the middle of a burst applies every event exactly
once after its restart; a webhook subscriber that is down gets its delivery later. Real
processes, real NATS, bounded in time."""

from __future__ import annotations

import itertools
import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import nats
from standardwebhooks import Webhook

from services.matching.store import MIGRATIONS as MATCHING_MIGRATIONS
from shared.auth import OrgKind, Role
from shared.bus.streams import durable_name
from shared.events.subjects import stream_name
from tests.chain.klantreis import BOXTEL, EMPLOYER, elfproef_bsns, register_all, vacancy_body
from tests.conftest import eventually
from tests.support.databases import DatabaseFactory, databases_of
from tests.support.processes import ServiceProcess
from tests.support.receiver import new_receiver, serving
from tests.support.services import bearer

BURST = 1000
CONTROLLER = bearer(BOXTEL, OrgKind.GEMEENTE, Role.CONTROLLER)


def registrations_reported(reporting: ServiceProcess, period: str) -> int:
    """Registrations in reporting's projection for Boxtel over the period."""
    response = httpx.get(f"{reporting.url}/v1/reports/registrations", headers=CONTROLLER,
                         params={"period": period}, timeout=10.0)
    assert response.status_code == 200, response.text
    return sum(int(row["people"]) for row in response.json()["rows"])


async def consumer_settled(nats_url: str, namespace: str) -> bool:
    """Reporting's durable consumer of intake's stream has nothing pending or unacked."""
    client = await nats.connect(nats_url)
    try:
        info = await client.jetstream().consumer_info(stream_name("intake", namespace),
                                                      durable_name("reporting", "intake"))
    finally:
        await client.close()
    return info.num_pending == 0 and info.num_ack_pending == 0


async def test_a_consumer_killed_mid_burst_applies_every_event_exactly_once(
    chain_intake_databases: DatabaseFactory, chain_reporting_databases: DatabaseFactory,
    nats_url: str, bus_namespace: str, tmp_path: Path,
) -> None:
    intake = ServiceProcess("intake", await chain_intake_databases.fresh(), nats_url,
                            bus_namespace, tmp_path).start()
    reporting = ServiceProcess("reporting", await chain_reporting_databases.fresh(), nats_url,
                               bus_namespace, tmp_path).start()
    period = str(datetime.now(UTC).year)  # registrations are dated by the clock
    ids: list[str] = []
    bsns = list(itertools.islice(elfproef_bsns(400_000_000), BURST))
    burst = threading.Thread(target=register_all, args=(intake.url, bsns, ids))
    try:
        burst.start()
        await eventually(lambda: registrations_reported(reporting, period) >= 100, timeout_s=60)
        reporting.kill()  # mid-burst, with fetched messages not yet acknowledged
        assert len(ids) < BURST, "the kill must come in the middle of the burst"
        reporting.start()
        burst.join(timeout=300)
        assert len(ids) == BURST
        # Unacknowledged messages come back after ack_wait (30 s); only then is it settled.
        await eventually(lambda: consumer_settled(nats_url, bus_namespace), timeout_s=90,
                         interval_s=1.0)
        await eventually(lambda: registrations_reported(reporting, period) == BURST,
                         timeout_s=30)
        assert registrations_reported(reporting, period) == BURST  # and not one more
    finally:
        burst.join(timeout=60)
        intake.stop()
        reporting.stop()


def deliveries(matching: ServiceProcess, subscription: str,
               headers: dict[str, str]) -> list[dict[str, Any]]:
    response = httpx.get(f"{matching.url}/v1/webhook-subscriptions/{subscription}/deliveries",
                         headers=headers, timeout=10.0)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


WSD = "WSD"
ACCOUNT_MANAGER = bearer(WSD, OrgKind.PROVIDER, Role.ACCOUNT_MANAGER, gemeenten=(BOXTEL,))
PUBLISHED = "nl.participatiewet.matching.vacancy-published"


async def test_a_subscriber_down_for_a_while_gets_its_delivery_later(
    chain_intake_databases: DatabaseFactory, nats_url: str, bus_namespace: str,
    tmp_path: Path,
) -> None:
    async with databases_of(chain_intake_databases.backend, MATCHING_MIGRATIONS,
                            tmp_path / "matching-db") as databases:
        matching = ServiceProcess("matching", await databases.fresh(), nats_url, bus_namespace,
                                  tmp_path, {"MATCHING_RETRY_SCHEDULE_S": json.dumps([1] * 8),
                                             "MATCHING_DELIVERY_POLL_S": "0.2"}).start()
        receiver = new_receiver()  # nobody listens on its port yet
        try:
            with httpx.Client(base_url=matching.url, headers=ACCOUNT_MANAGER,
                              timeout=10.0) as client:
                subscription = client.post("/v1/webhook-subscriptions", json={
                    "url": receiver.url, "eventTypes": [PUBLISHED]}).json()
                employer = client.post("/v1/employers", json=EMPLOYER).json()["id"]
                created = client.post("/v1/vacancies", json=vacancy_body(employer))
                assert created.status_code == 201, created.text

            def failed_attempts() -> int:
                found = deliveries(matching, subscription["id"], ACCOUNT_MANAGER)
                return sum(1 for d in found for a in d["attempts"] if a["statusCode"] is None)

            await eventually(lambda: failed_attempts() >= 2, timeout_s=30)
            async with serving(receiver):
                await eventually(lambda: receiver.received, timeout_s=30)
            (delivery,) = deliveries(matching, subscription["id"], ACCOUNT_MANAGER)
            assert delivery["status"] == "delivered"
            assert [a["statusCode"] for a in delivery["attempts"]][-1] == 200
            assert len(delivery["attempts"]) >= 3  # the log shows every try
            (received,) = receiver.received
            event = Webhook(subscription["secret"]).verify(received.body, received.headers)
            assert event["type"] == PUBLISHED
        finally:
            matching.stop()
