"""Reading the report tables and the projections' status, for the caller's Audience."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.reporting.audience import readable_gemeenten
from services.reporting.commands import ReadReport
from services.reporting.reports import Context, Report, all_reports, present
from services.reporting.store.models import SkippedRow
from services.reporting.unit_of_work import ReportingUnitOfWork
from shared.problems import NotFound

REPORTS: dict[str, Report] = {r.slug: r for r in all_reports()}
# A report's body as the API answers it (JSON) and the dashboard reads it.
ReportBody = dict[str, Any]


def report_named(slug: str) -> Report:
    """The report with this path segment."""
    try:
        return REPORTS[slug]
    except KeyError:
        raise NotFound(f"no report {slug}") from None


async def read_report(uow: ReportingUnitOfWork, query: ReadReport, context: Context
                      ) -> ReportBody:
    """One report for one caller: its gemeenten, suppressed as the caller must see it."""
    report = report_named(query.slug)
    audience, figures = await uow.figures.visible(query.gemeente, query.period)
    rows = await report.build(figures, context)
    marks = await figures.illustrative([report.slug])
    return {"report": report.slug, "period": query.period.label,
            "gemeenten": list(audience.gemeenten), "suppressed": not audience.exact,
            "rows": present(report, rows, exact=audience.exact),
            "illustrative": [{"gemeente": m.gemeente, "figure": m.figure, "note": m.note}
                             for m in marks]}


@dataclass(frozen=True)
class ProjectionState:
    """Which generation is served, what its rebuild folded, and event types skipped."""

    active_generation: int
    building_generation: int | None
    rebuilt_through: dict[str, int]
    skipped: list[SkippedRow]

    @property
    def unknown_events(self) -> int:
        """Events of a type the fold does not know, all together."""
        return sum(s.count for s in self.skipped)


async def projection_state(uow: ReportingUnitOfWork) -> ProjectionState:
    """The projections' state, for any caller who reads some gemeente's figures."""
    readable_gemeenten(uow.principal)
    projections = uow.projections
    generation = await projections.active_generation()
    return ProjectionState(generation, await projections.building_generation(),
                           await projections.positions(generation),
                           await projections.skipped(generation))
