"""Matching's storage: models, repositories, migrations."""

from pathlib import Path

MIGRATIONS = Path(__file__).parent / "migrations"
