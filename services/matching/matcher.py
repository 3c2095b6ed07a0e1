"""The in-memory profile matrix, and the domain's views of stored rows for ranking (the use
cases that rank are in handlers/matches.py).

Each process holds every matchable profile as a `ProfileMatrix`. A counter row in the
database (bumped by every profile change, in the change's transaction) tells a process when
its matrix is stale; it then rebuilds it from the database. The vectorised ranking orders the
candidates; the page shown is explained by the per-candidate scorer (same arithmetic).
"""

from __future__ import annotations

import asyncio
import functools
from decimal import Decimal

from services.matching.domain.demands import Demand
from services.matching.domain.geo import distances_from
from services.matching.domain.scoring import (
    Context,
    Job,
    Profile,
    Task,
    normalise_skill,
)
from services.matching.domain.vectorised import ProfileMatrix
from services.matching.reference import centroids
from services.matching.store.models import CandidateProfile, Vacancy
from services.matching.store.repository import ProfileRepository
from shared.auth import OrgKind, Principal
from shared.events.vocabulary import CONSTRAINTS, ConstraintKind


def profile_of(row: CandidateProfile) -> Profile:
    """The domain's view of a stored, matchable profile."""
    limits: dict[str, float] = {}
    flags: set[str] = set()
    for constraint in row.constraints:
        spec = CONSTRAINTS.get(str(constraint.get("code")))
        if spec is None:
            continue  # a code this version does not know yet: it cannot conflict
        if spec.kind is ConstraintKind.LIMIT and constraint.get("value") is not None:
            limits[spec.code] = float(Decimal(str(constraint["value"])))
        elif spec.kind is ConstraintKind.FLAG:
            flags.add(spec.code)
    assert row.provider and row.programme and row.hours_per_week is not None
    return Profile(
        candidate_id=str(row.candidate_id), gemeente=row.gemeente, provider=row.provider,
        programme=row.programme, limits=limits, flags=frozenset(flags),
        interests=frozenset(row.interests),
        skills=frozenset(normalise_skill(s) for s in row.skills),
        hours_per_week=float(row.hours_per_week), home_gemeente=row.home_gemeente or "",
        travel_radius_km=float(row.travel_radius_km or 0), wage_value_pct=row.wage_value_pct)


def is_matchable(row: CandidateProfile) -> bool:
    """In a programme, with a profile, not closed and not excluded."""
    return bool(row.programme and row.provider and row.profile_updated_at is not None
                and not row.closed and row.excluded_at is None)


def job_of(vacancy: Vacancy) -> Job:
    """The domain's view of a stored vacancy (tasks as stored, camelCase JSON)."""
    tasks = tuple(
        Task(name=t["name"], hours=float(Decimal(str(t["hoursPerWeek"]))),
             demands=tuple(Demand(d["code"], None if d.get("value") is None
                                  else float(Decimal(str(d["value"]))))
                           for d in t.get("demands", [])),
             skills=tuple(sorted({normalise_skill(s) for s in t.get("skills", [])})))
        for t in vacancy.tasks)
    return Job(vacancy_id=str(vacancy.id), gemeente=vacancy.gemeente,
               werksoort=vacancy.werksoort, tasks=tasks)


@functools.cache
def _distances(gemeente: str) -> dict[str, float]:
    return distances_from(gemeente, centroids())


def context_for(gemeente: str, min_carved_hours: float) -> Context:
    """Scoring context of a job in a gemeente."""
    return Context(distances_km=_distances(gemeente), min_carved_hours=min_carved_hours)


class MatchIndex:
    """The process's profile matrix, rebuilt when the database's revision moved."""

    def __init__(self) -> None:
        self._revision = -1
        self._matrix = ProfileMatrix.build([])
        self._lock = asyncio.Lock()

    async def matrix(self, repo: ProfileRepository) -> ProfileMatrix:
        """The current matrix (rebuilt first if profiles changed since)."""
        revision = await repo.revision()
        if revision != self._revision:
            async with self._lock:
                if revision != self._revision:
                    rows = await repo.matchable_unscoped()
                    self._matrix = ProfileMatrix.build([profile_of(r) for r in rows])
                    self._revision = revision
        return self._matrix



def permitted_candidates(principal: Principal) -> tuple[frozenset[str], str | None]:
    """(gemeenten, provider) whose candidates the caller may match."""
    if principal.kind is OrgKind.PROVIDER:
        return principal.gemeenten, principal.org
    if principal.kind is OrgKind.GEMEENTE:
        return frozenset({principal.org}), None
    return frozenset(), None
