"""The facts reporting keeps, folded from events: per candidate, diagnosis, placement, grant.

Every fold step is commutative (first dates are minima, later amounts win by their own date,
counters add up), so the streams may be replayed in any interleaving — a rebuild reads them one
after another, the live consumers as they come — and give the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

# (gemeente, month "YYYY-MM", measure, key) → [people or events, amount]
CountKey = tuple[str, str, str, str]


@dataclass(slots=True)
class CandidateFact:
    """One candidate's journey: who (coarsely) and when each step first happened."""

    candidate_id: str
    gemeente: str
    birth_year: int | None = None
    target_group: str | None = None
    registered_on: date | None = None
    referred_on: date | None = None
    diagnosis_on: date | None = None
    programme_on: date | None = None
    placement_on: date | None = None
    closed_on: date | None = None
    closed_reason: str | None = None


@dataclass(slots=True)
class DiagnosisFact:
    """One werkdiagnose case (MWD, OAD, quick scan …) and how it ended."""

    diagnosis_id: str
    candidate_id: str
    gemeente: str
    provider: str
    instrument: str | None = None
    started_on: date | None = None
    planned_end: date | None = None
    closed_on: date | None = None
    outcome: str | None = None


@dataclass(slots=True)
class PlacementFact:
    """One placement: its form, where, and when it started and ended."""

    placement_id: str
    candidate_id: str
    gemeente: str
    provider: str
    form: str
    employer_kvk: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    end_reason: str | None = None


@dataclass(slots=True)
class GrantFact:
    """One LKS grant: its current monthly amount (the latest by effective date) and its end."""

    grant_id: str
    candidate_id: str
    gemeente: str
    monthly_amount: Decimal = Decimal(0)
    amount_from: date | None = None
    valid_from: date | None = None
    end_date: date | None = None


@dataclass(slots=True)
class BudgetFact:
    """A gemeente's budget for a year (the latest `set_at` wins)."""

    gemeente: str
    year: int
    funded_places: int
    place_price: Decimal
    guidance_budget: Decimal
    lks_budget: Decimal
    set_at: datetime


@dataclass
class FoldState:
    """Facts in memory plus what changed since the last write.

    Counters hold deltas since the last write: the store adds them to what it has.
    """

    candidates: dict[str, CandidateFact] = field(default_factory=dict)
    diagnoses: dict[str, DiagnosisFact] = field(default_factory=dict)
    placements: dict[str, PlacementFact] = field(default_factory=dict)
    grants: dict[str, GrantFact] = field(default_factory=dict)
    budgets: dict[tuple[str, int], BudgetFact] = field(default_factory=dict)
    counts: dict[CountKey, list[int | Decimal]] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    dirty_candidates: set[str] = field(default_factory=set)
    dirty_diagnoses: set[str] = field(default_factory=set)
    dirty_placements: set[str] = field(default_factory=set)
    dirty_grants: set[str] = field(default_factory=set)
    dirty_budgets: set[tuple[str, int]] = field(default_factory=set)

    def count(self, gemeente: str, month: str, measure: str, key: str,
              amount: Decimal | None = None, people: int = 1) -> None:
        """Add one (or `people`) to a counter, and an amount when there is one."""
        cell = self.counts.get((gemeente, month, measure, key))
        if cell is None:
            self.counts[(gemeente, month, measure, key)] = [people, amount or Decimal(0)]
            return
        cell[0] += people
        if amount is not None:
            cell[1] += amount

    def clear_changes(self) -> None:
        """After a write: nothing is dirty, counters start again from zero."""
        self.counts.clear()
        self.skipped.clear()
        for dirty in (self.dirty_candidates, self.dirty_diagnoses, self.dirty_placements,
                      self.dirty_grants, self.dirty_budgets):
            dirty.clear()

    @property
    def changes(self) -> int:
        """Rows a write would touch."""
        return (len(self.dirty_candidates) + len(self.dirty_diagnoses)
                + len(self.dirty_placements) + len(self.dirty_grants)
                + len(self.dirty_budgets) + len(self.counts) + len(self.skipped))


def earliest(current: date | None, new: date | None) -> date | None:
    """The earlier of two dates, ignoring a missing one."""
    if current is None:
        return new
    if new is None:
        return current
    return new if new < current else current
