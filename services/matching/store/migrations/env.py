"""Alembic environment of matching: its own tables plus the spine's."""

from services.matching.store.models import MatchingBase
from shared.migrations import run_env
from shared.store import MessagingBase

run_env([MatchingBase.metadata, MessagingBase.metadata])
