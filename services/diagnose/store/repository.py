"""Diagnose's queries, scoped by the caller: (provider, gemeente) for uitvoerders, else gemeente.

Every read of a request goes through `visible_cases(self.principal)`. The reads of an event
(which has no caller) take the event's own ids and say so in their name (`..._unscoped`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, select

from services.diagnose.domain.rules import CLOSED, OPEN
from services.diagnose.store.models import DiagnosisCase, ReassessmentTask
from shared.auth import OrgKind, Principal
from shared.http.pagination import PageParams
from shared.repository import Repository

__all__ = ["CLOSED", "OPEN", "CaseFilter", "CaseRepository", "ReassessmentTaskRepository",
           "visible_cases"]


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
    """Diagnosis cases and their parts (loaded with the case)."""

    model = DiagnosisCase

    async def get(self, case_id: uuid.UUID) -> DiagnosisCase | None:
        """One case, if the caller may see it."""
        return await self.session.scalar(
            visible_cases(self.principal).where(DiagnosisCase.id == case_id))

    async def get_for_update(self, case_id: uuid.UUID) -> DiagnosisCase | None:
        """One visible case, locked until the transaction ends: commands on it run in turn."""
        return await self.session.scalar(
            visible_cases(self.principal).where(DiagnosisCase.id == case_id)
            .with_for_update(of=DiagnosisCase).execution_options(populate_existing=True))

    async def page_visible(
        self, filters: CaseFilter, params: PageParams
    ) -> tuple[Sequence[DiagnosisCase], int]:
        """The worklist: planned end first (soonest due on top), then opening order."""
        query = visible_cases(self.principal)
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

    async def by_referral_unscoped(self, referral_id: uuid.UUID) -> DiagnosisCase | None:
        """The case opened for a referral (an event's read: no caller)."""
        return await self.session.scalar(
            select(DiagnosisCase).where(DiagnosisCase.referral_id == referral_id))

    async def open_for_candidate_unscoped(
        self, candidate_id: uuid.UUID
    ) -> Sequence[DiagnosisCase]:
        """Open cases of one candidate at any provider (an event's read: no caller)."""
        rows = await self.session.scalars(select(DiagnosisCase).where(
            DiagnosisCase.candidate_id == candidate_id, DiagnosisCase.status == OPEN))
        return rows.all()

    async def latest_for_candidate_unscoped(
        self, candidate_id: uuid.UUID, gemeente: str, provider: str | None
    ) -> DiagnosisCase | None:
        """The most recently opened case of a candidate (at the given provider, if any);
        an event's read: no caller."""
        query = select(DiagnosisCase).where(DiagnosisCase.candidate_id == candidate_id,
                                            DiagnosisCase.gemeente == gemeente)
        if provider:
            query = query.where(DiagnosisCase.provider == provider)
        return await self.session.scalar(query.order_by(DiagnosisCase.opened_at.desc()).limit(1))


class ReassessmentTaskRepository(Repository[ReassessmentTask]):
    """Wage values to measure again, on the worklist of the case's provider."""

    model = ReassessmentTask

    def _of_visible_cases(self) -> Select[tuple[uuid.UUID]]:
        cases = visible_cases(self.principal).with_only_columns(DiagnosisCase.id).subquery()
        return select(cases.c.id)

    async def open_visible(self) -> Sequence[ReassessmentTask]:
        """Re-assessments not yet done, for the cases the caller may see."""
        rows = await self.session.scalars(
            select(ReassessmentTask).where(ReassessmentTask.case_id.in_(self._of_visible_cases()),
                                           ReassessmentTask.done_at.is_(None))
            .order_by(ReassessmentTask.due_date, ReassessmentTask.id))
        return rows.all()

    async def of_case(self, case_id: uuid.UUID) -> Sequence[ReassessmentTask]:
        """Every re-assessment task of a case the caller may see (none of another's)."""
        rows = await self.session.scalars(
            select(ReassessmentTask).where(ReassessmentTask.case_id == case_id,
                                           ReassessmentTask.case_id.in_(self._of_visible_cases()))
            .order_by(ReassessmentTask.due_date))
        return rows.all()
