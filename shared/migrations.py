"""Alembic, driven from code: each service's env.py calls `run_env`, its CLI calls `upgrade`.

Each service has its own migrations folder and database; its target metadata is its own
tables plus the spine's (outbox, inbox, dead letters, idempotency keys).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import Connection, MetaData, pool
from sqlalchemy.ext.asyncio import create_async_engine

from shared.db import ensure_sqlite_dir


def alembic_config(database_url: str, migrations_dir: Path) -> Config:
    """An Alembic config without an ini file."""
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, migrations_dir: Path, revision: str = "head") -> None:
    """Apply migrations (synchronous; call it from a thread inside an event loop)."""
    ensure_sqlite_dir(database_url)
    command.upgrade(alembic_config(database_url, migrations_dir), revision)


def run_env(target_metadata: list[MetaData]) -> None:
    """The body of every service's migrations/env.py."""
    url = context.config.get_main_option("sqlalchemy.url") or ""
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    asyncio.run(_run_online(url, target_metadata))


async def _run_online(url: str, target_metadata: list[MetaData]) -> None:
    engine = create_async_engine(url, poolclass=pool.NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(_configure_and_run, target_metadata)
    await engine.dispose()


def _configure_and_run(connection: Connection, target_metadata: list[MetaData]) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        # SQLite can't ALTER most things; batch mode rebuilds tables instead.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
