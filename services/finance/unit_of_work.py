"""Finance's unit of work: the spine's, with finance's repositories scoped by the caller."""

from __future__ import annotations

from functools import cached_property

from services.finance.settings import FinanceSettings
from services.finance.store.payment_batches import PaymentBatches
from services.finance.store.repositories import (
    BudgetRepository,
    CandidateRepository,
    GrantRepository,
    ParameterRepository,
    PaymentRunRepository,
    PlacementRepository,
    TariffRepository,
)
from shared.runtime import Runtime
from shared.unit_of_work import UnitOfWork


class FinanceUnitOfWork(UnitOfWork):
    """One transaction of finance: a request's, an event's, a payment batch's or a scan's."""

    @cached_property
    def parameters(self) -> ParameterRepository:
        """National legal parameters."""
        return ParameterRepository(self.storage, self._principal)

    @cached_property
    def grants(self) -> GrantRepository:
        """LKS grants."""
        return GrantRepository(self.storage, self._principal)

    @cached_property
    def placements(self) -> PlacementRepository:
        """Placements as matching announced them."""
        return PlacementRepository(self.storage, self._principal)

    @cached_property
    def candidates(self) -> CandidateRepository:
        """Birth dates, loonwaarden and beschut-werk indications."""
        return CandidateRepository(self.storage, self._principal)

    @cached_property
    def payment_runs(self) -> PaymentRunRepository:
        """Payment runs and their lines."""
        return PaymentRunRepository(self.storage, self._principal)

    @cached_property
    def budgets(self) -> BudgetRepository:
        """Budgets and reserves."""
        return BudgetRepository(self.storage, self._principal)

    @cached_property
    def tariffs(self) -> TariffRepository:
        """The entity's tariffs."""
        return TariffRepository(self.storage, self._principal)

    @cached_property
    def payment_batches(self) -> PaymentBatches:
        """The payment run's Core reads and writes (no caller: the run goes by its own id)."""
        return PaymentBatches(self.storage)


# Finance's runtime: its settings, handing out its unit of work to requests, events and jobs.
FinanceRuntime = Runtime[FinanceSettings, FinanceUnitOfWork]
