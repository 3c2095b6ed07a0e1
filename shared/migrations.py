"""Alembic, driven from code: each service's env.py calls `run_env`, its CLI calls `upgrade`.

Each service has its own migrations folder and database; its target metadata is its own
tables plus the spine's (outbox, inbox, dead letters, idempotency keys), which every service's
first migration creates with `create_messaging_tables`.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import sqlalchemy as sa
from alembic import command, context, op
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


def create_messaging_tables() -> None:
    """The spine's tables as every service's first migration creates them.

    Frozen like a migration: the schema of revision 0001 (outbox, inbox, dead letters,
    idempotency keys). A later change to those tables is a new migration in each service, never
    an edit here.
    """
    op.create_table(
        "dead_letters",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  autoincrement=True, nullable=False),
        sa.Column("consumer", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.String(length=100), nullable=True),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("deliveries", sa.Integer(), nullable=False),
        sa.Column("parked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dead_letters")),
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("organisation", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("response_body", sa.Text(), nullable=False),
        sa.Column("location", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("organisation", "key", name=op.f("pk_idempotency_keys")),
    )
    op.create_table(
        "inbox",
        sa.Column("consumer", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("event_type", sa.String(length=200), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "event_id", name=op.f("pk_inbox")),
    )
    op.create_table(
        "outbox",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_outbox")),
        sa.UniqueConstraint("event_id", name=op.f("uq_outbox_event_id")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outbox_pending", ["seq"], unique=False,
            postgresql_where=sa.text("published_at IS NULL"),
            sqlite_where=sa.text("published_at IS NULL"),
        )


def drop_messaging_tables() -> None:
    """Undo `create_messaging_tables` (a service's downgrade past 0001)."""
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_pending", postgresql_where=sa.text("published_at IS NULL"),
                            sqlite_where=sa.text("published_at IS NULL"))
    for table in ("outbox", "inbox", "idempotency_keys", "dead_letters"):
        op.drop_table(table)
