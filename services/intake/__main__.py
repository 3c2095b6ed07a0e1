"""`python -m services.intake serve|migrate|openapi`."""

from services.intake.main import create_app
from services.intake.settings import IntakeSettings
from services.intake.store import MIGRATIONS
from shared.cli import run_cli

if __name__ == "__main__":
    raise SystemExit(run_cli(service="intake", settings_factory=IntakeSettings,
                             app_factory=create_app, migrations_dir=MIGRATIONS,
                             default_port=8001))
