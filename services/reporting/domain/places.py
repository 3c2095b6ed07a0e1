"""Places and the guidance budget as the councils read them: shared/figures.py applied to
reporting's counts, so reporting and finance show the same figures for the same events.

The store groups the placements running on a day by (gemeente, form, uitvoerder, employer KvK);
every group is classified once with `shared.figures.place_kind`. Pure rules, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import repeat

from services.reporting.domain.periods import Period
from shared.figures import (
    PlaceKind,
    budget_reference_day,
    counts_against_guidance_budget,
    counts_as_place_realised,
    place_kind,
)

# (gemeente, form, uitvoerder, employer KvK, placements): one group of running placements.
PlacementGroup = tuple[str, str, str, str | None, int]


@dataclass
class PlaceTally:
    """One gemeente's running placements on a day, by how they count."""

    by_kind: dict[PlaceKind, int] = field(default_factory=dict)

    def add(self, kind: PlaceKind, placements: int) -> None:
        """Count `placements` of one kind."""
        self.by_kind[kind] = self.by_kind.get(kind, 0) + placements

    @property
    def sw(self) -> int:
        """Wsw places."""
        return self.by_kind.get(PlaceKind.SW, 0)

    @property
    def pw_at_provider(self) -> int:
        """Participatiewet places with the uitvoerder itself as employer."""
        return self.by_kind.get(PlaceKind.PW_AT_PROVIDER, 0)

    @property
    def pw_direct(self) -> int:
        """Participatiewet places directly with another employer."""
        return self.by_kind.get(PlaceKind.PW_DIRECT, 0)

    @property
    def realised(self) -> int:
        """Places realised against the target: SW + PW at the uitvoerder."""
        return sum(n for kind, n in self.by_kind.items() if counts_as_place_realised(kind))

    @property
    def on_guidance_budget(self) -> int:
        """Places that use one of the gemeente's funded guidance places."""
        return sum(n for kind, n in self.by_kind.items()
                   if counts_against_guidance_budget(kind))

    def kinds(self) -> Iterator[PlaceKind]:
        """One kind per placement (what `shared.figures.guidance_figures` takes)."""
        for kind, n in self.by_kind.items():
            yield from repeat(kind, n)


def tally_places(groups: Iterable[PlacementGroup],
                 provider_kvks: Mapping[str, Iterable[str]]) -> dict[str, PlaceTally]:
    """Per gemeente, its running placements classified by `shared.figures.place_kind`."""
    tallies: dict[str, PlaceTally] = {}
    for gemeente, form, provider, employer_kvk, placements in groups:
        kind = place_kind(form, employer_kvk=employer_kvk or "", provider=provider,
                          provider_kvks=provider_kvks)
        tallies.setdefault(gemeente, PlaceTally()).add(kind, placements)
    return tallies


def budget_day(period: Period, today: date) -> date:
    """The day a period's budget figures are judged on: the period's last day, but never past
    the year's reference day (`budget_reference_day`: 31 December, or today while the year
    runs). For a whole year this is exactly the day finance's budget endpoint uses."""
    return min(period.last, budget_reference_day(period.year, today))
