"""Diagnose's unit of work: the spine's, with case and task repositories scoped by the caller."""

from __future__ import annotations

from functools import cached_property

from services.diagnose.store.repository import CaseRepository, ReassessmentTaskRepository
from shared.unit_of_work import UnitOfWork


class DiagnoseUnitOfWork(UnitOfWork):
    """One request's or one event's transaction in diagnose."""

    @cached_property
    def cases(self) -> CaseRepository:
        """Diagnosis cases, with their assessments, profile, measurements, plan and advice."""
        return CaseRepository(self.storage, self._principal)

    @cached_property
    def tasks(self) -> ReassessmentTaskRepository:
        """Wage values to measure again."""
        return ReassessmentTaskRepository(self.storage, self._principal)
