"""Intake's write path without the service: raw inserts, and the relay against raw publish.

These are the storage and bus limits that bench/intake.py sets the service's figures against;
rows are built as the intake handler writes them, so both sides carry the same bytes.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import secrets
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import nats
from sqlalchemy import delete, insert, text
from sqlalchemy.engine import make_url

from bench.lib.loadgen import bsns
from bench.lib.stats import CpuMeter, Plan, Row
from shared.bus.outbox import OutboxRelay
from shared.bus.streams import ensure_stream
from shared.db import create_engine, create_sessionmaker, is_sqlite
from shared.events.envelope import CONTENT_TYPE, Envelope, source_urn
from shared.events.intake import CandidateRegistered
from shared.events.subjects import stream_name, subject_for
from shared.settings import DEV_OIN
from shared.store import OutboxMessage

ORG = "GM0757"
BATCH = 500

def registration(bsn: str, now: datetime) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """A candidate row and its outbox row, as the handler writes them (realistic envelope)."""
    cid = uuid.uuid4()
    data = CandidateRegistered(candidate_id=cid, gemeente=ORG, target_group="bijstand",
                               birth_year=1990, registered_at=now)
    trace = secrets.token_hex(16)
    envelope = Envelope(type=data.ce_type(), source=source_urn(DEV_OIN, "intake"),
                        subject=str(cid), gemeente=ORG, data=data.to_data(),
                        traceparent=f"00-{trace}-{secrets.token_hex(8)}-01", correlationid=trace)
    candidate = (cid, ORG, bsn, "Jan", "Jansen", date(1990, 4, 1), "5281AB", "bijstand",
                 "bijstand", "registered", now, now)
    outbox = {"event_id": envelope.id, "subject": subject_for(data.name, ORG),
              "payload": envelope.to_json(), "created_at": envelope.time, "attempts": 0}
    return candidate, outbox


CANDIDATE_COLUMNS = ("id, gemeente, bsn, given_name, family_name, birth_date, postcode, "
                     "target_group, benefit, status, registered_at, updated_at")
OUTBOX_COLUMNS = "event_id, subject, payload, created_at, attempts"


def _sqlite_value(value: Any) -> Any:
    """What SQLAlchemy stores in SQLite: hex UUIDs, ISO dates, naive UTC timestamps."""
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value.isoformat() if isinstance(value, date) else value


async def raw_storage(db_url: str, plan: Plan) -> Row:
    """The request's two inserts in one transaction, straight through the driver."""
    now = datetime.now(UTC)
    work = [registration(bsn, now)
            for bsn in itertools.islice(bsns(30_000_000), plan.warmup + plan.limit_ops)]
    sqlite = is_sqlite(db_url)

    def marks(n: int) -> str:
        return ", ".join("?" if sqlite else f"${i}" for i in range(1, n + 1))

    insert_candidate = f"INSERT INTO candidates ({CANDIDATE_COLUMNS}) VALUES ({marks(12)})"
    insert_outbox = f"INSERT INTO outbox ({OUTBOX_COLUMNS}) VALUES ({marks(5)}) RETURNING seq"
    async with contextlib.AsyncExitStack() as stack:
        if sqlite:
            import aiosqlite

            db = await stack.enter_async_context(
                aiosqlite.connect(make_url(db_url).database or "", isolation_level=None))
            for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON",
                           "busy_timeout=30000"):
                await db.execute(f"PRAGMA {pragma}")
            lock = asyncio.Lock()  # one connection, one writer: transactions queue here

            async def transact(candidate: tuple[Any, ...], outbox: dict[str, Any]) -> None:
                async with lock:
                    await db.execute("BEGIN IMMEDIATE")
                    await db.execute(insert_candidate, [_sqlite_value(v) for v in candidate])
                    cursor = await db.execute(insert_outbox,
                                              [_sqlite_value(v) for v in outbox.values()])
                    await cursor.fetchone()  # RETURNING seq, as the ORM reads it back
                    await cursor.close()
                    await db.execute("COMMIT")
        else:
            dsn = make_url(db_url).set(drivername="postgresql")
            pool = await stack.enter_async_context(asyncpg.create_pool(
                dsn.render_as_string(hide_password=False), min_size=plan.concurrency,
                max_size=plan.concurrency))

            async def transact(candidate: tuple[Any, ...], outbox: dict[str, Any]) -> None:
                async with pool.acquire() as conn, conn.transaction():
                    await conn.execute(insert_candidate, *candidate)
                    await conn.fetchval(insert_outbox, *outbox.values())

        async def run(items: Iterator[Any], seconds: float, lat: list[float]) -> float:
            started = time.perf_counter()
            deadline = started + seconds

            async def worker() -> None:
                for candidate, outbox in items:
                    t0 = time.perf_counter()
                    await transact(candidate, outbox)
                    lat.append((time.perf_counter() - t0) * 1000)
                    if time.perf_counter() > deadline:
                        return

            await asyncio.gather(*(worker() for _ in range(plan.concurrency)))
            return time.perf_counter() - started

        items = iter(work)
        await run(itertools.islice(items, plan.warmup), plan.seconds, [])
        lat: list[float] = []
        meter = CpuMeter(os.getpid())
        wall = await run(items, plan.seconds, lat)
        py_cpu, host_cpu = meter.read()
    name = "raw storage (1 conn, serial)" if sqlite else f"raw storage (pool {plan.concurrency})"
    return Row(name, len(lat), wall, lat, 0, py_cpu, host_cpu)


async def relay_and_publish(db_url: str, nats_url: str, ns: str, plan: Plan) -> list[Row]:
    """OutboxRelay draining N pending rows, then the same N payloads published raw."""
    engine = create_engine(db_url)
    try:
        now = datetime.now(UTC)
        rows = [registration("", now)[1] for _ in range(plan.relay_rows)]
        async with engine.begin() as conn:
            await conn.execute(delete(OutboxMessage))
            await conn.execute(insert(OutboxMessage), rows)
        nc = await nats.connect(nats_url)
        try:
            js = nc.jetstream()
            for space in (f"{ns}relay", f"{ns}raw"):
                await ensure_stream(js, "intake", namespace=space)
            relay = OutboxRelay(create_sessionmaker(engine), nc, hold_locks=not is_sqlite(db_url),
                                namespace=f"{ns}relay", batch_size=BATCH)
            batches: list[float] = []
            meter, started = CpuMeter(os.getpid()), time.perf_counter()
            while relay.published < len(rows):
                t0 = time.perf_counter()
                if await relay.relay_once() == 0:
                    break
                batches.append((time.perf_counter() - t0) * 1000)
            relay_row = Row(f"relay drain (batch {BATCH})", relay.published,
                            time.perf_counter() - started, batches, 0, *meter.read())

            windows: list[float] = []
            meter, started = CpuMeter(os.getpid()), time.perf_counter()
            for i in range(0, len(rows), BATCH):
                t0 = time.perf_counter()
                await asyncio.gather(*(
                    js.publish(f"{ns}raw.{r['subject']}", r["payload"], timeout=5.0,
                               headers={"Nats-Msg-Id": r["event_id"],
                                        "Content-Type": CONTENT_TYPE})
                    for r in rows[i:i + BATCH]))
                windows.append((time.perf_counter() - t0) * 1000)
            publish_row = Row(f"raw JetStream publish ({BATCH} in flight)", len(rows),
                              time.perf_counter() - started, windows, 0, *meter.read())
            for row, space in ((relay_row, f"{ns}relay"), (publish_row, f"{ns}raw")):
                stored = (await js.stream_info(stream_name("intake", space))).state.messages
                row.errors = len(rows) - stored
        finally:
            await nc.close()
        async with engine.connect() as conn:
            pending = await conn.scalar(
                text("SELECT count(*) FROM outbox WHERE published_at IS NULL"))
        relay_row.errors += int(pending or 0)
        return [relay_row, publish_row]
    finally:
        await engine.dispose()


async def empty_tables(db_url: str, tables: tuple[str, ...] = ("outbox", "candidates")) -> None:
    """Give the next contender the tables as a fresh database has them: empty, and on Postgres
    without the dead rows and index pages a DELETE leaves (TRUNCATE). After DELETEs each
    contender wrote into the bloat of those before it: in 5 of 6 runs intake's and the least
    app's first round was their fastest; with TRUNCATE the best round varies."""
    engine = create_engine(db_url)
    try:
        async with engine.begin() as conn:
            if is_sqlite(db_url):  # SQLite's DELETE without WHERE drops the pages as well
                for table in tables:
                    await conn.execute(text(f"DELETE FROM {table}"))
            else:
                # CASCADE: the candidates' decision tables, empty in this bench, refer to them
                await conn.execute(text(f"TRUNCATE {', '.join(tables)} CASCADE"))
    finally:
        await engine.dispose()
