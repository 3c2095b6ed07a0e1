"""`python -m services.finance serve|migrate|openapi|reassessments`."""

from __future__ import annotations

import asyncio
import sys

from services.finance.main import create_app
from services.finance.settings import FinanceSettings
from services.finance.store import MIGRATIONS
from shared.cli import run_cli


async def scan_reassessments() -> int:
    """One re-assessment scan against the configured database; the relay of a running service
    (or the next `serve`) publishes the events it writes to the outbox."""
    from services.finance.background import Background
    from services.finance.unit_of_work import FinanceUnitOfWork
    from shared.runtime import Runtime

    runtime = Runtime(FinanceSettings(), unit_of_work=FinanceUnitOfWork, publishes=False)
    try:
        found = await Background(runtime).scan_once()
    finally:
        await runtime.engine.dispose()
    sys.stdout.write(f"finance: {found} reassessment-due event(s) written to the outbox\n")
    return 0


def main(argv: list[str]) -> int:
    """The shared commands, plus `reassessments`."""
    if argv[:1] == ["reassessments"]:
        return asyncio.run(scan_reassessments())
    return run_cli(service="finance", settings_factory=FinanceSettings, app_factory=create_app,
                   migrations_dir=MIGRATIONS, default_port=8004, argv=argv)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
