"""The klantreis as a chain of processes: registrations/s through to reporting's projection.

    .venv/bin/python bench/chain.py [--quick]

Every service runs in its own process on its own fresh Postgres database (BENCH_DATABASE_URL's
server, default the local one; all dropped at the end), on one NATS (NATS_URL, else a private
nats-server from the wheel). In one run it measures:
  intake alone    POST /v1/candidates over 32 connections, only intake running (its own rate)
  chain           the same burst with all five services running: the time from the first POST
                  until reporting's registrations figure has every one of them, and the lag:
                  how long after the last POST's answer the figure is complete
  raw publish     nats-py JetStream publish-with-ack, 500 in flight (the bus's limit)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import secrets
import signal
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import UTC, datetime
from pathlib import Path

import httpx
import nats

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo root, for bench.lib

from bench.lib.infra import (
    HOST,
    child,
    delete_streams,
    drive,
    free_port,
    nats_server,
    postgres_database,
    unstoppable,
    wait_up,
)
from bench.lib.stats import Check, Plan, Row, pct, print_table, progress, say
from services.diagnose.store import MIGRATIONS as DIAGNOSE
from services.finance.store import MIGRATIONS as FINANCE
from services.intake.store import MIGRATIONS as INTAKE
from services.matching.store import MIGRATIONS as MATCHING
from services.reporting.store import MIGRATIONS as REPORTING
from shared.auth import OrgKind, Role
from shared.bus.streams import ensure_stream
from shared.devtoken import make_token

DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
MIGRATIONS = {"intake": INTAKE, "diagnose": DIAGNOSE, "matching": MATCHING,
              "finance": FINANCE, "reporting": REPORTING}
BODY = {"bsn": "", "givenName": "Jan", "familyName": "Jansen", "birthDate": "1990-04-01",
        "postcode": "5281 AB", "targetGroup": "bijstand", "benefit": "bijstand"}
FULL = Plan(warmup=0, requests=3000, limit_ops=20_000, seconds=60.0, relay_rows=0,
            concurrency=32)
QUICK = Plan(warmup=0, requests=300, limit_ops=2000, seconds=20.0, relay_rows=0,
             concurrency=32)
LAG_TARGET_S = 10.0
PUBLISH_WINDOW = 500


@contextlib.asynccontextmanager
async def services(names: list[str], databases: dict[str, str], nats_url: str, ns: str,
                   tmp: Path) -> AsyncIterator[dict[str, tuple[int, int]]]:
    """The named services as processes, /ready; yields name -> (port, pid)."""
    ports = {name: free_port() for name in names}
    env = {k: v for k, v in os.environ.items()
           if not k.endswith("_DATABASE_URL") and k not in ("DATABASE_URL", "NATS_URL")}
    env.update(NATS_URL=nats_url, BUS_NAMESPACE=ns, LOG_LEVEL="WARNING", ENVIRONMENT="test")
    if "intake" in ports:
        env["DIAGNOSE_INTAKE_URL"] = f"http://{HOST}:{ports['intake']}"
    for name in names:
        env[f"{name.upper()}_DATABASE_URL"] = databases[name]
    running: dict[str, tuple[int, int]] = {}
    async with AsyncExitStack() as stack:
        for name in names:
            log = tmp / f"{name}-{ns}.log"
            argv = [sys.executable, "-m", f"services.{name}", "serve", "--port",
                    str(ports[name])]
            proc = await stack.enter_async_context(child(name, argv, log, env))
            await wait_up(name, proc, log, f"http://{HOST}:{ports[name]}/ready", ports[name])
            running[name] = (ports[name], proc.pid)
        yield running


async def registrations_reported(client: httpx.AsyncClient, port: int, token: str) -> int:
    """Registrations in reporting's projection this year, for the benchmark's gemeente."""
    response = await client.get(f"http://{HOST}:{port}/v1/reports/registrations",
                                headers={"Authorization": f"Bearer {token}"},
                                params={"period": str(datetime.now(UTC).year)})
    response.raise_for_status()
    return sum(int(row["people"]) for row in response.json()["rows"])


async def chain_burst(ports: dict[str, tuple[int, int]], plan: Plan, token: str,
                      report_token: str, bsn_start: int) -> tuple[Row, Row, float]:
    """The burst through intake while all five run; (POST row, chain row, lag after burst)."""
    intake_port, intake_pid = ports["intake"]
    reporting_port, _ = ports["reporting"]
    started = time.perf_counter()
    posts = await drive("chain: intake POST", intake_port, "/v1/candidates", intake_pid, plan,
                        plan.requests, token, bsn_start, BODY)
    burst_done = time.perf_counter()
    expected = posts.count - posts.errors
    async with httpx.AsyncClient(timeout=10) as client:
        while (seen := await registrations_reported(client, reporting_port, report_token)) \
                < expected:
            if time.perf_counter() - burst_done > 120:
                raise TimeoutError(f"reporting has {seen} of {expected} after 120 s")
            await asyncio.sleep(0.05)
    complete = time.perf_counter()
    chain = Row("chain: registration -> report", seen, complete - started, [], seen - expected)
    return posts, chain, complete - burst_done


async def raw_publish(nats_url: str, ns: str, count: int) -> Row:
    """JetStream publish-with-ack of `count` small messages, PUBLISH_WINDOW in flight."""
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        await ensure_stream(js, "intake", namespace=f"{ns}raw")
        subject = f"{ns}raw.participatiewet.GM0757.intake.candidate-registered"
        payload = b'{"specversion": "1.0"}' + b" " * 600  # about an event's size
        windows: list[float] = []
        started = time.perf_counter()
        for first in range(0, count, PUBLISH_WINDOW):
            t0 = time.perf_counter()
            await asyncio.gather(*(js.publish(subject, payload, timeout=5.0) for _ in
                                   range(first, min(count, first + PUBLISH_WINDOW))))
            windows.append((time.perf_counter() - t0) * 1000)
        return Row(f"raw JetStream publish ({PUBLISH_WINDOW} in flight)", count,
                   time.perf_counter() - started, windows)
    finally:
        await nc.close()


async def run(plan: Plan, tmp: Path, server: str, run_id: str) -> dict[str, Row | float]:
    """The three measurements; each phase on fresh databases and its own namespace."""
    token = make_token(org="GM0757", kind=OrgKind.GEMEENTE, roles=[Role.CASEWORKER])
    report_token = make_token(org="GM0757", kind=OrgKind.GEMEENTE, roles=[Role.CONTROLLER])
    results: dict[str, Row | float] = {}
    async with nats_server(tmp) as nats_url, AsyncExitStack() as dbs:
        try:
            urls = {name: await dbs.enter_async_context(postgres_database(
                server, f"bench_chain_{name}_{run_id}", path))
                for name, path in MIGRATIONS.items()}
            alone = await dbs.enter_async_context(postgres_database(
                server, f"bench_chain_alone_{run_id}", INTAKE))
            progress("intake alone: POST /v1/candidates")
            async with services(["intake"], {"intake": alone}, nats_url, f"bench{run_id}a",
                                tmp) as ports:
                port, pid = ports["intake"]
                results["alone"] = await drive("intake alone: POST", port, "/v1/candidates",
                                               pid, plan, plan.requests, token, 20_000_000,
                                               BODY)
            progress("the chain: five services, the same burst, until reporting has it all")
            async with services(list(MIGRATIONS), urls, nats_url, f"bench{run_id}c",
                                tmp) as ports:
                posts, chain, lag = await chain_burst(ports, plan, token, report_token,
                                                      30_000_000)
                results.update(posts=posts, chain=chain, lag=lag)
            progress("raw JetStream publish")
            results["publish"] = await raw_publish(nats_url, f"bench{run_id}p", plan.limit_ops)
        finally:
            with contextlib.suppress(Exception):
                await unstoppable(delete_streams(nats_url, f"BENCH{run_id.upper()}"))
    return results


def report(results: dict[str, Row | float]) -> bool:
    """The table, the info lines and the target lines; whether every operation succeeded."""
    rows = {k: v for k, v in results.items() if isinstance(v, Row)}
    print_table("Postgres, every service its own process", rows)
    alone, chain, lag = rows["alone"], rows["chain"], float(results["lag"])
    sound = not any(row.errors for row in rows.values())
    say(f"\nchain: {chain.count} registrations folded by reporting in {chain.wall:.1f} s "
        f"(from the first POST); the figure was complete {lag:.2f} s after the last POST's "
        f"answer. POST p99 alone {pct(alone.lat_ms, 0.99):.1f} ms, in the chain "
        f"{pct(rows['posts'].lat_ms, 0.99):.1f} ms.")
    say(f"info chain-vs-raw-publish: {chain.rate / rows['publish'].rate:.3f}")
    for check in (Check("chain-vs-intake-post", chain.rate / alone.rate, ">=", 0.50, ".2f", ".2f"),
                  Check("reporting-lag-after-burst-s", lag, "<", LAG_TARGET_S, ".2f", "g")):
        say(check.line("postgres", True))
    return sound


async def main(args: argparse.Namespace) -> int:
    plan = QUICK if args.quick else FULL
    current = asyncio.current_task()
    assert current is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, current.cancel)
    say(f"bench/chain.py: a burst of {plan.requests} registrations over {plan.concurrency} "
        f"connections; raw publish of {plan.limit_ops}; {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="bench-chain-") as tmp_name:
        results = await run(plan, Path(tmp_name), os.environ.get("BENCH_DATABASE_URL",
                                                                  DEFAULT_PG),
                            secrets.token_hex(4))
    sound = report(results)
    if not sound:
        say("error: some operations failed (errors column); the figures are not valid")
    return 0 if sound else 1


def cli() -> int:
    parser = argparse.ArgumentParser(prog="bench/chain.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small counts, for a smoke run")
    try:
        return asyncio.run(main(parser.parse_args()))
    except (asyncio.CancelledError, KeyboardInterrupt):
        sys.stderr.write("bench/chain.py: interrupted; processes, databases and streams are "
                         "cleaned up\n")
        return 130


if __name__ == "__main__":
    raise SystemExit(cli())
