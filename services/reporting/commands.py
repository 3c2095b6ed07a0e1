"""Reporting's commands: plain typed objects, no HTTP in them (the routes map onto these)."""

from __future__ import annotations

from dataclasses import dataclass


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
