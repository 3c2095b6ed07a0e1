"""Intake's storage: models, repository, migrations."""
