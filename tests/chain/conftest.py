"""Fixtures of the chain tests: migrated databases per service and a process per service."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from services.intake.store import MIGRATIONS as INTAKE_MIGRATIONS
from tests.support.databases import BACKENDS, DatabaseFactory, databases_of


@pytest.fixture(scope="session", params=BACKENDS)
async def chain_intake_databases(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[DatabaseFactory]:
    """Migrated intake databases for intake running as a process."""
    async with databases_of(request.param, INTAKE_MIGRATIONS,
                            tmp_path_factory.mktemp("chain-intake-db")) as factory:
        yield factory


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """Where the processes' logs and NATS stores go."""
    return tmp_path
