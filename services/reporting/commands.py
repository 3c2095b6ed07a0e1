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
