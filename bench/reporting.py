"""Reporting's rebuild throughput and report latency next to the limit, measured in one run.

    .venv/bin/python bench/reporting.py [--events N] [--skip-sqlite]

1. Generates N (default 1,000,000) klantreis events onto the four producers' streams in a
   bench namespace (core NATS publishes; the streams are counted afterwards and a sample is
   validated against the catalogue's models).
2. raw: ephemeral ack-less pull consumers fetching the same streams and decoding the JSON —
   the ceiling any consumer written with nats-py has on this machine.
3. rebuild: `services.reporting.rebuild.rebuild` (what `python -m services.reporting rebuild`
   runs) into a fresh Postgres database (BENCH_DATABASE_URL's server, dropped at the end), and
   into a temp SQLite file.
4. report: `python -m services.reporting serve` (uvicorn, a separate process) on the rebuilt
   Postgres database; GET /v1/reports/overview for one gemeente and half-year over 8 concurrent
   keep-alive connections (httpx from this process) for 10 s; its consumers read an empty
   namespace so they do not compete.
NATS is NATS_URL if set, else a private nats-server from the wheel. The bench streams are
deleted at the end.
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
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo root, for bench.lib

from bench.lib.infra import (
    HOST,
    child,
    delete_streams,
    free_port,
    nats_server,
    postgres_database,
    unstoppable,
    wait_up,
)
from bench.lib.reporting_events import GEMEENTEN
from bench.lib.reporting_measures import (
    publish,
    raw_consume,
    raw_lean,
    rebuild_once,
    report_latency,
)
from bench.lib.stats import Check, Row, pct, print_table, progress, say
from services.reporting.store import MIGRATIONS
from shared.auth import OrgKind, Role
from shared.devtoken import make_token
from shared.migrations import upgrade

DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
FETCH = 2000


async def measure_latency(db_url: str, nats_url: str, tmp: Path, ns: str) -> Row:
    """The report endpoint served by a real uvicorn process on the rebuilt database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPORTING_")}
    env.update(REPORTING_DATABASE_URL=db_url, NATS_URL=nats_url, BUS_NAMESPACE=f"{ns}idle",
               LOG_LEVEL="WARNING")
    port, log = free_port(), tmp / "reporting.log"
    argv = [sys.executable, "-m", "services.reporting", "serve", "--port", str(port)]
    token = make_token(org="WSD", kind=OrgKind.PROVIDER, roles=[Role.BOARD],
                       gemeenten=list(GEMEENTEN))
    async with child("reporting", argv, log, env) as proc:
        await wait_up("reporting", proc, log, f"http://{HOST}:{port}/ready", port)
        return await report_latency(port, token, GEMEENTEN, 10.0, 8, 40)


async def main(args: argparse.Namespace) -> int:
    """Publish, raw, rebuild (Postgres, SQLite), latency; the table; the target lines."""
    current = asyncio.current_task()
    assert current is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, current.cancel)
    run_id = secrets.token_hex(4)
    ns = f"bench{run_id}rep"
    rows: dict[str, Row] = {}
    say(f"bench/reporting.py: {args.events:,} events, fetch batch {FETCH}, "
        f"{os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="bench-reporting-") as tmp_name:
        tmp = Path(tmp_name)
        async with nats_server(tmp) as nats_url:
            try:
                progress(f"publishing {args.events:,} events")
                rows["publish"] = await publish(nats_url, ns, args.events)
                progress("raw consumption (nats-py fetch)")
                rows["raw-fetch"] = await raw_consume(nats_url, ns, FETCH)
                progress("raw consumption (lean pull)")
                rows["raw"] = await raw_lean(nats_url, ns, FETCH)
                server = os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG)
                async with postgres_database(server, f"bench_reporting_{run_id}",
                                             MIGRATIONS) as url:
                    progress("rebuild into Postgres")
                    rows["rebuild-pg"] = await rebuild_once(url, nats_url, ns, "Postgres")
                    progress("report latency")
                    rows["report"] = await measure_latency(url, nats_url, tmp, ns)
                if not args.skip_sqlite:
                    url = f"sqlite+aiosqlite:///{tmp / 'reporting.db'}"
                    await asyncio.to_thread(upgrade, url, MIGRATIONS)
                    progress("rebuild into SQLite")
                    rows["rebuild-sqlite"] = await rebuild_once(url, nats_url, ns, "SQLite")
            finally:
                with contextlib.suppress(Exception):
                    await unstoppable(delete_streams(nats_url, ns.upper()))
    print_table("reporting (rates: events/s; report row: requests/s and latency)", rows)
    say("\nraw: the same streams through ephemeral ack-less pull consumers, JSON decoded only: "
        "nats-py's fetch() (a task per message), and the lean pull the rebuild uses (pull "
        "requests on a core subscription). rebuild: read, decode, fold in memory, bulk write "
        "(COPY / executemany), swap. report: uvicorn process, 8 connections from this process "
        "(httpx).\n")
    return verdicts(rows)


def verdicts(rows: dict[str, Row]) -> int:
    """Info and target lines; 1 if any request failed."""
    raw, report = rows["raw"], rows["report"]
    for key in ("rebuild-pg", "rebuild-sqlite"):
        if key in rows:
            say(f"info {key}-vs-raw-lean-pull: {rows[key].rate / raw.rate:.2f}")
            say(f"info {key}-vs-raw-nats-py-fetch: {rows[key].rate / rows['raw-fetch'].rate:.2f}")
    if "rebuild-sqlite" in rows:
        say(Check("reporting-rebuild-events-per-s", rows["rebuild-sqlite"].rate, ">=",
                  20_000, ".0f", ".0f").line("sqlite", counts=False))
    say(Check("reporting-rebuild-events-per-s", rows["rebuild-pg"].rate, ">=", 20_000, ".0f",
              ".0f").line("postgres", counts=True))
    say(Check("reporting-report-p99-ms", pct(report.lat_ms, 0.99), "<", 200.0, ".1f",
              "g").line("postgres", counts=True))
    if report.errors:
        say(f"error: {report.errors} report requests failed")
        return 1
    return 0


def cli(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments and run; 130 when interrupted (after clean-up)."""
    parser = argparse.ArgumentParser(prog="bench/reporting.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--skip-sqlite", action="store_true", help="Postgres only")
    args = parser.parse_args(argv)
    try:
        return asyncio.run(main(args))
    except (asyncio.CancelledError, KeyboardInterrupt):
        sys.stderr.write("bench/reporting.py: interrupted; cleaned up\n")
        return 130


if __name__ == "__main__":
    raise SystemExit(cli())
