"""The regional view of an uitvoerder's governing board: all its gemeenten side by side, their
sum against the region's target (WSD: 2,100 places for nine gemeenten), small cells "<5".

Only the uitvoerder's board reads it, as JSON (`read_regional`) or as the dashboard's page
(`regional_page`); the gemeenten are those of the board's token (its Audience). The sums are
of the exact counts, shown exactly unless a gemeente's cell in that column is "<5": then
rounded to tens, so the small one cannot be worked back (domain/monitor.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.reporting.audience import (
    BOARD_ROLES,
    REGIONAL_KINDS,
    is_board,
    readable_gemeenten,
    require_own_provider,
)
from services.reporting.commands import ReadRegionalView, period_or_default
from services.reporting.domain.figures import Cell
from services.reporting.domain.monitor import pct_of, region_total, suppress_region
from services.reporting.domain.periods import Period, previous_period
from services.reporting.reports import Context
from services.reporting.reports.journeys import JOURNEY_REPORTS
from services.reporting.store.queries import Figures
from services.reporting.unit_of_work import ReportingUnitOfWork
from shared.organisations import display_name
from shared.problems import Forbidden

OVERVIEW = next(r for r in JOURNEY_REPORTS if r.slug == "overview")
# The counts per gemeente the board sees (people: suppressed beyond one gemeente).
COUNTS = ("placesRealised", "atProvider", "registrations", "placementsStarted", "closures")
# The reports whose illustrative marks apply to these counts (demo_marks.py).
SHOWN_REPORTS = ("overview", "places", "budget", "placements")


@dataclass(frozen=True)
class RegionalLine:
    """One gemeente as the board sees it."""

    gemeente: str
    name: str
    cells: dict[str, Cell]  # COUNTS, suppressed
    target: int | None  # the gemeente's own places target (a decision: never suppressed)
    funded: int | None  # places its guidance budget funds (a decision too)
    illustrative: bool = False  # some of its figures are demo data, not from a source


@dataclass(frozen=True)
class RegionalView:
    """All the board's gemeenten, their total, and the region's target."""

    organisation: str
    organisation_name: str
    period: Period
    previous_label: str | None
    lines: tuple[RegionalLine, ...]
    total: dict[str, Cell]  # sums: exact, or rounded to tens where a gemeente's cell is "<5"
    rounded: frozenset[str]  # the columns whose total is rounded to tens
    previous_total: dict[str, Cell]
    previous_rounded: frozenset[str]
    regional_target: int | None
    notes: tuple[str, ...] = ()  # why figures shown are illustrative (empty for real data)

    @property
    def pct_of_regional_target(self) -> float | None:
        """Places realised in the whole region as % of its target."""
        return pct_of(self.total["placesRealised"], self.regional_target)


async def _exact_rows(figures: Figures, context: Context) -> list[dict[str, Any]]:
    return await OVERVIEW.build(figures, context)


def _totals(rows: list[dict[str, Any]]) -> tuple[dict[str, Cell], frozenset[str]]:
    sums = {key: region_total({r["gemeente"]: int(r[key]) for r in rows}) for key in COUNTS}
    return ({key: cell for key, (cell, _) in sums.items()},
            frozenset(key for key, (_, rounded) in sums.items() if rounded))


async def read_regional(uow: ReportingUnitOfWork, query: ReadRegionalView, context: Context
                        ) -> RegionalView:
    """The view of an uitvoerder's region: only that uitvoerder's board."""
    principal = uow.require(*BOARD_ROLES, kinds=REGIONAL_KINDS)
    require_own_provider(principal, query.organisation, "read its regional view")
    if not principal.gemeenten:
        raise Forbidden("the token names no member gemeenten")
    return await _regional_view(uow, query, context)


async def regional_page(uow: ReportingUnitOfWork, period: str | None, context: Context
                        ) -> RegionalView:
    """The dashboard's regional view: the caller's own region, if the caller is its board."""
    if not is_board(uow.principal):
        raise Forbidden("the regional view is for an uitvoerder's governing board (role board)")
    readable_gemeenten(uow.principal)
    query = ReadRegionalView(uow.principal.org, period_or_default(period))
    return await _regional_view(uow, query, context)


async def _regional_view(uow: ReportingUnitOfWork, query: ReadRegionalView, context: Context
                         ) -> RegionalView:
    """All the board's gemeenten (its Audience) in the period and the one before."""
    _, figures = await uow.figures.visible(None, query.period)
    rows = await _exact_rows(figures, context)
    marks = await figures.illustrative(SHOWN_REPORTS)
    marked = {m.gemeente for m in marks}
    columns = {key: suppress_region({r["gemeente"]: int(r[key]) for r in rows})
               for key in COUNTS}
    lines = tuple(RegionalLine(
        gemeente=r["gemeente"], name=display_name(r["gemeente"]),
        cells={key: columns[key][r["gemeente"]] for key in COUNTS},
        target=r["placesTarget"], funded=r["fundedPlaces"],
        illustrative=r["gemeente"] in marked) for r in rows)
    try:
        before: Period | None = previous_period(query.period)
    except ValueError:  # before 2000: no previous period to compare with
        before = None
    previous_rows = ([] if before is None
                     else await _exact_rows(figures.in_period(before), context))
    found = await uow.regional_targets.own(query.period.year)
    total, rounded = _totals(rows)
    previous_total, previous_rounded = (_totals(previous_rows) if previous_rows
                                        else ({}, frozenset()))
    return RegionalView(
        organisation=query.organisation, organisation_name=display_name(query.organisation),
        period=query.period, previous_label=None if before is None else before.label,
        lines=lines, total=total, rounded=rounded, previous_total=previous_total,
        previous_rounded=previous_rounded,
        regional_target=found[0].places if found else None,
        notes=tuple(dict.fromkeys(m.note for m in marks)))
