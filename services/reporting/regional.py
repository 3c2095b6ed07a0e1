"""The regional view of an uitvoerder's governing board: all its gemeenten side by side, their
sum against the region's target (WSD: 2,100 places for nine gemeenten), small cells "<5".

A read use case in the handlers' shape: the session first, a plain query object keyword-only.
The sums are of the exact counts, shown exactly unless a gemeente's cell in that column is
"<5": then rounded to tens, so the small one cannot be worked back (domain/monitor.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting.domain.figures import Cell
from services.reporting.domain.monitor import pct_of, region_total, suppress_region
from services.reporting.domain.periods import Period, previous_period
from services.reporting.reports import Context
from services.reporting.reports.journeys import JOURNEY_REPORTS
from services.reporting.store import queries
from services.reporting.store.projections import active_generation
from services.reporting.store.queries import Scope
from shared.organisations import display_name

OVERVIEW = next(r for r in JOURNEY_REPORTS if r.slug == "overview")
# The counts per gemeente the board sees (people: suppressed beyond one gemeente).
COUNTS = ("placesRealised", "atProvider", "registrations", "placementsStarted", "closures")
# The reports whose illustrative marks apply to these counts (demo_marks.py).
SHOWN_REPORTS = ("overview", "places", "budget", "placements")


@dataclass(frozen=True)
class RegionalQuery:
    """Which uitvoerder, which of its gemeenten (from the board's token), which period."""

    organisation: str
    gemeenten: tuple[str, ...]
    period: Period


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


async def _exact_rows(session: AsyncSession, gemeenten: tuple[str, ...], period: Period,
                      context: Context) -> list[dict[str, Any]]:
    scope = Scope(await active_generation(session), gemeenten, period)
    return await OVERVIEW.build(session, scope, context)


def _totals(rows: list[dict[str, Any]]) -> tuple[dict[str, Cell], frozenset[str]]:
    sums = {key: region_total({r["gemeente"]: int(r[key]) for r in rows}) for key in COUNTS}
    return ({key: cell for key, (cell, _) in sums.items()},
            frozenset(key for key, (_, rounded) in sums.items() if rounded))


async def regional_view(session: AsyncSession, *, query: RegionalQuery, context: Context
                        ) -> RegionalView:
    """The board's view of its region for a period (its right was checked at the boundary)."""
    rows = await _exact_rows(session, query.gemeenten, query.period, context)
    marks = await queries.illustrative(session, query.gemeenten, SHOWN_REPORTS)
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
                     else await _exact_rows(session, query.gemeenten, before, context))
    found = await queries.regional_targets(session, query.organisation, query.period.year)
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
