"""Fresh, migrated databases per test: SQLite always, PostgreSQL when TEST_DATABASE_URL is set.

A service's migrations (or any `prepare` step) run once into a template; every test gets a
copy (a file copy for SQLite, CREATE DATABASE … TEMPLATE for Postgres), so tests start from the
real schema and never see each other's rows.
"""

from __future__ import annotations

import asyncio
import atexit
import functools
import itertools
import os
import shutil
import subprocess
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from shared.migrations import upgrade

BACKENDS = ["sqlite", "postgres"]


def postgres_admin_url() -> str | None:
    """TEST_DATABASE_URL if it points at PostgreSQL; else a container where Docker runs."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    if url.startswith("postgresql"):
        return url
    return _container_url()


@functools.cache
def _container_url() -> str | None:
    """Optional path: a throwaway Postgres via testcontainers, only with a Docker engine.

    Machines without an engine (CI here has only the docker client) skip the Postgres
    variants unless TEST_DATABASE_URL is set, so nothing here is ever required.
    """
    if os.environ.get("TEST_NO_CONTAINERS") or shutil.which("docker") is None:
        return None
    try:
        if subprocess.run(["docker", "info"], capture_output=True, timeout=5).returncode != 0:
            return None
        from testcontainers.postgres import PostgresContainer  # optional extra: [containers]
    except (ImportError, OSError, subprocess.TimeoutExpired):
        return None
    container = PostgresContainer("postgres:16-alpine", driver="asyncpg").start()
    atexit.register(container.stop)
    return str(container.get_connection_url())


class DatabaseFactory:
    """Hands out migrated databases of one service on one backend."""

    def __init__(self, backend: str, prepare: Callable[[str], None], workdir: Path) -> None:
        self.backend = backend
        self.prepare = prepare
        self.workdir = workdir
        self._run = uuid.uuid4().hex[:8]
        self._counter = itertools.count()
        self._template: str | None = None
        self._created: list[str] = []
        self._admin_connection: asyncpg.Connection | None = None
        self._admin_lock = asyncio.Lock()

    async def fresh(self) -> str:
        """The URL of a new, migrated, empty database."""
        if self.backend == "sqlite":
            return await self._fresh_sqlite()
        return await self._fresh_postgres()

    async def _fresh_sqlite(self) -> str:
        template = self.workdir / f"template-{self._run}.db"
        if self._template is None:
            # Alembic's env runs its own event loop, so it gets a thread of its own.
            await asyncio.to_thread(self.prepare, f"sqlite+aiosqlite:///{template}")
            self._template = str(template)
        copy = self.workdir / f"db-{self._run}-{next(self._counter)}.db"
        shutil.copyfile(template, copy)
        return f"sqlite+aiosqlite:///{copy}"

    async def _fresh_postgres(self) -> str:
        admin = postgres_admin_url()
        assert admin is not None
        base = make_url(admin)
        if self._template is None:
            self._template = f"pwtest_{self._run}_template"
            await self._admin(f'CREATE DATABASE "{self._template}"')
            self._created.append(self._template)
            template_url = base.set(database=self._template)
            await asyncio.to_thread(self.prepare,
                                    template_url.render_as_string(hide_password=False))
        name = f"pwtest_{self._run}_{next(self._counter)}"
        await self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{self._template}"')
        self._created.append(name)
        return base.set(database=name).render_as_string(hide_password=False)

    async def _admin(self, sql: str) -> None:
        """One statement on the admin database, over a connection kept for the factory's life
        (a new connection per statement costs more than the CREATE DATABASE itself)."""
        async with self._admin_lock:
            if self._admin_connection is None or self._admin_connection.is_closed():
                self._admin_connection = await asyncpg.connect(_admin_dsn())
            await self._admin_connection.execute(sql)

    async def drop_all(self) -> None:
        """Remove every database this factory made.

        Several at once: a DROP DATABASE mostly waits for the disk, so a handful in parallel
        take little longer than one (a Postgres run makes over a thousand databases).
        """
        if self.backend == "sqlite":
            return
        if self._admin_connection is not None:
            await self._admin_connection.close()
            self._admin_connection = None
        names, self._created = list(reversed(self._created)), []
        # The template last: the copies are gone by then, and nothing can still use it.
        template = [n for n in names if n == self._template]
        copies = [n for n in names if n != self._template]
        await _drop_databases(copies)
        await _drop_databases(template)


DROP_CONCURRENCY = 6


def _admin_dsn() -> str:
    admin = postgres_admin_url()
    assert admin is not None
    return make_url(admin).set(drivername="postgresql").render_as_string(hide_password=False)


async def _drop_databases(names: list[str]) -> None:
    """DROP DATABASE each of them, DROP_CONCURRENCY at a time, each worker on a connection."""
    if not names:
        return
    pending = list(names)

    async def worker() -> None:
        connection = await asyncpg.connect(_admin_dsn())
        try:
            while pending:
                name = pending.pop()
                await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await connection.close()

    await asyncio.gather(*(worker() for _ in range(min(DROP_CONCURRENCY, len(names)))))


def migrations_of(migrations_dir: Path) -> Callable[[str], None]:
    """A `prepare` step that applies a service's Alembic migrations."""
    return lambda url: upgrade(url, migrations_dir)


@asynccontextmanager
async def databases_of(
    backend: str, migrations_dir: Path, workdir: Path
) -> AsyncIterator[DatabaseFactory]:
    """One service's migrated databases on one backend (skips Postgres when there is none)."""
    if backend == "postgres" and postgres_admin_url() is None:
        pytest.skip("TEST_DATABASE_URL is not set to a PostgreSQL URL")
    factory = DatabaseFactory(backend, migrations_of(migrations_dir), workdir)
    try:
        yield factory
    finally:
        await factory.drop_all()
