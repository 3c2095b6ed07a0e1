"""Intake under test: a real app (lifespan, relay) on a fresh database and the real bus."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from services.intake.main import create_app
from services.intake.settings import IntakeSettings
from services.intake.store import MIGRATIONS
from shared.auth import OrgKind, Role
from tests.support.databases import BACKENDS, DatabaseFactory, databases_of
from tests.support.services import ServiceUnderTest, bearer, running_service

BOXTEL, VUGHT = "GM0757", "GM0865"
WSD, IBN = "WSD", "IBN"
VALID_BSN, OTHER_VALID_BSN = "999996708", "999996630"


@pytest.fixture(scope="session", params=BACKENDS)
async def intake_databases(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[DatabaseFactory]:
    """Migrated intake databases on SQLite, and on Postgres when TEST_DATABASE_URL is set."""
    async with databases_of(request.param, MIGRATIONS,
                            tmp_path_factory.mktemp("intake-db")) as factory:
        yield factory


IntakeUnderTest = ServiceUnderTest


def settings_for(database_url: str, nats_url: str, namespace: str) -> IntakeSettings:
    """Test settings: this database, this bus, this namespace."""
    return IntakeSettings(database_url=database_url, nats_url=nats_url, bus_namespace=namespace,
                          environment="test", max_body_bytes=16 * 1024)


@pytest.fixture
async def intake(
    intake_databases: DatabaseFactory, nats_url: str, bus_namespace: str
) -> AsyncIterator[IntakeUnderTest]:
    """A started intake app (relay running) on a fresh database."""
    settings = settings_for(await intake_databases.fresh(), nats_url, bus_namespace)
    async with running_service(create_app, settings, "http://intake") as service:
        yield service


def auth(org: str = BOXTEL, kind: OrgKind = OrgKind.GEMEENTE, *roles: Role,
         gemeenten: tuple[str, ...] = ()) -> dict[str, str]:
    """Authorization header; a Boxtel caseworker unless told otherwise."""
    return bearer(org, kind, *(roles or (Role.CASEWORKER,)), gemeenten=gemeenten)


def provider_auth(provider: str = WSD, gemeenten: tuple[str, ...] = (BOXTEL, VUGHT),
                  role: Role = Role.CONSULTANT) -> dict[str, str]:
    """Authorization header of an uitvoerder's consultant."""
    return auth(provider, OrgKind.PROVIDER, role, gemeenten=gemeenten)


def candidate_body(bsn: str = VALID_BSN, **overrides: object) -> dict[str, object]:
    """A valid registration body."""
    body: dict[str, object] = {
        "bsn": bsn, "givenName": "Jan", "familyName": "Jansen", "birthDate": "1990-04-01",
        "postcode": "5281 AB", "targetGroup": "bijstand", "benefit": "bijstand",
    }
    body.update(overrides)
    return body


async def register(intake: IntakeUnderTest, bsn: str = VALID_BSN,
                   headers: dict[str, str] | None = None) -> dict[str, object]:
    """Register a candidate and return the body (asserting 201)."""
    response = await intake.client.post("/v1/candidates", json=candidate_body(bsn),
                                        headers=headers or auth())
    assert response.status_code == 201, response.text
    return dict(response.json())


async def refer(intake: IntakeUnderTest, candidate_id: object, provider: str = WSD,
                headers: dict[str, str] | None = None) -> httpx.Response:
    """Refer a candidate to a provider (returns the response)."""
    return await intake.client.post(
        f"/v1/candidates/{candidate_id}/route-decisions",
        json={"route": "refer", "provider": provider, "question": "werkdiagnose"},
        headers=headers or auth())
