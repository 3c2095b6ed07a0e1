"""Matching's unit of work: the spine's session, outbox and role policy, with matching's
repositories scoped by the caller (store/repository.py and store/webhook_repository.py say who
sees what)."""

from __future__ import annotations

from functools import cached_property

from services.matching.store.repository import (
    EmployerRepository,
    IndicationRepository,
    LegalParameterRepository,
    PlacementRepository,
    ProfileRepository,
    ProposalRepository,
    VacancyRepository,
)
from services.matching.store.webhook_repository import (
    DeliveryRepository,
    SubscriptionRepository,
    WebhookReceiptRepository,
)
from shared.unit_of_work import UnitOfWork


class MatchingUnitOfWork(UnitOfWork):
    """One request's or one event's transaction in matching."""

    @cached_property
    def employers(self) -> EmployerRepository:
        """Employers: those the caller keeps, or those in its gemeenten (not for a WSP)."""
        return EmployerRepository(self.storage, self._principal)

    @cached_property
    def vacancies(self) -> VacancyRepository:
        """Vacancies and carved jobs, scoped as employers."""
        return VacancyRepository(self.storage, self._principal)

    @cached_property
    def profiles(self) -> ProfileRepository:
        """Candidate profiles folded from diagnose's and intake's events."""
        return ProfileRepository(self.storage, self._principal)

    @cached_property
    def proposals(self) -> ProposalRepository:
        """Proposals of candidates to vacancies."""
        return ProposalRepository(self.storage, self._principal)

    @cached_property
    def placements(self) -> PlacementRepository:
        """Placements."""
        return PlacementRepository(self.storage, self._principal)

    @cached_property
    def legal_parameters(self) -> LegalParameterRepository:
        """The minimum-wage parameters folded from finance's events (national)."""
        return LegalParameterRepository(self.storage, self._principal)

    @cached_property
    def indications(self) -> IndicationRepository:
        """Beschut-werk indications folded from intake's events."""
        return IndicationRepository(self.storage, self._principal)

    @cached_property
    def subscriptions(self) -> SubscriptionRepository:
        """Outbound webhook subscriptions of the caller's organisation."""
        return SubscriptionRepository(self.storage, self._principal)

    @cached_property
    def deliveries(self) -> DeliveryRepository:
        """Outbound webhook deliveries of the caller's subscriptions, and the worker's."""
        return DeliveryRepository(self.storage, self._principal)

    @cached_property
    def webhook_receipts(self) -> WebhookReceiptRepository:
        """The WSP webhook's stored answers, by sender and webhook-id."""
        return WebhookReceiptRepository(self.storage, self._principal)
