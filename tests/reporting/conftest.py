"""Reporting under test: the real app (consumers on a real nats-server), a fresh database, and
events published straight onto the bus as their producers would (proper envelopes, subjects,
Nats-Msg-Id)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import nats
import pytest
from nats.aio.client import Client

from services.reporting.main import create_app
from services.reporting.settings import ReportingSettings
from services.reporting.store import MIGRATIONS
from shared.auth import OrgKind, Role
from shared.bus.streams import ensure_stream
from shared.events.envelope import Envelope
from shared.events.subjects import stream_name, subject_for
from shared.runtime import Runtime
from tests.conftest import eventually
from tests.support.databases import BACKENDS, DatabaseFactory, databases_of
from tests.support.services import bearer

BOXTEL, GESTEL, VUGHT, MAASGOUW = "GM0757", "GM0845", "GM0865", "GM1641"


@pytest.fixture(scope="session", params=BACKENDS)
async def reporting_databases(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[DatabaseFactory]:
    """Migrated reporting databases on SQLite, and on Postgres when TEST_DATABASE_URL is set."""
    async with databases_of(request.param, MIGRATIONS,
                            tmp_path_factory.mktemp("reporting-db")) as factory:
        yield factory


@dataclass
class Reporting:
    """The running app, a client, and a way to put events on the bus."""

    app: Any
    client: httpx.AsyncClient
    runtime: Runtime
    settings: ReportingSettings
    nc: Client

    async def publish(self, envelopes: Iterable[Envelope], *, msg_ids: bool = True) -> None:
        """Publish as the producers' relays do (JetStream, Nats-Msg-Id = event id)."""
        js = self.nc.jetstream()
        for envelope in envelopes:
            headers = {"Nats-Msg-Id": envelope.id} if msg_ids else None
            await js.publish(subject_for(envelope.event_name, envelope.gemeente,
                                         self.settings.bus_namespace),
                             envelope.to_json(), headers=headers)

    async def drained(self) -> None:
        """Wait until every consumer has handled everything on its stream."""
        js = self.nc.jetstream()

        async def caught_up() -> bool:
            for consumer in self.runtime.consumers:
                stream = stream_name(consumer.producer, self.settings.bus_namespace)
                info = await js.consumer_info(stream, consumer.name)
                if info.num_pending or info.num_ack_pending:
                    return False
            return True

        # Generous: the machine is shared, and the demo is some 1,600 events.
        await eventually(caught_up, timeout_s=90)

    async def get(self, path: str, headers: dict[str, str], **params: Any) -> httpx.Response:
        """GET a report."""
        return await self.client.get(path, headers=headers, params=params)


def settings_for(database_url: str, nats_url: str, namespace: str) -> ReportingSettings:
    """Test settings: the fresh database, the test bus namespace."""
    return ReportingSettings(database_url=database_url, nats_url=nats_url,
                             bus_namespace=namespace, environment="test")


async def ensure_streams(nc: Client, namespace: str) -> None:
    """The four producers' streams, as their services would create them."""
    js = nc.jetstream()
    for producer in ("intake", "diagnose", "matching", "finance"):
        await ensure_stream(js, producer, namespace=namespace)


@asynccontextmanager
async def running_reporting(settings: ReportingSettings) -> AsyncIterator[Reporting]:
    """The app with its lifespan; its four consumers set up before the block starts."""
    nc = await nats.connect(settings.nats_url)
    await ensure_streams(nc, settings.bus_namespace)
    app = create_app(settings)
    try:
        async with app.router.lifespan_context(app):
            runtime: Runtime = app.state.runtime
            await runtime.bus.wait_connected()
            await eventually(lambda: len(runtime.consumers) == 4
                             and all(c.name for c in runtime.consumers))
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://reporting") as c:
                yield Reporting(app, c, runtime, settings, nc)
    finally:
        await nc.close()


@pytest.fixture
async def reporting(reporting_databases: DatabaseFactory, nats_url: str
                    ) -> AsyncIterator[Reporting]:
    """Reporting on a fresh database and its own bus namespace (streams of its own)."""
    import uuid

    namespace = f"t{uuid.uuid4().hex[:10]}"
    settings = settings_for(await reporting_databases.fresh(), nats_url, namespace)
    try:
        async with running_reporting(settings) as service:
            yield service
    finally:
        from tests.conftest import delete_streams

        await delete_streams(nats_url, namespace)


def gemeente_auth(gemeente: str = BOXTEL, role: Role = Role.CONTROLLER) -> dict[str, str]:
    """A gemeente's own staff."""
    return bearer(gemeente, OrgKind.GEMEENTE, role)


def board_auth(gemeenten: tuple[str, ...] = (BOXTEL, GESTEL), org: str = "WSD") -> dict[str, str]:
    """WSD's governing board: its member gemeenten side by side."""
    return bearer(org, OrgKind.PROVIDER, Role.BOARD, gemeenten=gemeenten)
