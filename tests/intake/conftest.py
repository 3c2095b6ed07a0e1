"""Intake under test: a real app (lifespan, relay) on a fresh database and the real bus."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from services.intake.__main__ import MIGRATIONS
from services.intake.main import create_app
from services.intake.settings import IntakeSettings
from shared.auth import OrgKind, Role
from shared.devtoken import make_token
from shared.runtime import Runtime
from shared.store import OutboxMessage
from tests.support.databases import (
    BACKENDS,
    DatabaseFactory,
    migrations_of,
    postgres_admin_url,
)

BOXTEL, VUGHT = "GM0757", "GM0865"
WSD, IBN = "WSD", "IBN"
VALID_BSN, OTHER_VALID_BSN = "999996708", "999996630"


@pytest.fixture(scope="session", params=BACKENDS)
async def intake_databases(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[DatabaseFactory]:
    """Migrated intake databases on SQLite, and on Postgres when TEST_DATABASE_URL is set."""
    backend: str = request.param
    if backend == "postgres" and postgres_admin_url() is None:
        pytest.skip("TEST_DATABASE_URL is not set to a PostgreSQL URL")
    factory = DatabaseFactory(backend, migrations_of(MIGRATIONS),
                              tmp_path_factory.mktemp("intake-db"))
    yield factory
    await factory.drop_all()


@dataclass
class IntakeUnderTest:
    """The running app, an HTTP client for it, and its runtime (for storage assertions)."""

    app: FastAPI
    client: httpx.AsyncClient
    runtime: Runtime
    settings: IntakeSettings

    async def count(self, model: type) -> int:
        """Rows of a table, straight from the database."""
        async with self.runtime.sessions() as session:
            return int(await session.scalar(select(func.count()).select_from(model)) or 0)

    async def pending_outbox(self) -> int:
        """Outbox rows not yet published."""
        async with self.runtime.sessions() as session:
            return int(await session.scalar(
                select(func.count()).select_from(OutboxMessage)
                .where(OutboxMessage.published_at.is_(None))) or 0)


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
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        runtime: Runtime = app.state.runtime
        await runtime.bus.wait_connected()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://intake") as client:
            yield IntakeUnderTest(app=app, client=client, runtime=runtime, settings=settings)


def token(org: str, kind: OrgKind, *roles: Role, gemeenten: tuple[str, ...] = ()) -> str:
    """A development bearer token."""
    return make_token(org=org, kind=kind, roles=list(roles), gemeenten=list(gemeenten))


def auth(org: str = BOXTEL, kind: OrgKind = OrgKind.GEMEENTE, *roles: Role,
         gemeenten: tuple[str, ...] = ()) -> dict[str, str]:
    """Authorization header; a Boxtel caseworker unless told otherwise."""
    chosen = roles or (Role.CASEWORKER,)
    return {"Authorization": f"Bearer {token(org, kind, *chosen, gemeenten=gemeenten)}"}


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
