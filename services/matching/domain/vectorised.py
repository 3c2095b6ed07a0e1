"""The same ranking as `scoring.rank_plain`, computed for all candidates at once with numpy.

`ProfileMatrix` holds every profile as columns (limits, flag and interest bitmasks, hours,
home gemeente, radius, programme) plus an inverted index skill → rows. `rank` evaluates each
task's demands as whole-column comparisons and combines the components with exactly the
operations, in exactly the order, of the per-candidate scorer, so both give identical floats.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from services.matching.domain.demands import is_limit
from services.matching.domain.scoring import (
    PROGRAMME_FIT,
    UNKNOWN_TRAVEL_SCORE,
    Context,
    Job,
    Profile,
)
from shared.events.vocabulary import CONSTRAINTS, ConstraintKind, Werksoort

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

LIMIT_CODES = tuple(c for c, s in CONSTRAINTS.items() if s.kind is ConstraintKind.LIMIT)
FLAG_BITS = {c: i for i, c in enumerate(c for c, s in CONSTRAINTS.items()
                                          if s.kind is ConstraintKind.FLAG)}
WERKSOORT_BITS = {w.value: i for i, w in enumerate(Werksoort)}
PROGRAMMES = tuple(PROGRAMME_FIT)


def _bits(items: frozenset[str], positions: dict[str, int]) -> int:
    mask = 0
    for item in items:
        if item in positions:
            mask |= 1 << positions[item]
    return mask


@dataclass
class ProfileMatrix:
    """All profiles, column-wise; row i is `profiles[i]`."""

    profiles: list[Profile]
    id_rank: Ints  # position of each candidate id in sorted order: the tie-breaker
    limits: Floats  # (n, len(LIMIT_CODES)), +inf where the candidate has no limit
    flags: Ints
    interests: Ints
    hours: Floats
    radius: Floats
    home: Ints  # index into `homes`
    homes: list[str]
    programme_fit: Floats
    gemeente: Ints  # index into `gemeenten`
    gemeenten: list[str]
    provider: Ints  # index into `providers`
    providers: list[str]
    skill_rows: dict[str, Ints]

    @classmethod
    def build(cls, profiles: Sequence[Profile]) -> ProfileMatrix:
        """Columns and indexes from a list of profiles."""
        rows = list(profiles)
        n = len(rows)
        order = sorted(range(n), key=lambda i: rows[i].candidate_id)
        id_rank = np.empty(n, dtype=np.int64)
        id_rank[np.array(order, dtype=np.int64)] = np.arange(n, dtype=np.int64)
        limits = np.full((n, len(LIMIT_CODES)), np.inf)
        for i, profile in enumerate(rows):
            for j, code in enumerate(LIMIT_CODES):
                if code in profile.limits:
                    limits[i, j] = profile.limits[code]
        homes, home = _codes([p.home_gemeente for p in rows])
        gemeenten, gemeente = _codes([p.gemeente for p in rows])
        providers, provider = _codes([p.provider for p in rows])
        skill_lists: dict[str, list[int]] = {}
        for i, profile in enumerate(rows):
            for skill in profile.skills:
                skill_lists.setdefault(skill, []).append(i)
        return cls(
            profiles=rows, id_rank=id_rank, limits=limits,
            flags=np.array([_bits(p.flags, FLAG_BITS) for p in rows], dtype=np.int64),
            interests=np.array([_bits(p.interests, WERKSOORT_BITS) for p in rows],
                               dtype=np.int64),
            hours=np.array([p.hours_per_week for p in rows], dtype=np.float64),
            radius=np.array([p.travel_radius_km for p in rows], dtype=np.float64),
            home=home, homes=homes,
            programme_fit=np.array([PROGRAMME_FIT.get(p.programme, 0.0) for p in rows],
                                   dtype=np.float64),
            gemeente=gemeente, gemeenten=gemeenten, provider=provider, providers=providers,
            skill_rows={s: np.array(r, dtype=np.int64) for s, r in skill_lists.items()},
        )

    def __len__(self) -> int:
        return len(self.profiles)

    def tenant_mask(self, *, gemeenten: frozenset[str], provider: str | None) -> Bools:
        """Rows whose gemeente is in `gemeenten` (and, for a provider, whose programme it runs)."""
        allowed = np.array([g in gemeenten for g in self.gemeenten], dtype=np.bool_)
        mask: Bools = allowed[self.gemeente] if len(self) else np.zeros(0, dtype=np.bool_)
        if provider is not None:
            if provider not in self.providers:
                return np.zeros(len(self), dtype=np.bool_)
            mask = mask & (self.provider == self.providers.index(provider))
        return mask


def _codes(values: list[str]) -> tuple[list[str], Ints]:
    distinct = sorted(set(values))
    position = {v: i for i, v in enumerate(distinct)}
    return distinct, np.array([position[v] for v in values], dtype=np.int64)


@dataclass(frozen=True)
class Ranking:
    """Eligible rows best first, with their scores."""

    rows: Ints
    scores: Floats
    total: int  # eligible and permitted rows, before any limit


def task_fits(matrix: ProfileMatrix, job: Job) -> Bools:
    """(n, tasks): True where the candidate's constraints allow every demand of the task."""
    n = len(matrix)
    fits = np.ones((n, len(job.tasks)), dtype=np.bool_)
    for t, task in enumerate(job.tasks):
        for demand in task.demands:
            if is_limit(demand.code):
                assert demand.value is not None
                column = matrix.limits[:, LIMIT_CODES.index(demand.code)]
                fits[:, t] &= ~(column < demand.value)
            else:
                fits[:, t] &= (matrix.flags & (1 << FLAG_BITS[demand.code])) == 0
    return fits


def score_all(matrix: ProfileMatrix, job: Job, context: Context) -> tuple[Bools, Floats]:
    """(eligible, score) for every row; the scorer's arithmetic, column-wise."""
    n = len(matrix)
    fits = task_fits(matrix, job)
    job_hours = np.zeros(n)
    have = np.zeros(n)
    need = np.zeros(n)
    for t, task in enumerate(job.tasks):
        fit = fits[:, t]
        job_hours += np.where(fit, task.hours, 0.0)
        matched = np.zeros(n)
        for skill in task.skills:
            rows = matrix.skill_rows.get(skill)
            if rows is not None:
                matched[rows] += 1.0
        have += np.where(fit, matched, 0.0)
        need += np.where(fit, float(len(task.skills)), 0.0)
    all_fit = fits.all(axis=1)
    eligible = all_fit | (fits.any(axis=1) & (job_hours >= context.min_carved_hours))
    skills = np.where(need > 0, have / np.where(need > 0, need, 1.0), 1.0)
    bit = WERKSOORT_BITS.get(job.werksoort)
    interest = (((matrix.interests >> bit) & 1).astype(np.float64) if bit is not None
                else np.zeros(n))
    safe_hours = np.where(job_hours > 0, job_hours, 1.0)
    hours = np.minimum(matrix.hours, safe_hours) / np.maximum(matrix.hours, safe_hours)
    travel = _travel(matrix, context)
    w = context.weights
    total = (w.skills * skills + w.interest * interest + w.hours * hours
             + w.travel * travel + w.programme * matrix.programme_fit)
    return eligible, np.where(eligible, total, 0.0)


def _travel(matrix: ProfileMatrix, context: Context) -> Floats:
    by_home = np.array([context.distances_km.get(h, np.nan) for h in matrix.homes],
                       dtype=np.float64)
    distance = by_home[matrix.home] if len(matrix) else np.zeros(0)
    radius = matrix.radius
    within = distance <= radius  # False for NaN (unknown)
    inside = 1.0 - 0.5 * np.where(within, distance, 0.0) / np.maximum(radius, 1.0)
    return np.where(np.isnan(distance), UNKNOWN_TRAVEL_SCORE, np.where(within, inside, 0.0))


def rank(matrix: ProfileMatrix, job: Job, context: Context, mask: Bools | None = None,
         limit: int | None = None) -> Ranking:
    """Eligible (and, with `mask`, permitted) rows: score descending, then candidate id."""
    eligible, scores = score_all(matrix, job, context)
    if mask is not None:
        eligible = eligible & mask
    rows = np.flatnonzero(eligible)
    total = len(rows)
    if limit is not None and limit < len(rows):
        # Only the best `limit` need a full sort: partition on score first, keeping every
        # row tied with the cut-off so the id tie-break stays exact.
        cut = -np.partition(-scores[rows], limit - 1)[limit - 1]
        rows = rows[scores[rows] >= cut]
    order = np.lexsort((matrix.id_rank[rows], -scores[rows]))
    ranked = rows[order]
    if limit is not None:
        ranked = ranked[:limit]
    return Ranking(rows=ranked, scores=scores[ranked], total=total)
