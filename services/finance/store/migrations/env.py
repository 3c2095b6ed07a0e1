"""Alembic environment of finance: its own tables plus the spine's."""

from services.finance.store.models import FinanceBase
from shared.migrations import run_env
from shared.store import MessagingBase

run_env([FinanceBase.metadata, MessagingBase.metadata])
