"""Async SQLAlchemy helpers for PostgreSQL (asyncpg) and the embedded SQLite default."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import BigInteger, DateTime, Dialect, Integer, TypeDecorator, event
from sqlalchemy.engine import make_url
from sqlalchemy.engine.interfaces import PoolProxiedConnection
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    AsyncTransaction,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.util.concurrency import greenlet_spawn

# An autoincrementing 64-bit key on Postgres that is still SQLite's ROWID alias.
BigIntPK = BigInteger().with_variant(Integer(), "sqlite")


def is_sqlite(url: str) -> bool:
    """True for an SQLite URL (the embedded default)."""
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(url: str, *, pool_size: int = 40, echo: bool = False) -> AsyncEngine:
    """An engine tuned per backend; SQLite gets WAL and writer-serialising transactions.

    Statement parameters are hidden from error messages: they may hold a burgerservicenummer or
    a name, and an error's message ends up in a log line.
    """
    if is_sqlite(url):
        ensure_sqlite_dir(url)
        engine = create_async_engine(url, echo=echo, hide_parameters=True,
                                     connect_args={"timeout": 30})
        _serialise_sqlite_writers(engine)
        return engine
    # No pre-ping (three extra round trips per checkout); connections are recycled instead and
    # a dropped one fails its request once. The pool is as large as the expected concurrency,
    # so overflow connections are not opened and closed under load.
    return create_async_engine(
        url, echo=echo, pool_size=pool_size, max_overflow=pool_size // 4, pool_recycle=1800,
        hide_parameters=True,
    )


def ensure_sqlite_dir(url: str) -> None:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)


def _serialise_sqlite_writers(engine: AsyncEngine) -> None:
    """Take SQLite's write lock at BEGIN.

    pysqlite's deferred transactions upgrade from a read to a write lock mid-transaction, which
    fails at once (SQLITE_BUSY) when another writer got there first; BEGIN IMMEDIATE waits for
    the lock instead (SQLAlchemy's documented recipe for aiosqlite).
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded attributes after commit (responses are built from them)."""
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


@asynccontextmanager
async def transaction(
    sessions: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """One unit of work: commit when the block ends normally, roll back on any exception."""
    async with sessions() as session, session.begin():
        yield session



async def driver_connection(connection: AsyncConnection) -> Any | None:
    """asyncpg's own connection, inside `connection`'s transaction; None on another driver.

    For the few hot writes that skip SQLAlchemy's statement machinery (about 1 ms of CPU per
    statement against 0.3 ms through the driver). SQLAlchemy's asyncpg adapter begins the
    driver's transaction lazily, at its first statement, so it is begun here first: what is
    written through the driver commits or rolls back with the connection's transaction.
    """
    if connection.dialect.driver != "asyncpg":
        return None
    raw = await connection.get_raw_connection()
    adapted: Any = raw.dbapi_connection
    if getattr(adapted, "_transaction", None) is None:
        await adapted._start_transaction()  # noqa: SLF001 — see the docstring
    return raw.driver_connection


class Storage:
    """The database side of one unit of work: one connection, one transaction, two ways in.

    Most work goes through the ORM session (`session`). A hot path asks for the connection or
    the driver (`connection()`, `driver()`); when it comes first, no session is made at all,
    which saves about half a millisecond of CPU per request. Whichever comes first opens the
    transaction; the other joins it, so it is always one transaction. A session made after
    the connection only flushes into it: `Storage` alone commits or rolls back.
    """

    def __init__(self, engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession], *,
                 session: AsyncSession | None = None) -> None:
        self._engine = engine
        self._sessions = sessions
        self._session = session
        self._connection: AsyncConnection | None = None
        self._transaction: AsyncTransaction | None = None  # set when the connection came first
        self._driver: Any | None = None
        # Statements run alone (`run_alone`) on a connection straight from the pool: no
        # transaction to join, and none of SQLAlchemy's connection machinery to pay for.
        self._alone: PoolProxiedConnection | None = None

    def _refuse_after_run_alone(self) -> None:
        if self._alone is not None:
            raise RuntimeError("this unit of work runs its statements alone (run_alone); a "
                               "transaction now would not be atomic with what they wrote")

    @property
    def session(self) -> AsyncSession:
        """The ORM session of this transaction (made on first use)."""
        if self._session is None:
            self._refuse_after_run_alone()
            if self._connection is None:
                self._session = self._sessions()
            else:  # join the open transaction; committing it stays ours
                self._session = self._sessions(bind=self._connection,
                                               join_transaction_mode="rollback_only")
        return self._session

    async def connection(self) -> AsyncConnection:
        """The transaction's connection, for Core statements (opens it on first use)."""
        self._refuse_after_run_alone()
        if self._connection is None:
            if self._session is not None:
                self._connection = await self._session.connection()
            else:
                self._connection = await self._engine.connect()
                self._transaction = await self._connection.begin()
        return self._connection

    async def driver(self) -> Any | None:
        """asyncpg's own connection inside this transaction; None on another driver."""
        if self._driver is None:
            self._driver = await driver_connection(await self.connection())
        return self._driver

    async def run_alone(self, sql: str, *args: Any) -> list[Any] | None:
        """Run one driver statement as a whole unit of work, atomic on its own; None where
        that is not offered, and the caller writes in the transaction instead: a driver other
        than asyncpg, or a unit of work that has already begun its transaction.

        Postgres commits a single statement by itself, so a unit of work whose writes fit in
        one statement (a CTE may write several tables) needs no BEGIN and COMMIT: two round
        trips and SQLAlchemy's transaction machinery saved on the hottest path. Once used, it
        may run more statements alone (a read, a retry), but a transaction afterwards is
        refused: it would not be atomic with what was written.
        """
        if self._alone is None:
            if self._session is not None or self._connection is not None:
                return None
            if self._engine.dialect.driver != "asyncpg":
                return None
            self._alone = await self._engine.raw_connection()
            self._driver = self._alone.driver_connection
        driver: Any = self._driver
        rows: list[Any] = await driver.fetch(sql, *args)
        return rows

    async def commit(self) -> None:
        """Flush and commit; whoever opened the storage calls this once, at the end."""
        if self._transaction is not None:
            if self._session is not None:
                await self._session.flush()
            await self._transaction.commit()
        elif self._session is not None:
            await self._session.commit()

    async def close(self) -> None:
        """Release the session and the connection; what was not committed is rolled back."""
        try:
            if self._session is not None:
                await self._session.close()
        finally:
            if self._alone is not None:  # back to the pool, which resets it
                await greenlet_spawn(self._alone.close)
            elif self._transaction is not None and self._connection is not None:
                await self._connection.close()


@asynccontextmanager
async def open_storage(engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession],
                       ) -> AsyncIterator[Storage]:
    """One transaction: committed when the block ends normally, rolled back on any exception."""
    storage = Storage(engine, sessions)
    try:
        yield storage
        await storage.commit()
    finally:
        await storage.close()


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use timezone-aware UTC")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
