"""The command line every service shares: `python -m services.<name> serve|migrate|openapi`."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from fastapi import FastAPI

from shared.migrations import upgrade
from shared.settings import ServiceSettings


def run_cli(
    *, service: str, settings_factory: Callable[[], ServiceSettings],
    app_factory: Callable[[], FastAPI], migrations_dir: Path, default_port: int,
    argv: Sequence[str] | None = None,
) -> int:
    """Parse the sub-command and run it."""
    parser = argparse.ArgumentParser(prog=f"python -m services.{service}")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the HTTP service (uvicorn)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=default_port)
    # More processes, one event loop each: each opens its own pool, relay and consumers (the
    # relay shares work through row locks on Postgres; the inbox makes a double publish harmless).
    serve.add_argument("--workers", type=int, default=None,
                       help="worker processes (default: $WEB_CONCURRENCY, else 1)")
    commands.add_parser("migrate", help="apply database migrations (alembic upgrade head)")
    commands.add_parser("openapi", help="print the OpenAPI document")
    args = parser.parse_args(argv)

    if args.command == "migrate":
        settings = settings_factory()
        upgrade(settings.resolved_database_url, migrations_dir)
        sys.stdout.write(f"{service}: migrations applied\n")
    elif args.command == "openapi":
        sys.stdout.write(json.dumps(app_factory().openapi(), indent=2) + "\n")
    else:
        import uvicorn

        uvicorn.run(f"services.{service}.main:create_app", factory=True, host=args.host,
                    port=args.port, workers=args.workers, log_config=None, access_log=False,
                    proxy_headers=True)
    return 0
