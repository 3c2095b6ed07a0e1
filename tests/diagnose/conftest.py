"""Diagnose under test beside intake: two real apps on one bus, each on its own fresh database.

Intake publishes referrals that diagnose consumes; diagnose publishes advice that intake
consumes; diagnose asks intake (in process, over ASGI) who a person is. Both databases use the
same backend per run, so the Postgres variant is not a cross product of backends.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import nats
import pytest

from services.diagnose.main import create_app as create_diagnose_app
from services.diagnose.settings import DiagnoseSettings
from services.diagnose.store import MIGRATIONS as DIAGNOSE_MIGRATIONS
from services.intake.main import create_app as create_intake_app
from services.intake.store import MIGRATIONS as INTAKE_MIGRATIONS
from shared.auth import OrgKind, Role
from shared.bus.streams import ensure_stream
from shared.events.envelope import Envelope
from shared.events.subjects import subject_for
from tests.conftest import eventually
from tests.intake.conftest import BOXTEL, IBN, VUGHT, WSD, auth, candidate_body, refer
from tests.intake.conftest import settings_for as intake_settings_for
from tests.support.databases import BACKENDS, DatabaseFactory, databases_of
from tests.support.services import ServiceUnderTest, bearer, running_service

__all__ = ["BOXTEL", "IBN", "VUGHT", "WSD", "auth"]  # intake's, re-exported for these tests

MEIERIJSTAD = "GM1948"
# Who the person is; none of it may ever reach diagnose's events.
PERSON = {"givenName": "Fenna", "familyName": "Vossenberg", "birthDate": "1987-06-13",
          "postcode": "5283 KL"}


@pytest.fixture(scope="session", params=BACKENDS)
async def diagnose_databases(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[DatabaseFactory]:
    """Migrated diagnose databases on SQLite, and on Postgres when TEST_DATABASE_URL is set."""
    async with databases_of(request.param, DIAGNOSE_MIGRATIONS,
                            tmp_path_factory.mktemp("diagnose-db")) as factory:
        yield factory


@pytest.fixture(scope="session")
async def intake_databases(
    diagnose_databases: DatabaseFactory, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[DatabaseFactory]:
    """Intake's databases, on the same backend as diagnose's."""
    async with databases_of(diagnose_databases.backend, INTAKE_MIGRATIONS,
                            tmp_path_factory.mktemp("intake-db")) as factory:
        yield factory


@dataclass
class Chain:
    """Intake and diagnose, running side by side on one bus."""

    intake: ServiceUnderTest
    diagnose: ServiceUnderTest
    nats_url: str
    namespace: str


@pytest.fixture
async def chain(
    intake_databases: DatabaseFactory, diagnose_databases: DatabaseFactory, nats_url: str,
    bus_namespace: str,
) -> AsyncIterator[Chain]:
    """Both apps started (relays and consumers running); diagnose reaches intake in process."""
    intake_settings = intake_settings_for(await intake_databases.fresh(), nats_url,
                                          bus_namespace)
    diagnose_settings = DiagnoseSettings(database_url=await diagnose_databases.fresh(),
                                         nats_url=nats_url, bus_namespace=bus_namespace,
                                         environment="test")
    async with (
        running_service(create_intake_app, intake_settings, "http://intake") as intake,
        running_service(create_diagnose_app, diagnose_settings, "http://diagnose") as diagnose,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=intake.app),
                          base_url="http://intake") as to_intake,
    ):
        diagnose.app.state.intake_client = to_intake
        yield Chain(intake=intake, diagnose=diagnose, nats_url=nats_url,
                    namespace=bus_namespace)


def consultant(provider: str = WSD, gemeenten: tuple[str, ...] = (BOXTEL, VUGHT),
               role: Role = Role.CONSULTANT) -> dict[str, str]:
    """Authorization header of an uitvoerder's staff member (a consultant by default)."""
    return bearer(provider, OrgKind.PROVIDER, role, gemeenten=gemeenten)


def valid_bsn(n: int) -> str:
    """The n-th (0…) valid test BSN of the 99999xxx range (elfproef)."""
    found = -1
    for serial in range(1000):
        head = f"99999{serial:03d}"
        check = sum(int(d) * w for d, w in zip(head, range(9, 1, -1), strict=True)) % 11
        if check < 10:
            found += 1
            if found == n:
                return head + str(check)
    raise ValueError(n)


async def register_person(chain: Chain, n: int = 0, gemeente: str = BOXTEL) -> str:
    """Register PERSON (the n-th BSN) in a gemeente; returns the candidate id."""
    response = await chain.intake.client.post(
        "/v1/candidates", json=candidate_body(valid_bsn(n), **PERSON), headers=auth(gemeente))
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def cases_of(chain: Chain, candidate_id: str,
                   headers: dict[str, str]) -> list[dict[str, Any]]:
    """The candidate's cases as this caller lists them."""
    response = await chain.diagnose.client.get(
        "/v1/diagnoses", params={"candidateId": candidate_id}, headers=headers)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def wait_for_case(chain: Chain, candidate_id: str, provider: str = WSD,
                        gemeente: str = BOXTEL) -> str:
    """Wait until diagnose lists the candidate's case to the provider; returns the case id."""
    headers = consultant(provider, (gemeente,))
    await eventually(lambda: cases_of(chain, candidate_id, headers))
    (case,) = await cases_of(chain, candidate_id, headers)
    assert case["provider"] == provider and case["status"] == "open"
    return str(case["id"])


async def referred_case(chain: Chain, n: int = 0, provider: str = WSD,
                        gemeente: str = BOXTEL) -> tuple[str, str]:
    """Register and refer a person in intake; (candidate id, diagnosis id) once diagnose has it."""
    candidate_id = await register_person(chain, n, gemeente)
    response = await refer(chain.intake, candidate_id, provider, headers=auth(gemeente))
    assert response.status_code == 201, response.text
    return candidate_id, await wait_for_case(chain, candidate_id, provider, gemeente)


async def publish(chain: Chain, envelope: Envelope, msg_id: str | None = None) -> None:
    """Put an event on the bus as its producer would (JetStream, Nats-Msg-Id header)."""
    producer = envelope.event_name.split(".", 1)[0]
    nc = await nats.connect(chain.nats_url)
    try:
        js = nc.jetstream()
        await ensure_stream(js, producer, namespace=chain.namespace)
        await js.publish(subject_for(envelope.event_name, envelope.gemeente, chain.namespace),
                         envelope.to_json(), headers={"Nats-Msg-Id": msg_id or envelope.id})
    finally:
        await nc.close()
