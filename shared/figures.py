"""One definition of each figure that more than one service shows (finance and reporting).

Source: the WSD Boxtel lokaal plan (../shared/DOMAIN.md, "Figures from the seeds"). End of March
2021 Boxtel had 140 people in proefplaatsing, LKS or beschut werk: 120 at WSD and 20 placed
directly with employers. The guidance budget paid for 108 places at WSD, so 12 were above budget
and paid from WSD's reserve. Hence:

- a **Participatiewet place** is a running placement in one of the forms trial (proefplaatsing),
  lks or sheltered (beschut werk);
- it is **at the uitvoerder** when the employer is the uitvoerder itself (one of its KvK numbers),
  and **directly with an employer** otherwise;
- the **guidance budget** (begeleidingsbudget) counts the Participatiewet places at the uitvoerder
  on the reference day; direct placements and Wsw jobs are not in it;
- **places realised** against the uitvoerder's target (2,100 for WSD) are the Wsw places plus the
  Participatiewet places at the uitvoerder (≈470 at WSD: SW + PW).

Regular jobs, secondments and the other forms are outcomes, not places. Pure rules, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

PW_PLACE_FORMS: frozenset[str] = frozenset({"trial", "lks", "sheltered"})
SW_PLACE_FORMS: frozenset[str] = frozenset({"wsw"})


class PlaceKind(StrEnum):
    """How one running placement counts in the councils' figures."""

    SW = "sw"  # a Wsw place at the uitvoerder
    PW_AT_PROVIDER = "pw-at-provider"  # Participatiewet place with the uitvoerder as employer
    PW_DIRECT = "pw-direct"  # Participatiewet place directly with another employer
    NOT_A_PLACE = "not-a-place"  # regular work, secondment, …: an outcome, not a place


def place_kind(form: str, *, employer_kvk: str, provider: str,
               provider_kvks: Mapping[str, Iterable[str]]) -> PlaceKind:
    """How a placement of `form` with this employer, guided by `provider`, counts."""
    if form in SW_PLACE_FORMS:
        return PlaceKind.SW
    if form not in PW_PLACE_FORMS:
        return PlaceKind.NOT_A_PLACE
    if employer_kvk in set(provider_kvks.get(provider, ())):
        return PlaceKind.PW_AT_PROVIDER
    return PlaceKind.PW_DIRECT


def counts_against_guidance_budget(kind: PlaceKind) -> bool:
    """Does this place use one of the gemeente's funded guidance places?"""
    return kind is PlaceKind.PW_AT_PROVIDER


def counts_as_place_realised(kind: PlaceKind) -> bool:
    """Does this place count towards the uitvoerder's places target (SW + PW at the uitvoerder)?"""
    return kind in (PlaceKind.SW, PlaceKind.PW_AT_PROVIDER)


def running_on(day: date, *, start: date, end: date | None) -> bool:
    """Is a placement that starts on `start` and ends on `end` (inclusive) running on `day`?"""
    return start <= day and (end is None or day <= end)


def budget_reference_day(year: int, today: date) -> date:
    """The day a year's guidance budget is judged on: 31 December, or today while it runs."""
    return min(date(year, 12, 31), max(today, date(year, 1, 1)))


@dataclass(frozen=True)
class GuidanceFigures:
    """Funded places against the places at the uitvoerder, and what is above budget."""

    funded: int
    at_provider: int
    direct: int

    @property
    def above_budget(self) -> int:
        """Places at the uitvoerder beyond those funded (paid from the uitvoerder's reserve)."""
        return max(0, self.at_provider - self.funded)


def guidance_figures(funded: int, kinds: Iterable[PlaceKind]) -> GuidanceFigures:
    """The budget figures from the kinds of the gemeente's places running on the reference day."""
    counted = list(kinds)
    return GuidanceFigures(
        funded=funded,
        at_provider=sum(1 for k in counted if k is PlaceKind.PW_AT_PROVIDER),
        direct=sum(1 for k in counted if k is PlaceKind.PW_DIRECT),
    )
