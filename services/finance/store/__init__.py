"""Finance's storage: models, repository, migrations."""

from pathlib import Path

MIGRATIONS = Path(__file__).parent / "migrations"
