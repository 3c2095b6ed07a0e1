"""Reporting's unit of work: the spine's, with reporting's repositories scoped by the caller."""

from __future__ import annotations

from functools import cached_property

from services.reporting.store.repositories import (
    FigureRepository,
    IllustrativeRepository,
    PlanActionRepository,
    ProjectionRepository,
    RegionalTargetRepository,
    TargetRepository,
)
from shared.unit_of_work import UnitOfWork


class ReportingUnitOfWork(UnitOfWork):
    """One request's or one event's transaction in reporting (it publishes nothing)."""

    @cached_property
    def figures(self) -> FigureRepository:
        """The projections' figures of the caller's Audience."""
        return FigureRepository(self.session, self._principal)

    @cached_property
    def targets(self) -> TargetRepository:
        """Councils' places targets."""
        return TargetRepository(self.storage, self._principal)

    @cached_property
    def regional_targets(self) -> RegionalTargetRepository:
        """Uitvoerders' regional targets."""
        return RegionalTargetRepository(self.storage, self._principal)

    @cached_property
    def plan_actions(self) -> PlanActionRepository:
        """Lokaal-plan actions and their notes."""
        return PlanActionRepository(self.storage, self._principal)

    @cached_property
    def illustrative(self) -> IllustrativeRepository:
        """Marks of illustrative (demo) figures."""
        return IllustrativeRepository(self.storage, self._principal)

    @cached_property
    def projections(self) -> ProjectionRepository:
        """Facts, counters and generations, as the fold and the rebuild write them."""
        return ProjectionRepository(self.storage, self._principal)
