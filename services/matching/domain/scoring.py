"""Explainable matching of one candidate to one vacancy: hard conflicts, carving, a score.

This per-candidate scorer is the reference: the vectorised ranking (`vectorised.py`) computes
the same floats in the same order of operations, and a test and the bench check that both
rank identically. Every score component is 0..1; the weights live in `WEIGHTS` only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from services.matching.domain.demands import Conflict, Demand, task_conflicts

# Programme fit for a regular (or carved) vacancy: the werkprogramma is for people ready to
# work with LKS or beschut werk, ontwikkel for people still growing towards it, and
# uitstroom for those whose route is guidance to the open market (jobhunting) rather than
# placement through the accountmanager.
PROGRAMME_FIT: Mapping[str, float] = {"werk": 1.0, "ontwikkel": 0.6, "uitstroom": 0.3}
UNKNOWN_TRAVEL_SCORE = 0.5  # distance unknown: neither rewarded nor punished


@dataclass(frozen=True)
class Weights:
    """How much each component counts; they add up to 1."""

    skills: float = 0.30
    interest: float = 0.20
    hours: float = 0.20
    travel: float = 0.15
    programme: float = 0.15


WEIGHTS = Weights()


def normalise_skill(skill: str) -> str:
    """Skills compare case- and spacing-insensitively ("Heftruck  rijden" = "heftruck rijden")."""
    return re.sub(r"\s+", " ", skill).strip().casefold()


@dataclass(frozen=True)
class Profile:
    """What matching knows of a candidate (projected from diagnose's and intake's events)."""

    candidate_id: str
    gemeente: str
    provider: str
    programme: str
    limits: Mapping[str, float]
    flags: frozenset[str]
    interests: frozenset[str]
    skills: frozenset[str]  # normalised
    hours_per_week: float
    home_gemeente: str
    travel_radius_km: float
    wage_value_pct: int | None = None


@dataclass(frozen=True)
class Task:
    """One task of a vacancy: its share of the weekly hours, demands and skills."""

    name: str
    hours: float
    demands: tuple[Demand, ...] = ()
    skills: tuple[str, ...] = ()  # normalised, sorted, unique


@dataclass(frozen=True)
class Job:
    """A vacancy as matching sees it."""

    vacancy_id: str
    gemeente: str
    werksoort: str
    tasks: tuple[Task, ...]


@dataclass(frozen=True)
class Context:
    """What scoring needs besides the two sides: distances, weights, the carving minimum."""

    distances_km: Mapping[str, float]  # from the job's gemeente; absent = unknown
    min_carved_hours: float
    weights: Weights = WEIGHTS


@dataclass(frozen=True)
class Component:
    """One scored aspect: its value (0..1), its weight and what it was based on."""

    name: str
    value: float
    weight: float
    detail: str


@dataclass(frozen=True)
class Carving:
    """The part of the job the candidate can do."""

    tasks: tuple[str, ...]
    hours: float


@dataclass(frozen=True)
class Match:
    """A candidate against a job, with everything that explains the outcome."""

    candidate_id: str
    eligible: bool
    score: float
    conflicts: tuple[Conflict, ...]
    fitting_tasks: tuple[str, ...]
    carving: Carving | None
    components: tuple[Component, ...]


def job_shape(profile: Profile, job: Job,
              min_carved_hours: float) -> tuple[list[Conflict], list[Task], bool]:
    """Conflicts, the tasks the candidate can do, and whether that is worth proposing."""
    conflicts: list[Conflict] = []
    fitting: list[Task] = []
    for task in job.tasks:
        found = task_conflicts(task.name, task.demands, profile.limits, profile.flags)
        conflicts.extend(found)
        if not found:
            fitting.append(task)
    hours = 0.0
    for task in fitting:
        hours += task.hours
    eligible = not conflicts or (bool(fitting) and hours >= min_carved_hours)
    return conflicts, fitting, eligible


def skills_score(profile: Profile, tasks: Sequence[Task]) -> tuple[float, str]:
    """Required skills of the tasks in the job that the candidate has (1 when none required)."""
    have = 0
    need = 0
    for task in tasks:
        have += sum(1 for skill in task.skills if skill in profile.skills)
        need += len(task.skills)
    if need == 0:
        return 1.0, "no skills required"
    return have / need, f"{have} of {need} required skills"


def travel_score(profile: Profile, context: Context) -> tuple[float, str]:
    """1 at the door, falling to 0.5 at the edge of the radius, 0 beyond; unknown: neutral."""
    distance = context.distances_km.get(profile.home_gemeente)
    if distance is None:
        return UNKNOWN_TRAVEL_SCORE, (f"distance unknown (no centroid for "
                                      f"{profile.home_gemeente} or the job's gemeente)")
    radius = profile.travel_radius_km
    if distance <= radius:
        value = 1.0 - 0.5 * distance / max(radius, 1.0)
        return value, f"{distance:.1f} km, within the {radius:g} km radius"
    return 0.0, f"{distance:.1f} km, beyond the {radius:g} km radius"


def hours_fit(available: float, job_hours: float) -> float:
    """The smaller over the larger of the candidate's hours and the job's."""
    return min(available, job_hours) / max(available, job_hours)


def score_one(profile: Profile, job: Job, context: Context) -> Match:
    """The match of one candidate to one job; ineligible candidates score 0."""
    conflicts, fitting, eligible = job_shape(profile, job, context.min_carved_hours)
    names = tuple(task.name for task in fitting)
    if not eligible:
        return Match(profile.candidate_id, False, 0.0, tuple(conflicts), names, None, ())
    job_hours = 0.0
    for task in fitting:
        job_hours += task.hours
    carving = Carving(names, job_hours) if conflicts else None
    weights = context.weights
    skills, skills_detail = skills_score(profile, fitting)
    interest = 1.0 if job.werksoort in profile.interests else 0.0
    hours = hours_fit(profile.hours_per_week, job_hours)
    travel, travel_detail = travel_score(profile, context)
    programme = PROGRAMME_FIT.get(profile.programme, 0.0)
    total = (weights.skills * skills + weights.interest * interest + weights.hours * hours
             + weights.travel * travel + weights.programme * programme)
    components = (
        Component("skills", skills, weights.skills, skills_detail),
        Component("interest", interest, weights.interest,
                  f"{job.werksoort} {'is' if interest else 'is not'} among the interests"),
        Component("hours", hours, weights.hours,
                  f"available {profile.hours_per_week:g} h/week, job {job_hours:g} h/week"),
        Component("travel", travel, weights.travel, travel_detail),
        Component("programme", programme, weights.programme,
                  f"programme {profile.programme}"),
    )
    return Match(profile.candidate_id, True, total, tuple(conflicts), names, carving, components)


def rank_plain(profiles: Sequence[Profile], job: Job, context: Context) -> list[Match]:
    """Eligible matches, best first, ties by candidate id: the reference ranking."""
    matches = [m for m in (score_one(p, job, context) for p in profiles) if m.eligible]
    matches.sort(key=lambda m: (-m.score, m.candidate_id))
    return matches
