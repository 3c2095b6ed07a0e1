"""Reporting's commands and queries: plain typed objects, no HTTP in them (the routes and the
dashboard map onto these; the handlers take them)."""

from __future__ import annotations

from dataclasses import dataclass

from services.reporting.domain.periods import Period, half_year_of, parse_period
from shared.dutch_time import dutch_today
from shared.problems import BadRequest, InvalidParam


def period_or_default(label: str | None) -> Period:
    """The asked period, or the current Dutch half-year; 400 for one outside 2000–2100."""
    if not label:
        return half_year_of(dutch_today())
    try:
        return parse_period(label)
    except ValueError as exc:  # the query pattern refuses these first; this is the backstop
        raise BadRequest("not a reporting period",
                         invalid_params=[InvalidParam("period", str(exc))]) from exc


@dataclass(frozen=True)
class ReadReport:
    """One report table of one period, for the caller's gemeenten (or the one asked for)."""

    slug: str  # the report's path segment (reports/)
    gemeente: str | None
    period: Period


@dataclass(frozen=True)
class ListTargets:
    """The places targets of the caller's gemeenten (one year, or all)."""

    year: int | None


@dataclass(frozen=True)
class ListRegionalTargets:
    """The caller uitvoerder's own regional targets (one year, or all)."""

    year: int | None


@dataclass(frozen=True)
class ReadRegionalView:
    """An uitvoerder's board reads its region (the gemeenten in its token) for a period."""

    organisation: str
    period: Period


@dataclass(frozen=True)
class ReadMonitor:
    """The figures of the dashboard (or, with `monitor`, of the twice-yearly monitor)."""

    gemeente: str | None  # default: the caller's first gemeente
    period: str | None  # a period label; default: the current half-year
    monitor: bool


@dataclass(frozen=True)
class ReadPlanActions:
    """The lokaal-plan actions of a gemeente, with their notes."""

    gemeente: str


@dataclass(frozen=True)
class ReadPlanAction:
    """One lokaal-plan action of a gemeente, with its notes."""

    gemeente: str
    action_id: str


@dataclass(frozen=True)
class SetTarget:
    """A gemeente's council set its places target (SW + PW) for a year."""

    gemeente: str
    year: int
    places: int
    set_by: str  # the token subject of the gemeente's controller or admin


@dataclass(frozen=True)
class SetRegionalTarget:
    """An uitvoerder's governing board set its region's places target (SW + PW) for a year."""

    organisation: str  # the uitvoerder's code (shared/organisations.py)
    year: int
    places: int
    set_by: str  # the token subject of the uitvoerder's board member or admin


@dataclass(frozen=True)
class CreatePlanAction:
    """A gemeente records an action of its lokaal plan."""

    gemeente: str
    action: str
    owner: str  # who carries it out (a role or team, not a resident)
    status: str  # a code of lokaal-plan-action-statuses
    by: str  # the token subject of the gemeente's controller or admin


@dataclass(frozen=True)
class UpdatePlanAction:
    """A gemeente rewrites an action of its lokaal plan (text, owner, status)."""

    gemeente: str
    action_id: str
    action: str
    owner: str
    status: str
    by: str


@dataclass(frozen=True)
class SetPlanActionNote:
    """A gemeente writes (or rewrites) its note on an action for one reporting period."""

    gemeente: str
    action_id: str
    period: str  # a reporting period label: 2026-H1
    note: str
    by: str
