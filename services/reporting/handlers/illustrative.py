"""The marks of illustrative (demo) figures: written by seed-demo, shown with the figures."""

from __future__ import annotations

from collections.abc import Iterable

from services.reporting.demo_marks import Illustrative
from services.reporting.store.models import IllustrativeRow
from services.reporting.unit_of_work import ReportingUnitOfWork


async def mark_illustrative(uow: ReportingUnitOfWork, marks: Iterable[Illustrative]) -> int:
    """Replace the illustrative marks of the gemeenten in `marks` with these (a re-seed with
    fewer marks leaves no stale one behind); returns how many are stored."""
    chosen = list(marks)
    await uow.illustrative.replace(
        (mark.gemeente for mark in chosen),
        (IllustrativeRow(gemeente=m.gemeente, report=m.report, figure=m.figure, note=m.note)
         for m in chosen))
    await uow.flush()
    return len(chosen)
