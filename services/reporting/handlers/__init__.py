"""Reporting's use cases that write: one function per command, taking the session first.

The projections are written by the event fold (events.py, rebuild.py); what is written here is
not from events: a council's places target, an uitvoerder's regional target, and the marks of
illustrative (demo) figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting.commands import SetRegionalTarget, SetTarget
from services.reporting.demo_marks import Illustrative
from services.reporting.store.models import IllustrativeRow, RegionalTargetRow, TargetRow


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


async def set_regional_target(session: AsyncSession, *, command: SetRegionalTarget,
                              now: datetime | None = None) -> RegionalTargetRow:
    """Store (or replace) an uitvoerder's regional target; the right was checked before."""
    row = await session.get(RegionalTargetRow, (command.organisation, command.year))
    if row is None:
        row = RegionalTargetRow(organisation=command.organisation, year=command.year)
        session.add(row)
    row.places, row.set_by = command.places, command.set_by
    row.set_at = now or datetime.now(UTC)
    await session.flush()
    return row


async def mark_illustrative(session: AsyncSession, *, marks: Iterable[Illustrative]) -> int:
    """Replace the illustrative marks of the gemeenten in `marks` with these (a re-seed with
    fewer marks leaves no stale one behind); returns how many are stored."""
    chosen = list(marks)
    gemeenten = sorted({mark.gemeente for mark in chosen})
    await session.execute(delete(IllustrativeRow).where(IllustrativeRow.gemeente.in_(gemeenten)))
    session.add_all(IllustrativeRow(gemeente=m.gemeente, report=m.report, figure=m.figure,
                                    note=m.note) for m in chosen)
    await session.flush()
    return len(chosen)
