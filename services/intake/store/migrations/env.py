"""Alembic environment of intake: its own tables plus the spine's."""

from services.intake.store.models import IntakeBase
from shared.migrations import run_env
from shared.store import MessagingBase

run_env([IntakeBase.metadata, MessagingBase.metadata])
