"""Alembic environment of diagnose: its own tables plus the spine's."""

from services.diagnose.store.models import DiagnoseBase
from shared.migrations import run_env
from shared.store import MessagingBase

run_env([DiagnoseBase.metadata, MessagingBase.metadata])
