"""The figures of the dashboard and of the twice-yearly monitor (HTML and PDF alike): the
reports of one gemeente and period, the period before, the lokaal-plan actions, and for an
uitvoerder's board or admin its region's target. The dashboard renders them (dashboard/)."""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass, field
from typing import Any

from services.reporting.audience import (
    audience_for,
    is_board,
    is_regional_reader,
    readable_gemeenten,
)
from services.reporting.commands import ReadMonitor, ReadPlanActions, ReadReport, period_or_default
from services.reporting.domain.periods import Period, previous_period
from services.reporting.handlers.plan_actions import list_actions
from services.reporting.handlers.reports import ProjectionState, projection_state, read_report
from services.reporting.reference import STATUSES
from services.reporting.reports import Context
from services.reporting.store.models import RegionalTargetRow
from services.reporting.unit_of_work import ReportingUnitOfWork

Body = dict[str, Any]


@dataclass(frozen=True)
class PlanActionView:
    """A lokaal-plan action as the monitor shows it: with the note of the period shown."""

    action: str
    owner: str
    status_label: str
    note: str | None


@dataclass(frozen=True)
class MonitorData:
    """Everything one page shows of one gemeente and period."""

    bodies: dict[str, Body]  # the reports of the period, by slug
    previous: dict[str, Body]  # overview and lks of the previous period (empty: none)
    label: str
    previous_label: str
    regional_note: str = ""
    actions: Sequence[PlanActionView] = field(default_factory=tuple)
    plan_notes: Sequence[str] = field(default_factory=tuple)  # why the actions are illustrative

    @property
    def marked(self) -> Set[str]:
        """Reports with an illustrative figure."""
        return {slug for slug, body in self.bodies.items() if body["illustrative"]}

    @property
    def notes(self) -> list[str]:
        """The footnotes of the illustrative figures, each once."""
        return list(dict.fromkeys([*(m["note"] for body in self.bodies.values()
                                     for m in body["illustrative"]), *self.plan_notes]))

    def first(self, slug: str, *, previous: bool = False) -> Body:
        """The first row of a one-row-per-gemeente report ({} when there is none)."""
        source = self.previous if previous else self.bodies
        rows = source.get(slug, {}).get("rows", [])
        return dict(rows[0]) if rows else {}



# The reports every page shows, and those the monitor adds.
DASHBOARD_REPORTS = ("overview", "places", "budget", "youth", "placements", "lks")
MONITOR_REPORTS = ("trajectories", "lead-times", "outflow", "registrations", "referrals")
# The previous period's reports the tiles and the monitor's table compare with.
COMPARED_REPORTS = ("overview", "lks")


@dataclass(frozen=True)
class MonitorFigures:
    """What the dashboard or the monitor page of one gemeente and period shows."""

    gemeente: str  # the gemeente shown
    members: tuple[str, ...]  # every gemeente the caller may choose from
    data: MonitorData
    regional_target: RegionalTargetRow | None  # the caller's region's, for the year, if any
    board: bool  # the caller is an uitvoerder's board: the regional view is theirs too
    projection: ProjectionState  # for the page's footer

    @property
    def suppressed(self) -> bool:
        """Figures beyond the gemeente itself: small cells shown as "<5"."""
        return bool(self.data.bodies["overview"]["suppressed"])


async def _reports(uow: ReportingUnitOfWork, gemeente: str, period: Period,
                   slugs: Sequence[str], context: Context) -> dict[str, Body]:
    return {slug: await read_report(uow, ReadReport(slug, gemeente, period), context)
            for slug in slugs}


async def monitor_figures(uow: ReportingUnitOfWork, query: ReadMonitor, context: Context
                          ) -> MonitorFigures:
    """The figures of one of the caller's gemeenten (its first by default) and period."""
    members = readable_gemeenten(uow.principal)
    chosen = query.gemeente or members[0]
    audience_for(uow.principal, chosen)
    period = period_or_default(query.period)
    slugs = DASHBOARD_REPORTS + (MONITOR_REPORTS if query.monitor else ())
    bodies = await _reports(uow, chosen, period, slugs, context)
    try:
        before: Period | None = previous_period(period)
    except ValueError:  # 2000's first period has none before it
        before = None
    previous = ({} if before is None
                else await _reports(uow, chosen, before, COMPARED_REPORTS, context))
    actions: tuple[PlanActionView, ...] = ()
    plan_notes: tuple[str, ...] = ()
    if query.monitor:
        found = await list_actions(uow, ReadPlanActions(chosen))
        _, figures = await uow.figures.visible(chosen, period)
        plan_notes = tuple(m.note for m in await figures.illustrative(["lokaal-plan"]))
        actions = tuple(PlanActionView(a.action, a.owner, STATUSES.label_of(a.status),
                                       next((n.note for n in notes if n.period == period.label),
                                            None))
                        for a, notes in found)
    data = MonitorData(bodies=bodies, previous=previous, label=period.label,
                       previous_label=before.label if before else "vorige periode",
                       actions=actions, plan_notes=plan_notes)
    return MonitorFigures(chosen, members, data, await _regional_target(uow, period.year),
                          is_board(uow.principal), await projection_state(uow))


async def _regional_target(uow: ReportingUnitOfWork, year: int) -> RegionalTargetRow | None:
    """For an uitvoerder's board or admin: its region's target for the year, if one is set."""
    if not is_regional_reader(uow.principal):
        return None
    found = await uow.regional_targets.own(year)
    return found[0] if found else None
