"""Alembic environment of reporting: its own tables plus the spine's."""

from services.reporting.store.models import ReportingBase
from shared.migrations import run_env
from shared.store import MessagingBase

run_env([ReportingBase.metadata, MessagingBase.metadata])
