"""Diagnose's queries, scoped by tenant: (provider, gemeente) for uitvoerders, else gemeente."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, select

from services.diagnose.store.models import DiagnosisCase, ReassessmentTask
from shared.auth import OrgKind, Principal
from shared.http.pagination import PageParams
from shared.repository import Repository

OPEN, CLOSED = "open", "closed"


@dataclass(frozen=True)
class CaseFilter:
    """Worklist filters."""

    status: str | None = None
    instrument: str | None = None
    overdue_on: date | None = None  # only open cases past their planned end on this day
    candidate_id: uuid.UUID | None = None


def visible_cases(principal: Principal) -> Select[DiagnosisCase]:
    """The cases this caller may see at all."""
    query = select(DiagnosisCase)
    if principal.kind is OrgKind.PROVIDER:
        return query.where(DiagnosisCase.provider == principal.org,
                           DiagnosisCase.gemeente.in_(sorted(principal.gemeenten)))
    if principal.kind is OrgKind.GEMEENTE:
        return query.where(DiagnosisCase.gemeente == principal.org)
    return query.where(DiagnosisCase.id.is_(None))  # other kinds see nothing


class CaseRepository(Repository[DiagnosisCase]):
    """Diagnosis cases and their parts."""

    model = DiagnosisCase

    async def visible(self, principal: Principal, case_id: uuid.UUID) -> DiagnosisCase | None:
        """One case, if the caller may see it."""
        return await self.session.scalar(
            visible_cases(principal).where(DiagnosisCase.id == case_id))

    async def visible_for_update(self, principal: Principal,
                                 case_id: uuid.UUID) -> DiagnosisCase | None:
        """One visible case, locked until the transaction ends: commands on it run in turn."""
        return await self.session.scalar(
            visible_cases(principal).where(DiagnosisCase.id == case_id)
            .with_for_update(of=DiagnosisCase).execution_options(populate_existing=True))

    async def by_referral(self, referral_id: uuid.UUID) -> DiagnosisCase | None:
        """The case opened for a referral."""
        return await self.session.scalar(
            select(DiagnosisCase).where(DiagnosisCase.referral_id == referral_id))

    async def open_for_candidate(self, candidate_id: uuid.UUID) -> Sequence[DiagnosisCase]:
        """Open cases of one candidate (at any provider)."""
        rows = await self.session.scalars(select(DiagnosisCase).where(
            DiagnosisCase.candidate_id == candidate_id, DiagnosisCase.status == OPEN))
        return rows.all()

    async def latest_for_candidate(
        self, candidate_id: uuid.UUID, gemeente: str, provider: str | None
    ) -> DiagnosisCase | None:
        """The most recently opened case of a candidate (at the given provider, if any)."""
        query = select(DiagnosisCase).where(DiagnosisCase.candidate_id == candidate_id,
                                            DiagnosisCase.gemeente == gemeente)
        if provider:
            query = query.where(DiagnosisCase.provider == provider)
        return await self.session.scalar(query.order_by(DiagnosisCase.opened_at.desc()).limit(1))

    async def page_visible(
        self, principal: Principal, filters: CaseFilter, params: PageParams
    ) -> tuple[Sequence[DiagnosisCase], int]:
        """The worklist: planned end first (soonest due on top), then opening order."""
        query = visible_cases(principal)
        if filters.status:
            query = query.where(DiagnosisCase.status == filters.status)
        if filters.instrument:
            query = query.where(DiagnosisCase.instrument == filters.instrument)
        if filters.candidate_id:
            query = query.where(DiagnosisCase.candidate_id == filters.candidate_id)
        if filters.overdue_on:
            query = query.where(DiagnosisCase.status == OPEN,
                                DiagnosisCase.planned_end < filters.overdue_on)
        query = query.order_by(DiagnosisCase.planned_end.is_(None), DiagnosisCase.planned_end,
                               DiagnosisCase.opened_at, DiagnosisCase.id)
        return await self.page(query, params)

    async def open_tasks(self, principal: Principal) -> Sequence[ReassessmentTask]:
        """Re-assessments not yet done, for the cases the caller may see."""
        cases = visible_cases(principal).with_only_columns(DiagnosisCase.id).subquery()
        rows = await self.session.scalars(
            select(ReassessmentTask).where(ReassessmentTask.case_id.in_(select(cases.c.id)),
                                           ReassessmentTask.done_at.is_(None))
            .order_by(ReassessmentTask.due_date, ReassessmentTask.id))
        return rows.all()

    async def tasks_of(self, case_id: uuid.UUID) -> Sequence[ReassessmentTask]:
        """Every re-assessment task of a case."""
        rows = await self.session.scalars(select(ReassessmentTask).where(
            ReassessmentTask.case_id == case_id).order_by(ReassessmentTask.due_date))
        return rows.all()
