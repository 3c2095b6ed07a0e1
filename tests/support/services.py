"""A service app under test: real lifespan (bus, relay, consumers), real database, HTTP client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from shared.auth import OrgKind, Role
from shared.devtoken import make_token
from shared.runtime import Runtime
from shared.settings import ServiceSettings
from shared.store import OutboxMessage
from tests.conftest import eventually


@dataclass
class ServiceUnderTest:
    """The running app, an HTTP client for it, and its runtime (for storage assertions)."""

    app: FastAPI
    client: httpx.AsyncClient
    runtime: Runtime
    settings: ServiceSettings

    async def count(self, model: Any) -> int:
        """Rows of a table, straight from the database."""
        async with self.runtime.sessions() as session:
            return int(await session.scalar(select(func.count()).select_from(model)) or 0)

    async def pending_outbox(self) -> int:
        """Outbox rows not yet published."""
        async with self.runtime.sessions() as session:
            return int(await session.scalar(
                select(func.count()).select_from(OutboxMessage)
                .where(OutboxMessage.published_at.is_(None))) or 0)


@asynccontextmanager
async def running_service(
    create_app: Callable[[Any], FastAPI], settings: ServiceSettings, base_url: str
) -> AsyncIterator[ServiceUnderTest]:
    """Start an app with its lifespan and wait for the bus; stop it afterwards."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        runtime: Runtime = app.state.runtime
        await runtime.bus.wait_connected()
        await messaging_started(runtime)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=base_url) as client:
            yield ServiceUnderTest(app=app, client=client, runtime=runtime, settings=settings)


async def messaging_started(runtime: Runtime) -> None:
    """Wait until the relay and every consumer are past their set-up.

    A runtime stopped while still starting its workers can miss the cancel (it lands in a NATS
    request) and leave relay and consumers running after the test; waiting here avoids that.
    """
    await eventually(lambda: runtime.relay is not None
                     and all(consumer.name for consumer in runtime.consumers))


def bearer(org: str, kind: OrgKind, *roles: Role, gemeenten: tuple[str, ...] = ()) -> dict[
    str, str
]:
    """An Authorization header with a development token."""
    token = make_token(org=org, kind=kind, roles=list(roles), gemeenten=list(gemeenten))
    return {"Authorization": f"Bearer {token}"}
