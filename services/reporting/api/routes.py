"""Reporting's endpoints under /v1/reports: one GET per report table (JSON or CSV), targets and
the projections' status. Every endpoint reads through a handler, for the caller's gemeenten
(audience.py); the writes' rights are checked before the body (api/access.py)."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import JSONResponse, Response

from services.reporting.api.access import (
    GemeentePath,
    OrganisationPath,
    regional_target_reader,
    regional_target_writer,
    target_writer,
)
from services.reporting.api.deps import ReportContext, Uow
from services.reporting.api.schemas import (
    ProjectionStatus,
    RegionalTargetList,
    RegionalTargetOut,
    SkippedType,
    TargetIn,
    TargetList,
    TargetOut,
    report_model,
)
from services.reporting.commands import (
    ListRegionalTargets,
    ListTargets,
    ReadReport,
    SetRegionalTarget,
    SetTarget,
    period_or_default,
)
from services.reporting.domain.periods import PERIOD_PATTERN
from services.reporting.handlers import reports, targets
from services.reporting.reports import Report, all_reports
from services.reporting.store.models import RegionalTargetRow, TargetRow
from shared.auth import CurrentPrincipal, Principal
from shared.http.routes import UnitOfWorkRoute
from shared.http.schemas import Year
from shared.organisations import display_name

router = APIRouter(prefix="/reports", tags=["reports"], route_class=UnitOfWorkRoute)
GEMEENTE_PATTERN = r"^GM\d{4}$"
CSV_MEDIA_TYPE = "text/csv"

PeriodQuery = Annotated[str | None, Query(
    pattern=PERIOD_PATTERN, description="2026, 2026-H1, 2026-Q2 or 2026-03 (years 2000–2100); "
    "default: the current half-year")]
GemeenteQuery = Annotated[str | None, Query(
    pattern=GEMEENTE_PATTERN, description="one of the caller's gemeenten; default: all of them")]
FormatQuery = Annotated[Literal["json", "csv"], Query(
    alias="format", description="json (default) or csv (text/csv, the same rows)")]


def csv_of(report: Report, rows: list[dict[str, Any]]) -> str:
    """The rows as CSV: a header of the column names, empty cells for null."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    names = [column.name for column in report.columns]
    writer.writerow(names)
    for row in rows:
        writer.writerow(["" if row[name] is None else row[name] for name in names])
    return out.getvalue()


def _add_report_route(report: Report) -> None:
    model = report_model(report)

    async def endpoint(principal: CurrentPrincipal, uow: Uow, context: ReportContext,
                       period: PeriodQuery = None, gemeente: GemeenteQuery = None,
                       output: FormatQuery = "json") -> Response:
        query = ReadReport(report.slug, gemeente, period_or_default(period))
        body = await reports.read_report(uow, query, context)
        if output == "csv":
            filename = f"{report.slug}-{body['period']}.csv"
            return Response(csv_of(report, body["rows"]), media_type=CSV_MEDIA_TYPE,
                            headers={"Content-Disposition": f'attachment; filename="{filename}"'})
        return JSONResponse(body)

    endpoint.__doc__ = report.summary
    router.add_api_route(
        f"/{report.slug}", endpoint, methods=["GET"], response_model=None,
        summary=report.title, operation_id=f"get_{report.slug.replace('-', '_')}_report",
        responses={200: {"model": model, "description": report.title,
                         "content": {CSV_MEDIA_TYPE: {"schema": {"type": "string"}}}}})


for _report in all_reports():
    _add_report_route(_report)


@router.get("/status", response_model=ProjectionStatus)
async def projection_status(principal: CurrentPrincipal, uow: Uow) -> ProjectionStatus:
    """Which generation is served, what its rebuild folded, and event types skipped."""
    state = await reports.projection_state(uow)
    return ProjectionStatus(
        active_generation=state.active_generation,
        building_generation=state.building_generation, rebuilt_through=state.rebuilt_through,
        skipped_event_types=[SkippedType(event_type=s.event_type, count=s.count,
                                         last_seen_at=s.last_seen_at) for s in state.skipped])


def _target_out(row: TargetRow) -> TargetOut:
    return TargetOut(gemeente=row.gemeente, year=row.year, places=row.places,
                     set_by=row.set_by, set_at=row.set_at)


@router.get("/targets", response_model=TargetList)
async def list_targets(principal: CurrentPrincipal, uow: Uow,
                       year: Annotated[Year | None, Query()] = None) -> TargetList:
    """Places targets of the caller's gemeenten (not suppressed: they are decisions)."""
    rows = await targets.list_targets(uow, ListTargets(year))
    return TargetList(items=[_target_out(r) for r in rows])


@router.put("/targets/{gemeente}/{year}", response_model=TargetOut)
async def set_target(
    principal: Annotated[Principal, Depends(target_writer)], uow: Uow,
    body: TargetIn, gemeente: GemeentePath,
    year: Annotated[Year, Path(description="calendar year, 2000–2100")],
) -> TargetOut:
    """Set the gemeente's own places target (SW + PW) for a year, as its council decided it.

    Only that gemeente's controller or admin: an uitvoerder, a WSP, a regional board or another
    gemeente gets 403, before the body is looked at.
    """
    command = SetTarget(gemeente=gemeente, year=year, places=body.places,
                        set_by=principal.subject)
    return _target_out(await targets.set_target(uow, command))


def _regional_out(row: RegionalTargetRow) -> RegionalTargetOut:
    return RegionalTargetOut(organisation=row.organisation,
                             organisation_name=display_name(row.organisation), year=row.year,
                             places=row.places, set_by=row.set_by, set_at=row.set_at)


@router.get("/regional-targets", response_model=RegionalTargetList)
async def list_regional_targets(
    principal: Annotated[Principal, Depends(regional_target_reader)], uow: Uow,
    year: Annotated[Year | None, Query()] = None,
) -> RegionalTargetList:
    """The caller's own regional targets (an uitvoerder's board or admin)."""
    rows = await targets.list_regional_targets(uow, ListRegionalTargets(year))
    return RegionalTargetList(items=[_regional_out(r) for r in rows])


@router.put("/regional-targets/{organisation}/{year}", response_model=RegionalTargetOut)
async def set_regional_target(
    principal: Annotated[Principal, Depends(regional_target_writer)], uow: Uow,
    body: TargetIn, organisation: OrganisationPath,
    year: Annotated[Year, Path(description="calendar year, 2000–2100")],
) -> RegionalTargetOut:
    """Set the uitvoerder's own places target (SW + PW) for all its gemeenten together, as its
    governing board decided it (WSD: 2,100). Only that uitvoerder's board or admin: anyone else
    gets 403, before the body is looked at."""
    command = SetRegionalTarget(organisation=organisation, year=year, places=body.places,
                                set_by=principal.subject)
    return _regional_out(await targets.set_regional_target(uow, command))
