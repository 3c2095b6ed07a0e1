"""`python -m services.matching serve|migrate|openapi`."""

from services.matching.main import create_app
from services.matching.settings import MatchingSettings
from services.matching.store import MIGRATIONS
from shared.cli import run_cli

if __name__ == "__main__":
    raise SystemExit(run_cli(service="matching", settings_factory=MatchingSettings,
                             app_factory=create_app, migrations_dir=MIGRATIONS,
                             default_port=8003))
