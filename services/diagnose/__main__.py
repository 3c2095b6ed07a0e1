"""`python -m services.diagnose serve|migrate|openapi`."""

from services.diagnose.main import create_app
from services.diagnose.settings import DiagnoseSettings
from services.diagnose.store import MIGRATIONS
from shared.cli import run_cli

if __name__ == "__main__":
    raise SystemExit(run_cli(service="diagnose", settings_factory=DiagnoseSettings,
                             app_factory=create_app, migrations_dir=MIGRATIONS,
                             default_port=8002))
