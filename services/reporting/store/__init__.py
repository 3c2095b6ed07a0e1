"""Reporting's storage: projection tables per generation, targets, migrations."""

from pathlib import Path

MIGRATIONS = Path(__file__).parent / "migrations"
