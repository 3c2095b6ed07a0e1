"""Spine tests: the outbox, relay and inbox on a real database and a real nats-server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Column, MetaData, String, Table, create_engine, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from shared.db import create_engine as create_async_engine
from shared.db import create_sessionmaker
from shared.events.envelope import Envelope
from shared.store import MessagingBase
from tests.support.databases import BACKENDS, DatabaseFactory, postgres_admin_url

# A projection the test consumer writes to: one row per applied event.
projection_metadata = MetaData()
applied_events = Table("applied_events", projection_metadata,
                       Column("event_id", String(36), primary_key=True),
                       Column("candidate_id", String(36)))


def create_spine_schema(url: str) -> None:
    """The spine's tables plus the test projection (synchronous drivers: run in a thread)."""
    parsed = make_url(url)
    sync = parsed.set(drivername="sqlite" if parsed.get_backend_name() == "sqlite"
                      else "postgresql+asyncpg")
    if sync.get_backend_name() == "sqlite":
        engine = create_engine(sync)
        MessagingBase.metadata.create_all(engine)
        projection_metadata.create_all(engine)
        engine.dispose()
        return
    asyncio.run(_create_async(url))


async def _create_async(url: str) -> None:
    engine = create_async_engine(url, pool_size=1)
    async with engine.begin() as connection:
        await connection.run_sync(MessagingBase.metadata.create_all)
        await connection.run_sync(projection_metadata.create_all)
    await engine.dispose()


@dataclass
class SpineDb:
    """A database holding the spine's tables and the test projection."""

    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    url: str

    async def count(self, table: object) -> int:
        """Rows in a table."""
        async with self.sessions() as session:
            query = select(func.count()).select_from(table)  # type: ignore[arg-type]
            return int(await session.scalar(query) or 0)


@pytest.fixture(scope="session", params=BACKENDS)
async def spine_databases(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[DatabaseFactory]:
    """Spine databases on SQLite, and on Postgres when TEST_DATABASE_URL is set."""
    if request.param == "postgres" and postgres_admin_url() is None:
        pytest.skip("TEST_DATABASE_URL is not set to a PostgreSQL URL")
    factory = DatabaseFactory(request.param, create_spine_schema,
                              tmp_path_factory.mktemp("spine-db"))
    yield factory
    await factory.drop_all()


@pytest.fixture
async def spine_db(spine_databases: DatabaseFactory) -> AsyncIterator[SpineDb]:
    """A fresh spine database."""
    url = await spine_databases.fresh()
    engine = create_async_engine(url, pool_size=5)
    yield SpineDb(engine=engine, sessions=create_sessionmaker(engine), url=url)
    await engine.dispose()


async def record_applied(session: AsyncSession, envelope: Envelope) -> None:
    """The test consumer's handler: one projection row per event."""
    await session.execute(applied_events.insert().values(
        event_id=envelope.id, candidate_id=envelope.subject))
