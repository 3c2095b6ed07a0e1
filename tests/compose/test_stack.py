"""The compose stack for real, as ops run it (production mode), over HTTP from the host:

1. the chain test's klantreis walked against the compose ports, the WSP's vacancy signed with
   the secret the stack was configured with, and the placement's outbound webhook delivered
   over https to a receiver container whose address is on the operator's allow-list (while
   other internal addresses stay refused);
2. one service's process SIGKILLed in the middle of a burst of registrations and referrals:
   its container restarts, and diagnose and reporting count every one exactly once.

Bounded in time everywhere; runs only under `make compose-test` (see conftest.py).
"""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import ssl
import subprocess
import threading
import time
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import httpx
from standardwebhooks import Webhook

from tests.chain.klantreis import BOXTEL, elfproef_bsns, registration
from tests.compose.conftest import RECEIVER_IP, Stack, say
from tests.conftest import eventually

SERVICES = ("intake", "diagnose", "matching", "finance", "reporting")
BURST = 300
RECEIVER_URL = "https://receiver:8443/hooks"  # the name the certificate is for


def chain_of(stack: Stack) -> Any:
    """The chain test's Chain, pointed at the compose ports instead of processes."""
    from tests.chain.test_klantreis_e2e import Chain

    # Chain reads only `.url` of each process.
    return Chain({name: SimpleNamespace(url=stack.url(name)) for name in SERVICES})


def received(stack: Stack) -> list[dict[str, Any]]:
    """What the receiver container has been sent (read over its own https)."""
    response = httpx.get(f"{stack.url('receiver')}/received", timeout=10.0,
                         verify=ssl.create_default_context(cafile=stack.ca_file))
    response.raise_for_status()
    return list(response.json())


async def test_the_klantreis_over_the_compose_stack(stack: Stack) -> None:
    from tests.chain import test_klantreis_e2e as walk

    started = time.monotonic()
    chain = chain_of(stack)
    receiver = SimpleNamespace(url=RECEIVER_URL)  # match_and_place reads only `.url`
    try:
        candidate = await walk.intake_to_programme(chain)
        placement = await walk.match_and_place(chain, candidate, receiver)
        payment = await walk.grant_and_pay(chain, candidate)
        await walk.reported(chain, payment["totalAmount"])
        await eventually(lambda: received(stack), timeout_s=60, interval_s=0.5)
        (delivery,) = received(stack)
        event = Webhook(placement["subscriptionSecret"]).verify(delivery["body"],
                                                                delivery["headers"])
        assert (event["type"], event["data"]["placementId"]) == (
            "nl.participatiewet.matching.placement-started", placement["id"])
        assert delivery["headers"]["host"] == "receiver:8443"
        # Only the allowed address passes: the database's name and numeric loopback do not.
        for url, reason in (("https://postgres:5432/", "postgres resolves to 172.30.213."),
                            ("https://127.1/", "127.1 resolves to 127.0.0.1, a loopback"),
                            ("http://receiver:8443/hooks", "not an https URL")):
            response = await chain.http["matching"].post(
                "/v1/webhook-subscriptions", headers=walk.ACCOUNT_MANAGER,
                json={"url": url, "eventTypes": [
                    "nl.participatiewet.matching.placement-started"]})
            assert response.status_code == 400, response.text
            assert response.headers["content-type"] == "application/problem+json"
            assert reason in response.json()["invalidParams"][0]["reason"], response.text
        assert RECEIVER_IP.startswith("172.30.213.")
    finally:
        for client in chain.http.values():
            await client.aclose()
    say(f"klantreis passed ({time.monotonic() - started:.0f} s)")


def cases_in_diagnose(stack: Stack) -> int:
    from tests.chain.test_klantreis_e2e import CONSULTANT

    response = httpx.get(f"{stack.url('diagnose')}/v1/diagnoses", headers=CONSULTANT,
                         params={"pageSize": 1}, timeout=10.0)
    assert response.status_code == 200, response.text
    return int(response.json()["total"])


def registrations_reported(stack: Stack) -> int:
    from tests.chain.test_klantreis_e2e import CONTROLLER

    response = httpx.get(f"{stack.url('reporting')}/v1/reports/registrations",
                         headers=CONTROLLER, params={"period": str(datetime.now(UTC).year)},
                         timeout=10.0)
    assert response.status_code == 200, response.text
    return sum(int(row["people"]) for row in response.json()["rows"])


def register_and_refer(stack: Stack, bsns: list[str], done: list[str]) -> None:
    """The burst: each resident registered and referred to WSD (two events for reporting's
    and diagnose's consumers); any answer but 201 fails the test."""
    from tests.chain.test_klantreis_e2e import CASEWORKER, WSD

    with httpx.Client(base_url=stack.url("intake"), headers=CASEWORKER, timeout=10.0) as client:
        for bsn in bsns:
            response = client.post("/v1/candidates", json=registration(bsn))
            assert response.status_code == 201, response.text
            candidate = response.json()["id"]
            response = client.post(f"/v1/candidates/{candidate}/route-decisions", json={
                "route": "refer", "provider": WSD, "question": "werkdiagnose"})
            assert response.status_code == 201, response.text
            done.append(candidate)


def state_of(container: str) -> tuple[int, str, int]:
    """(pid, health, restart count) of a container."""
    out = subprocess.run(
        ["docker", "inspect", "-f",
         "{{.State.Pid}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}} "
         "{{.RestartCount}}", container],
        capture_output=True, text=True, timeout=30, check=True).stdout.split()
    return int(out[0]), out[1], int(out[2])


async def test_a_service_killed_mid_burst_restarts_and_loses_nothing(stack: Stack) -> None:
    started = time.monotonic()
    cases_before, reported_before = cases_in_diagnose(stack), registrations_reported(stack)
    assert BOXTEL == "GM0757"
    bsns = list(itertools.islice(elfproef_bsns(500_000_000), BURST))
    done: list[str] = []
    burst = threading.Thread(target=register_and_refer, args=(stack, bsns, done), daemon=True)
    container = stack.container("diagnose")
    pid, _, restarts = state_of(container)
    burst.start()
    try:
        await eventually(lambda: cases_in_diagnose(stack) >= cases_before + 10, timeout_s=120,
                         interval_s=0.2)
        os.kill(pid, signal.SIGKILL)  # the service's own process (PID 1 of its container)
        killed_at = time.monotonic()
        assert len(done) < BURST, "the kill must come in the middle of the burst"
        say(f"diagnose SIGKILLed after {len(done)} of {BURST} registrations")

        def restarted() -> bool:
            new_pid, health, count = state_of(container)
            return count > restarts and new_pid not in (0, pid) and health == "healthy"

        await eventually(restarted, timeout_s=120, interval_s=1.0)
        burst.join(timeout=300)
        assert not burst.is_alive() and len(done) == BURST
        # Messages diagnose had fetched but not acknowledged come back after the consumer's
        # ack wait (30 s): only after that can a count show a double.
        await eventually(lambda: cases_in_diagnose(stack) == cases_before + BURST,
                         timeout_s=180, interval_s=1.0)
        await eventually(lambda: registrations_reported(stack) == reported_before + BURST,
                         timeout_s=120, interval_s=1.0)
        settle = 35 - (time.monotonic() - killed_at)
        if settle > 0:
            await asyncio.sleep(settle)
        assert cases_in_diagnose(stack) == cases_before + BURST  # and not one more
        assert registrations_reported(stack) == reported_before + BURST
    finally:
        burst.join(timeout=60)
    say(f"crash survived: diagnose restarted, {BURST} cases and {BURST} registrations, "
        f"none lost or doubled ({time.monotonic() - started:.0f} s)")
