"""Reporting's use cases that write: one function per command, taking the session first.

The projections are written by the event fold (events.py, rebuild.py); what is written here are
decisions that are not events, such as a council's places target.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting.commands import SetTarget
from services.reporting.store.models import TargetRow


async def set_target(session: AsyncSession, *, command: SetTarget,
                     now: datetime | None = None) -> TargetRow:
    """Store (or replace) the target; the caller's right was checked at the boundary."""
    row = await session.get(TargetRow, (command.gemeente, command.year))
    if row is None:
        row = TargetRow(gemeente=command.gemeente, year=command.year)
        session.add(row)
    row.places, row.set_by = command.places, command.set_by
    row.set_at = now or datetime.now(UTC)
    await session.flush()
    return row
