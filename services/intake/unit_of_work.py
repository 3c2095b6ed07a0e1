"""Intake's unit of work: the spine's, with intake's repositories scoped by the caller."""

from __future__ import annotations

from functools import cached_property

from services.intake.store.repository import (
    AccessLogRepository,
    CandidateRepository,
    IndicationRepository,
)
from shared.unit_of_work import UnitOfWork


class IntakeUnitOfWork(UnitOfWork):
    """One transaction of intake: candidates, the access log and beschut-werk indications."""

    @cached_property
    def candidates(self) -> CandidateRepository:
        """Candidates the caller may see (their own gemeente's, or referred to them)."""
        return CandidateRepository(self.storage, self._principal)

    @cached_property
    def access_log(self) -> AccessLogRepository:
        """The gemeente's log of reads of personal data."""
        return AccessLogRepository(self.storage, self._principal)

    @cached_property
    def indications(self) -> IndicationRepository:
        """Beschut-werk indications."""
        return IndicationRepository(self.storage, self._principal)
