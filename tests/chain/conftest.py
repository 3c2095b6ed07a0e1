"""Fixtures of the chain tests: migrated databases per service and a process per service."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from services.intake.store import MIGRATIONS as INTAKE_MIGRATIONS
from services.reporting.store import MIGRATIONS as REPORTING_MIGRATIONS
from tests.support.databases import DatabaseFactory, databases_of, postgres_admin_url

# The whole-chain tests take real time (outages, ack_wait, restarts), so they run once: on
# Postgres when there is one (as in CI and production), else on SQLite. The services' own
# tests cover both backends.
CHAIN_BACKEND = "postgres" if postgres_admin_url() else "sqlite"


@pytest.fixture
def bus_namespace(own_namespaces: Callable[[], str]) -> str:
    """A namespace per chain test: its services must neither share durable consumers with
    other tests' services nor start behind their events."""
    return own_namespaces()


@pytest.fixture(scope="session")
async def chain_intake_databases(
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[DatabaseFactory]:
    """Migrated intake databases for intake running as a process."""
    async with databases_of(CHAIN_BACKEND, INTAKE_MIGRATIONS,
                            tmp_path_factory.mktemp("chain-intake-db")) as factory:
        yield factory


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """Where the processes' logs and NATS stores go."""
    return tmp_path


@pytest.fixture(scope="session")
async def chain_reporting_databases(
    chain_intake_databases: DatabaseFactory, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[DatabaseFactory]:
    """Migrated reporting databases, on the intake databases' backend."""
    async with databases_of(chain_intake_databases.backend, REPORTING_MIGRATIONS,
                            tmp_path_factory.mktemp("chain-reporting-db")) as factory:
        yield factory
