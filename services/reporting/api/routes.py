"""Reporting's endpoints under /v1/reports: one GET per report table (JSON or CSV), targets and
the projections' status. Every endpoint checks the caller's gemeenten (api/access.py)."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import JSONResponse, Response
from sqlalchemy import select

from services.reporting import handlers
from services.reporting.api.access import (
    GemeentePath,
    OrganisationPath,
    audience_for,
    readable_gemeenten,
    regional_target_reader,
    regional_target_writer,
    target_writer,
)
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
from services.reporting.commands import SetRegionalTarget, SetTarget
from services.reporting.domain.fold import DUTCH
from services.reporting.domain.periods import PERIOD_PATTERN, Period, half_year_of, parse_period
from services.reporting.reports import Context, Report, all_reports, present
from services.reporting.settings import ReportingSettings
from services.reporting.store import queries
from services.reporting.store.models import Generation, RegionalTargetRow, TargetRow
from services.reporting.store.projections import active_generation, positions_of
from shared.auth import CurrentPrincipal, Principal
from shared.db import transaction
from shared.http.deps import RuntimeDep
from shared.http.schemas import Year
from shared.organisations import display_name
from shared.problems import BadRequest, InvalidParam
from shared.runtime import Runtime

router = APIRouter(prefix="/reports", tags=["reports"])
GEMEENTE_PATTERN = r"^GM\d{4}$"
CSV_MEDIA_TYPE = "text/csv"

PeriodQuery = Annotated[str | None, Query(
    pattern=PERIOD_PATTERN, description="2026, 2026-H1, 2026-Q2 or 2026-03 (years 2000–2100); "
    "default: the current half-year")]
GemeenteQuery = Annotated[str | None, Query(
    pattern=GEMEENTE_PATTERN, description="one of the caller's gemeenten; default: all of them")]
FormatQuery = Annotated[Literal["json", "csv"], Query(
    alias="format", description="json (default) or csv (text/csv, the same rows)")]


def period_or_default(label: str | None) -> Period:
    """The asked period, or the current Dutch half-year; 400 for one outside 2000–2100."""
    if not label:
        return half_year_of(datetime.now(DUTCH).date())
    try:
        return parse_period(label)
    except ValueError as exc:  # the query pattern refuses these first; this is the backstop
        raise BadRequest("not a reporting period",
                         invalid_params=[InvalidParam("period", str(exc))]) from exc


async def report_body(runtime: Runtime, principal: Principal, report: Report, *,
                      gemeente: str | None, period: Period) -> dict[str, Any]:
    """One report for one caller: its gemeenten, suppressed as the caller must see it."""
    audience = audience_for(principal, gemeente)
    settings = runtime.settings
    assert isinstance(settings, ReportingSettings)
    async with runtime.sessions() as session:
        scope = queries.Scope(await active_generation(session), audience.gemeenten, period)
        context = Context(settings.reporting_provider_kvks, today=datetime.now(DUTCH).date())
        rows = await report.build(session, scope, context)
        marks = await queries.illustrative(session, audience.gemeenten, [report.slug])
    return {"report": report.slug, "period": period.label, "gemeenten": list(audience.gemeenten),
            "suppressed": not audience.exact,
            "rows": present(report, rows, exact=audience.exact),
            "illustrative": [{"gemeente": m.gemeente, "figure": m.figure, "note": m.note}
                             for m in marks]}


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

    async def endpoint(principal: CurrentPrincipal, runtime: RuntimeDep,
                       period: PeriodQuery = None, gemeente: GemeenteQuery = None,
                       output: FormatQuery = "json") -> Response:
        body = await report_body(runtime, principal, report, gemeente=gemeente,
                                 period=period_or_default(period))
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
async def projection_status(principal: CurrentPrincipal, runtime: RuntimeDep
                            ) -> ProjectionStatus:
    """Which generation is served, what its rebuild folded, and event types skipped."""
    readable_gemeenten(principal)
    async with runtime.sessions() as session:
        generation = await active_generation(session)
        building = await session.scalar(select(Generation.id).where(
            Generation.state == "building"))
        positions = await positions_of(session, generation)
        skipped = await queries.skipped(session, generation)
    return ProjectionStatus(
        active_generation=generation, building_generation=building, rebuilt_through=positions,
        skipped_event_types=[SkippedType(event_type=s.event_type, count=s.count,
                                         last_seen_at=s.last_seen_at) for s in skipped])


def _target_out(row: TargetRow) -> TargetOut:
    return TargetOut(gemeente=row.gemeente, year=row.year, places=row.places,
                     set_by=row.set_by, set_at=row.set_at)


@router.get("/targets", response_model=TargetList)
async def list_targets(principal: CurrentPrincipal, runtime: RuntimeDep,
                       year: Annotated[Year | None, Query()] = None) -> TargetList:
    """Places targets of the caller's gemeenten (not suppressed: they are decisions)."""
    gemeenten = readable_gemeenten(principal)
    query = select(TargetRow).where(TargetRow.gemeente.in_(gemeenten))
    if year is not None:
        query = query.where(TargetRow.year == year)
    async with runtime.sessions() as session:
        rows = (await session.execute(query.order_by(TargetRow.gemeente, TargetRow.year)))
        return TargetList(items=[_target_out(r) for r in rows.scalars().all()])


@router.put("/targets/{gemeente}/{year}", response_model=TargetOut)
async def set_target(
    principal: Annotated[Principal, Depends(target_writer)], runtime: RuntimeDep,
    body: TargetIn, gemeente: GemeentePath,
    year: Annotated[Year, Path(description="calendar year, 2000–2100")],
) -> TargetOut:
    """Set the gemeente's own places target (SW + PW) for a year, as its council decided it.

    Only that gemeente's controller or admin: an uitvoerder, a WSP, a regional board or another
    gemeente gets 403, before the body is looked at.
    """
    command = SetTarget(gemeente=gemeente, year=year, places=body.places,
                        set_by=principal.subject)
    async with transaction(runtime.sessions) as session:
        return _target_out(await handlers.set_target(session, command=command))


def _regional_out(row: RegionalTargetRow) -> RegionalTargetOut:
    return RegionalTargetOut(organisation=row.organisation,
                             organisation_name=display_name(row.organisation), year=row.year,
                             places=row.places, set_by=row.set_by, set_at=row.set_at)


@router.get("/regional-targets", response_model=RegionalTargetList)
async def list_regional_targets(
    principal: Annotated[Principal, Depends(regional_target_reader)], runtime: RuntimeDep,
    year: Annotated[Year | None, Query()] = None,
) -> RegionalTargetList:
    """The caller's own regional targets (an uitvoerder's board or admin)."""
    async with runtime.sessions() as session:
        rows = await queries.regional_targets(session, principal.org, year)
    return RegionalTargetList(items=[_regional_out(r) for r in rows])


@router.put("/regional-targets/{organisation}/{year}", response_model=RegionalTargetOut)
async def set_regional_target(
    principal: Annotated[Principal, Depends(regional_target_writer)], runtime: RuntimeDep,
    body: TargetIn, organisation: OrganisationPath,
    year: Annotated[Year, Path(description="calendar year, 2000–2100")],
) -> RegionalTargetOut:
    """Set the uitvoerder's own places target (SW + PW) for all its gemeenten together, as its
    governing board decided it (WSD: 2,100). Only that uitvoerder's board or admin: anyone else
    gets 403, before the body is looked at."""
    command = SetRegionalTarget(organisation=organisation, year=year, places=body.places,
                                set_by=principal.subject)
    async with transaction(runtime.sessions) as session:
        return _regional_out(await handlers.set_regional_target(session, command=command))
