"""GET /v1/reports/regional/{organisation}: the regional view of an uitvoerder's governing
board as JSON (the same figures as /dashboard/regio)."""

from __future__ import annotations

from fastapi import APIRouter

from services.reporting.api.access import Board, OrganisationPath
from services.reporting.api.deps import ReportContext, Uow
from services.reporting.api.routes import PeriodQuery
from services.reporting.api.schemas import RegionalCounts, RegionalGemeente, RegionalReport
from services.reporting.commands import ReadRegionalView, period_or_default
from services.reporting.domain.figures import Cell
from services.reporting.domain.monitor import pct_of
from services.reporting.handlers import regional
from services.reporting.handlers.regional import RegionalView
from shared.http.routes import UnitOfWorkRoute

router = APIRouter(prefix="/reports", tags=["reports"], route_class=UnitOfWorkRoute)


def _counts(cells: dict[str, Cell]) -> RegionalCounts:
    return RegionalCounts(places_realised=cells["placesRealised"],
                          at_provider=cells["atProvider"], registrations=cells["registrations"],
                          placements_started=cells["placementsStarted"],
                          closures=cells["closures"])


def regional_report(view: RegionalView) -> RegionalReport:
    """The view as the API's body."""
    return RegionalReport(
        organisation=view.organisation, organisation_name=view.organisation_name,
        period=view.period.label, previous_period=view.previous_label,
        regional_target=view.regional_target,
        pct_of_regional_target=view.pct_of_regional_target,
        gemeenten=[RegionalGemeente(
            gemeente=line.gemeente, gemeente_name=line.name, places_target=line.target,
            pct_of_target=pct_of(line.cells["placesRealised"], line.target),
            funded_places=line.funded, illustrative=line.illustrative,
            **_counts(line.cells).model_dump())
            for line in view.lines],
        total=_counts(view.total),
        total_rounded_to_tens=sorted(view.rounded),  # the view's keys are the JSON's names
        previous_total=_counts(view.previous_total) if view.previous_total else None,
        illustrative=list(view.notes))


@router.get("/regional/{organisation}", response_model=RegionalReport)
async def read_regional(principal: Board, uow: Uow, context: ReportContext,
                        organisation: OrganisationPath, period: PeriodQuery = None
                        ) -> RegionalReport:
    """All gemeenten of the uitvoerder (those in its board's token) against its regional
    target, small cells "<5" (a column's total then rounded to tens): only that uitvoerder's
    board."""
    query = ReadRegionalView(organisation, period_or_default(period))
    return regional_report(await regional.read_regional(uow, query, context))
