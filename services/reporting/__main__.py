"""`python -m services.reporting serve|migrate|openapi|rebuild|seed-demo`.

The spine's `run_cli` knows serve, migrate and openapi; reporting's own commands are handled
here first and everything else is handed to it.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from services.reporting.main import create_app
from services.reporting.settings import ReportingSettings
from services.reporting.store import MIGRATIONS
from shared.cli import run_cli

OWN_COMMANDS = {
    "rebuild": "replay every stream into new projections and swap them in",
    "seed-demo": "publish the seeds' demo history (refused in production)",
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "rebuild":
        from services.reporting.rebuild import run_rebuild

        return run_rebuild(ReportingSettings())
    if args and args[0] == "seed-demo":
        from services.reporting.demo import run_seed_demo

        return run_seed_demo(ReportingSettings(), args[1:])
    if not args or args[0] in {"-h", "--help"}:
        extra = "".join(f"\n  {name:<10} {text}" for name, text in OWN_COMMANDS.items())
        sys.stdout.write(f"reporting's own commands:{extra}\n")
    return run_cli(service="reporting", settings_factory=ReportingSettings,
                   app_factory=create_app, migrations_dir=MIGRATIONS, default_port=8005,
                   argv=args)


if __name__ == "__main__":
    raise SystemExit(main())
