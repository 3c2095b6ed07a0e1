"""Ranked, explained matches in both directions, within the caller's tenancy."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from services.matching.domain.scoring import Match, Profile, score_one
from services.matching.domain.vectorised import rank
from services.matching.handlers import require_reader
from services.matching.handlers.vacancies import visible_vacancy
from services.matching.matcher import (
    MatchIndex,
    context_for,
    is_matchable,
    job_of,
    permitted_candidates,
    profile_of,
)
from services.matching.store.models import CandidateProfile, Vacancy
from services.matching.store.repository import OPEN
from services.matching.unit_of_work import MatchingUnitOfWork
from shared.http.pagination import PageParams
from shared.problems import Conflict, NotFound, UnprocessableState


async def visible_candidate(uow: MatchingUnitOfWork,
                            candidate_id: uuid.UUID) -> CandidateProfile:
    """A candidate the caller may see, or 404."""
    row = await uow.profiles.visible(candidate_id)
    if row is None:
        raise NotFound(f"no candidate {candidate_id} for this organisation")
    return row


def matchable(row: CandidateProfile) -> CandidateProfile:
    """The candidate, or 409 when not (or no longer) matchable."""
    if not is_matchable(row):
        raise UnprocessableState("the candidate is not matchable: no programme or profile yet, "
                                 "or closed")
    return row


@dataclass(frozen=True)
class RankedCandidates:
    """One page of explained candidates for a vacancy, and the number of matches in all."""

    vacancy: Vacancy
    items: list[tuple[Profile, Match]]
    total: int


@dataclass(frozen=True)
class RankedVacancies:
    """One page of explained vacancies for a candidate, and the number of matches in all."""

    items: list[tuple[Vacancy, Match]]
    total: int


async def candidates_for(uow: MatchingUnitOfWork, index: MatchIndex, vacancy_id: uuid.UUID,
                         params: PageParams, *, min_carved_hours: float) -> RankedCandidates:
    """The caller's candidates for an open vacancy, best first, one page explained."""
    principal = require_reader(uow)
    vacancy = await visible_vacancy(uow, vacancy_id)
    if vacancy.status != OPEN:
        raise Conflict("the vacancy is closed")
    matrix = await index.matrix(uow.profiles)
    job = job_of(vacancy)
    context = context_for(vacancy.gemeente, min_carved_hours)
    gemeenten, provider = permitted_candidates(principal)
    mask = matrix.tenant_mask(gemeenten=gemeenten, provider=provider)
    ranking = rank(matrix, job, context, mask, limit=params.offset + params.page_size)
    items = []
    for row in ranking.rows[params.offset:]:
        profile = matrix.profiles[int(row)]
        items.append((profile, score_one(profile, job, context)))
    return RankedCandidates(vacancy=vacancy, items=items, total=ranking.total)


async def vacancies_for(uow: MatchingUnitOfWork, candidate_id: uuid.UUID, params: PageParams,
                        *, min_carved_hours: float) -> RankedVacancies:
    """Open vacancies the caller may see for a matchable candidate, best first (ties by
    vacancy id), one page explained."""
    require_reader(uow)
    row = matchable(await visible_candidate(uow, candidate_id))
    vacancies = await uow.vacancies.open_visible()
    items, total = rank_vacancies(profile_of(row), vacancies, params, min_carved_hours)
    return RankedVacancies(items=items, total=total)


def rank_vacancies(profile: Profile, vacancies: Sequence[Vacancy], params: PageParams,
                   min_carved_hours: float) -> tuple[list[tuple[Vacancy, Match]], int]:
    """Open vacancies for a candidate, best first (ties by vacancy id), one page."""
    scored = []
    for vacancy in vacancies:
        match = score_one(profile, job_of(vacancy), context_for(vacancy.gemeente,
                                                                min_carved_hours))
        if match.eligible:
            scored.append((vacancy, match))
    scored.sort(key=lambda pair: (-pair[1].score, str(pair[0].id)))
    return scored[params.offset:params.offset + params.page_size], len(scored)
