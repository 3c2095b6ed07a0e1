"""Aggregations over one generation's facts and counters for one audience: GROUP BYs, no
per-row Python."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting.domain.periods import Period
from services.reporting.domain.places import PlacementGroup
from services.reporting.store.models import (
    BudgetRow,
    CandidateRow,
    CountRow,
    DiagnosisRow,
    GrantRow,
    IllustrativeRow,
    PlacementRow,
    TargetRow,
)
from shared.figures import PW_PLACE_FORMS, SW_PLACE_FORMS


@dataclass(frozen=True)
class Scope:
    """What one report request reads: a generation, gemeenten and a period."""

    generation: int
    gemeenten: Sequence[str]
    period: Period


def _active_on(day: date) -> Any:
    # `shared.figures.running_on` in SQL: started by the day, ended on it or later (inclusive).
    return and_(PlacementRow.start_date <= day,
                or_(PlacementRow.end_date.is_(None), PlacementRow.end_date >= day))


class Figures:
    """The figures of one audience in one period: every query reads only `scope.gemeenten` of
    `scope.generation`. Built by `FigureRepository.of`, which takes the gemeenten from the
    caller's Audience (audience.py); report builders (reports/) read nothing else."""

    def __init__(self, session: AsyncSession, scope: Scope) -> None:
        self.session = session
        self.scope = scope

    def in_period(self, period: Period) -> Figures:
        """The same gemeenten and generation in another period (a previous one, to compare)."""
        return Figures(self.session, replace(self.scope, period=period))

    async def counts(self, measures: Sequence[str]) -> list[tuple[str, str, str, int, Decimal]]:
        """(gemeente, measure, key, count, amount) summed over the period's months."""
        scope = self.scope
        rows = await self.session.execute(
            select(CountRow.gemeente, CountRow.measure, CountRow.key, func.sum(CountRow.count),
                   func.sum(CountRow.amount))
            .where(CountRow.generation == scope.generation, CountRow.gemeente.in_(scope.gemeenten),
                   CountRow.measure.in_(measures), CountRow.month >= scope.period.first_month,
                   CountRow.month <= scope.period.last_month)
            .group_by(CountRow.gemeente, CountRow.measure, CountRow.key)
            .order_by(CountRow.gemeente, CountRow.measure, CountRow.key))
        return [(g, m, k, int(c), Decimal(a or 0)) for g, m, k, c, a in rows.all()]

    async def placements_by_form(self) -> list[tuple[str, str, int, int, int]]:
        """(gemeente, form, started in period, ended in period, active at its end)."""
        scope = self.scope
        first, last = scope.period.first, scope.period.last
        started = func.sum(case((PlacementRow.start_date.between(first, last), 1), else_=0))
        ended = func.sum(case((PlacementRow.end_date.between(first, last), 1), else_=0))
        active = func.sum(case((_active_on(last), 1), else_=0))
        rows = await self.session.execute(
            select(PlacementRow.gemeente, PlacementRow.form, started, ended, active)
            .where(PlacementRow.generation == scope.generation,
                   PlacementRow.gemeente.in_(scope.gemeenten))
            .group_by(PlacementRow.gemeente, PlacementRow.form)
            .order_by(PlacementRow.gemeente, PlacementRow.form))
        return [(g, f, int(s or 0), int(e or 0), int(a or 0)) for g, f, s, e, a in rows.all()]

    async def placements_running_on(self, day: date) -> list[PlacementGroup]:
        """Placements running on a day, grouped by (gemeente, form, uitvoerder, employer KvK):
        few groups, each classified once by `domain.places.tally_places` (shared/figures.py)."""
        scope = self.scope
        rows = await self.session.execute(
            select(PlacementRow.gemeente, PlacementRow.form, PlacementRow.provider,
                   PlacementRow.employer_kvk, func.count())
            .where(PlacementRow.generation == scope.generation,
                   PlacementRow.gemeente.in_(scope.gemeenten),
                   PlacementRow.form.in_(sorted(SW_PLACE_FORMS | PW_PLACE_FORMS)), _active_on(day))
            .group_by(PlacementRow.gemeente, PlacementRow.form, PlacementRow.provider,
                      PlacementRow.employer_kvk))
        return [(g, f, p, k, int(n)) for g, f, p, k, n in rows.all()]

    async def targets(self, years: Sequence[int]) -> dict[tuple[str, int], int]:
        """Places targets per (gemeente, year)."""
        rows = await self.session.execute(
            select(TargetRow.gemeente, TargetRow.year, TargetRow.places)
            .where(TargetRow.gemeente.in_(self.scope.gemeenten), TargetRow.year.in_(years)))
        return {(g, y): int(p) for g, y, p in rows.all()}

    async def budgets(self, year: int) -> dict[str, BudgetRow]:
        """Each gemeente's budget for a year (from finance.budget-set)."""
        scope = self.scope
        rows = await self.session.execute(select(BudgetRow).where(
            BudgetRow.generation == scope.generation, BudgetRow.gemeente.in_(scope.gemeenten),
            BudgetRow.year == year))
        return {row.gemeente: row for row in rows.scalars().all()}

    async def grants_on(self, day: date) -> dict[str, tuple[int, Decimal]]:
        """Per gemeente: grants running on a day and their monthly amounts together."""
        scope = self.scope
        running = and_(GrantRow.valid_from <= day,
                       or_(GrantRow.end_date.is_(None), GrantRow.end_date > day))
        rows = await self.session.execute(
            select(GrantRow.gemeente, func.count(), func.sum(GrantRow.monthly_amount))
            .where(GrantRow.generation == scope.generation, GrantRow.gemeente.in_(scope.gemeenten),
                   running)
            .group_by(GrantRow.gemeente))
        return {g: (int(n), Decimal(a or 0)) for g, n, a in rows.all()}

    async def people_on(self, day: date) -> list[tuple[str, int | None, str | None, int]]:
        """(gemeente, birth year, target group, people) registered by `day` and not closed by it:
        aged 16–27 that year, or registered without a birth year (age unknown)."""
        scope = self.scope
        open_on = and_(CandidateRow.registered_on <= day,
                       or_(CandidateRow.closed_on.is_(None), CandidateRow.closed_on > day))
        rows = await self.session.execute(
            select(CandidateRow.gemeente, CandidateRow.birth_year, CandidateRow.target_group,
                   func.count())
            .where(CandidateRow.generation == scope.generation,
                   CandidateRow.gemeente.in_(scope.gemeenten), open_on,
                   or_(CandidateRow.birth_year.between(day.year - 27, day.year - 16),
                       CandidateRow.birth_year.is_(None)))
            .group_by(CandidateRow.gemeente, CandidateRow.birth_year, CandidateRow.target_group))
        return [(g, None if y is None else int(y), t, int(n)) for g, y, t, n in rows.all()]

    async def closed_diagnoses(self, instruments: Sequence[str]) -> list[DiagnosisRow]:
        """Cases with one of the instruments closed in the period."""
        scope = self.scope
        rows = await self.session.execute(select(DiagnosisRow).where(
            DiagnosisRow.generation == scope.generation, DiagnosisRow.gemeente.in_(scope.gemeenten),
            DiagnosisRow.instrument.in_(instruments),
            DiagnosisRow.closed_on.between(scope.period.first, scope.period.last)))
        return list(rows.scalars().all())

    async def placements_of(self, candidate_ids: Sequence[str]) -> list[PlacementRow]:
        """Every placement of some candidates (to follow work after a trajectory)."""
        if not candidate_ids:
            return []
        rows = await self.session.execute(select(PlacementRow).where(
            PlacementRow.generation == self.scope.generation,
            PlacementRow.candidate_id.in_(candidate_ids)))
        return list(rows.scalars().all())

    async def started_diagnoses(self, instruments: Sequence[str]) -> list[tuple[str, str, int]]:
        """(gemeente, instrument, cases started in the period)."""
        scope = self.scope
        rows = await self.session.execute(
            select(DiagnosisRow.gemeente, DiagnosisRow.instrument, func.count())
            .where(DiagnosisRow.generation == scope.generation,
                   DiagnosisRow.gemeente.in_(scope.gemeenten),
                   DiagnosisRow.instrument.in_(instruments),
                   DiagnosisRow.started_on.between(scope.period.first, scope.period.last))
            .group_by(DiagnosisRow.gemeente, DiagnosisRow.instrument))
        return [(g, str(i), int(n)) for g, i, n in rows.all()]

    async def journeys(self) -> list[tuple[Any, ...]]:
        """(gemeente, registered, diagnosis, programme, placement) of candidates with a step in the
        period (the steps themselves are filtered by the caller)."""
        scope = self.scope
        first, last = scope.period.first, scope.period.last
        in_period = or_(CandidateRow.diagnosis_on.between(first, last),
                        CandidateRow.programme_on.between(first, last),
                        CandidateRow.placement_on.between(first, last))
        rows = await self.session.execute(
            select(CandidateRow.gemeente, CandidateRow.registered_on, CandidateRow.diagnosis_on,
                   CandidateRow.programme_on, CandidateRow.placement_on)
            .where(CandidateRow.generation == scope.generation,
                   CandidateRow.gemeente.in_(scope.gemeenten), in_period))
        return [tuple(row) for row in rows.all()]

    async def illustrative(self, reports: Sequence[str]) -> list[IllustrativeRow]:
        """The marks of illustrative (demo) figures of the gemeenten in some reports."""
        scope = self.scope
        rows = await self.session.execute(select(IllustrativeRow).where(
            IllustrativeRow.gemeente.in_(scope.gemeenten), IllustrativeRow.report.in_(reports))
            .order_by(IllustrativeRow.gemeente, IllustrativeRow.report, IllustrativeRow.figure))
        return list(rows.scalars().all())
