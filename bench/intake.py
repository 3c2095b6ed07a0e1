"""Intake's write path next to its limits, measured in one run: HTTP, storage, relay, JetStream.

    .venv/bin/python bench/intake.py [--quick] [--skip-sqlite]

On Postgres (a fresh `bench_intake_<random>` database on BENCH_DATABASE_URL's server, dropped at
the end) and then on SQLite (a temp file) it measures, on the migrated schema, the first four in
turn three times (each keeps its best round; --quick: once):
  intake   `python -m services.intake serve`, POST /v1/candidates over 32 connections
  http     bench/lib/bare_app.py under the same uvicorn settings: the HTTP ceiling
  least    bench/lib/least_app.py, same uvicorn settings: the least app doing the same work
           (FastAPI, intake's pydantic body, the two inserts through the driver, nothing else)
  storage  the request's two inserts (candidate + outbox row) straight through the driver
  relay    OutboxRelay draining N pending rows, next to raw JetStream publishes of the same N
The load comes from a separate process (bench/lib/loadgen.py, a lean HTTP/1.1 keep-alive
client) so the client never competes with the server inside one interpreter. NATS is a private
nats-server from the wheel on a free port unless NATS_URL is given.
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
    drive,
    free_port,
    nats_server,
    postgres_database,
    unstoppable,
    wait_up,
)
from bench.lib.limits import ORG, empty_tables, raw_storage, relay_and_publish
from bench.lib.stats import Check, Plan, Row, pct, print_table, progress, say
from services.intake.store import MIGRATIONS
from shared.auth import OrgKind, Role
from shared.devtoken import make_token
from shared.migrations import upgrade

DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
BODY = {"bsn": "", "givenName": "Jan", "familyName": "Jansen", "birthDate": "1990-04-01",
        "postcode": "5281 AB", "targetGroup": "bijstand", "benefit": "bijstand"}
FULL = Plan(warmup=200, requests=3000, limit_ops=10_000, seconds=10.0, relay_rows=20_000,
            concurrency=32, rounds=3)
QUICK = Plan(warmup=20, requests=300, limit_ops=1000, seconds=3.0, relay_rows=2_000,
             concurrency=32)


async def measure_backend(label: str, db_url: str, nats_url: str, tmp: Path, plan: Plan,
                          ns: str) -> dict[str, Row]:
    """The measurements on one database; prints its table.

    Intake, the HTTP limit, the least app and raw storage are measured in turn, `plan.rounds`
    times (tables emptied before each), and each keeps its best round: on this shared box one
    run of the same server took 1,140 req/s and the next, a minute later, 1,460, so one
    measurement against another compares the box's minutes, not the code."""
    token = make_token(org=ORG, kind=OrgKind.GEMEENTE, roles=[Role.CASEWORKER])
    env = {k: v for k, v in os.environ.items()
           if k not in ("INTAKE_NATS_URL", "INTAKE_LOG_LEVEL", "INTAKE_DATABASE_URL")}
    env.update(INTAKE_DATABASE_URL=db_url, NATS_URL=nats_url, BUS_NAMESPACE=ns,
               LOG_LEVEL="WARNING")
    rounds: dict[str, list[Row]] = {"intake": [], "http": [], "least": [], "storage": []}
    for turn in range(1, plan.rounds + 1):
        progress(f"{label}: round {turn} of {plan.rounds}")
        await empty_tables(db_url)
        rounds["intake"].append(await _intake(db_url, tmp, plan, ns, env, token))
        rounds["http"].append(await _http_limit(tmp, plan, ns, env, token))
        await empty_tables(db_url)
        rounds["least"].append(await _least_app(db_url, tmp, plan, ns, env, token))
        await empty_tables(db_url)
        rounds["storage"].append(await raw_storage(db_url, plan))
    rows = {key: max(measured, key=lambda row: row.rate) for key, measured in rounds.items()}

    progress(f"{label}: relay and raw publish of {plan.relay_rows} events")
    rows["relay"], rows["publish"] = await relay_and_publish(db_url, nats_url, ns, plan)
    print_table(label, rows)
    if plan.rounds > 1:
        say("rate/s in each round, the best above: " + "; ".join(
            f"{key} " + ", ".join(f"{row.rate:.0f}" for row in measured)
            for key, measured in rounds.items()))
    return rows


async def _intake(db_url: str, tmp: Path, plan: Plan, ns: str, env: dict[str, str],
                  token: str) -> Row:
    """`python -m services.intake serve`, one worker whatever WEB_CONCURRENCY says: one
    process against one-process limits."""
    port, log = free_port(), tmp / f"intake-{ns}.log"
    argv = [sys.executable, "-m", "services.intake", "serve", "--port", str(port),
            "--workers", "1"]
    async with child("intake", argv, log, env) as proc:
        await wait_up("intake", proc, log, f"http://{HOST}:{port}/ready", port)
        return await drive("intake POST /v1/candidates", port, "/v1/candidates", proc.pid,
                           plan, plan.requests, token, 10_000_000 + secrets.randbelow(10**7),
                           BODY)


async def _http_limit(tmp: Path, plan: Plan, ns: str, env: dict[str, str], token: str) -> Row:
    """bench/lib/bare_app.py: the HTTP ceiling."""
    port, log = free_port(), tmp / f"bare-{ns}.log"
    argv = [sys.executable, "-m", "bench.lib.bare_app", "--port", str(port)]
    async with child("bare_app", argv, log, env) as proc:
        await wait_up("bare_app", proc, log, None, port)
        return await drive("http limit POST /echo", port, "/echo", proc.pid, plan,
                           plan.limit_ops, token, 10_000_000, BODY)


async def _least_app(db_url: str, tmp: Path, plan: Plan, ns: str, env: dict[str, str],
                     token: str) -> Row:
    """bench/lib/least_app.py: the least app doing intake's work."""
    port, log = free_port(), tmp / f"least-{ns}.log"
    argv = [sys.executable, "-m", "bench.lib.least_app", "--port", str(port),
            "--database-url", db_url]
    async with child("least_app", argv, log, env) as proc:
        await wait_up("least_app", proc, log, None, port)
        return await drive("least app POST /v1/candidates", port, "/v1/candidates", proc.pid,
                           plan, plan.requests, token, 20_000_000 + secrets.randbelow(10**7),
                           BODY)


class AtMost(Check):
    """A figure that may equal its limit (`<=`): a p99 ratio of exactly 1.5 meets 1.5."""

    @property
    def met(self) -> bool:
        """Whether the figure is at most the limit."""
        return self.value <= self.limit


def verdicts(results: dict[str, dict[str, Row]]) -> tuple[list[str], bool]:
    """Info lines (SQLite, HTTP ratios), then the target lines (Postgres); and whether all ran."""
    info: list[str] = []
    targets: list[str] = []
    sound = True
    for label, rows in results.items():
        key = label.split()[0].lower()
        sound = sound and not any(row.errors for row in rows.values())
        info.append(f"info {key} intake-vs-http-limit: "
                    f"{rows['intake'].rate / rows['http'].rate:.2f}")
        intake_p99, least_p99 = pct(rows["intake"].lat_ms, 0.99), pct(rows["least"].lat_ms, 0.99)
        info.append(f"info {key} least-app-vs-raw-storage: "
                    f"{rows['least'].rate / rows['storage'].rate:.2f}")
        checks = [Check("intake-vs-least-app", rows["intake"].rate / rows["least"].rate,
                        ">=", 0.75, ".2f", ".2f"),
                  Check("intake-vs-raw-storage", rows["intake"].rate / rows["storage"].rate,
                        ">=", 0.40, ".2f", ".2f"),
                  AtMost("intake-p99-vs-least-app-p99", intake_p99 / least_p99, "<=", 1.5,
                         ".2f", ".2f"),
                  Check("intake-p99-ms", intake_p99, "<", 50.0, ".1f", "g"),
                  Check("relay-vs-raw-publish", rows["relay"].rate / rows["publish"].rate,
                        ">=", 0.50, ".2f", ".2f")]
        for check in checks:
            counts = key == "postgres"
            (targets if counts else info).append(check.line(key, counts))
    return info + targets, sound


async def main(args: argparse.Namespace) -> int:
    """Postgres, then SQLite, each in its own namespace; then the footnote and the verdicts."""
    plan = QUICK if args.quick else FULL
    current = asyncio.current_task()
    assert current is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, current.cancel)
    run_id = secrets.token_hex(4)
    results: dict[str, dict[str, Row]] = {}
    say(f"bench/intake.py: {plan.concurrency} concurrent, warm-up {plan.warmup}, then "
        f"{plan.requests} intake requests ({plan.limit_ops} for the limits) or "
        f"{plan.seconds:g} s; relay {plan.relay_rows} events; "
        f"{os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="bench-intake-") as tmp_name:
        tmp = Path(tmp_name)
        async with nats_server(tmp) as nats_url:
            try:
                server = os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG)
                async with postgres_database(server, f"bench_intake_{run_id}",
                                             MIGRATIONS) as url:
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
    """Parse the arguments and run; 130 with a note when interrupted (after clean-up)."""
    parser = argparse.ArgumentParser(prog="bench/intake.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small counts, for a smoke run")
    parser.add_argument("--skip-sqlite", action="store_true", help="Postgres only")
    args = parser.parse_args(argv)
    try:
        return asyncio.run(main(args))
    except (asyncio.CancelledError, KeyboardInterrupt):
        sys.stderr.write("bench/intake.py: interrupted; its processes, database, streams and "
                         "temp files are cleaned up\n")
        return 130


if __name__ == "__main__":
    raise SystemExit(cli())
