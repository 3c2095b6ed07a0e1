"""Matching's queries, each scoped by the caller's tenancy.

- Employers and vacancies: those of the gemeenten in the caller's token (where the work is),
  plus those the caller's own organisation keeps; a WSP only those it keeps.
- Candidates (profiles, proposals, placements): an uitvoerder sees those whose programme it
  runs, in gemeenten of its token; a gemeente its own residents; a WSP none.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select, update

from services.matching.store.models import (
    CandidateProfile,
    Employer,
    LegalParameter,
    Placement,
    ProfileRevision,
    Proposal,
    ShelteredWorkIndication,
    Vacancy,
    WebhookDelivery,
    WebhookSubscription,
)
from shared.auth import OrgKind, Principal
from shared.http.pagination import PageParams
from shared.repository import Repository

OPEN, CLOSED = "open", "closed"


def _kept_or_local(principal: Principal, owner: Any, gemeente: Any) -> ColumnElement[bool]:
    if principal.kind is OrgKind.WSP:
        # A WSP sees only what it keeps: another WSP's (or an uitvoerder's) employers and
        # vacancies in the same gemeenten are not its business.
        return owner == principal.org  # type: ignore[no-any-return]
    return or_(owner == principal.org, gemeente.in_(sorted(principal.gemeenten)))


def candidate_scope(principal: Principal, gemeente: Any, provider: Any) -> ColumnElement[bool]:
    """Rows about candidates the caller may see."""
    if principal.kind is OrgKind.PROVIDER:
        return and_(provider == principal.org, gemeente.in_(sorted(principal.gemeenten)))
    if principal.kind is OrgKind.GEMEENTE:
        return gemeente == principal.org  # type: ignore[no-any-return]
    return false()


class EmployerRepository(Repository[Employer]):
    """Employers."""

    model = Employer

    def visible_query(self, principal: Principal) -> Select[Employer]:
        """Employers the caller may see, by name then id."""
        return (select(Employer)
                .where(_kept_or_local(principal, Employer.owner_org, Employer.gemeente))
                .order_by(Employer.name, Employer.id))

    async def visible(self, principal: Principal, employer_id: uuid.UUID) -> Employer | None:
        """One employer, if the caller may see it."""
        return await self.session.scalar(
            self.visible_query(principal).where(Employer.id == employer_id))

    async def by_kvk(self, owner_org: str, kvk: str) -> Employer | None:
        """The employer an organisation keeps under a KvK number."""
        return await self.session.scalar(select(Employer).where(
            Employer.owner_org == owner_org, Employer.kvk_number == kvk))


class VacancyRepository(Repository[Vacancy]):
    """Vacancies and carved jobs."""

    model = Vacancy

    def visible_query(self, principal: Principal) -> Select[Vacancy]:
        """Vacancies the caller may see, newest first."""
        return (select(Vacancy)
                .where(_kept_or_local(principal, Vacancy.owner_org, Vacancy.gemeente))
                .order_by(Vacancy.created_at.desc(), Vacancy.id))

    async def visible(self, principal: Principal, vacancy_id: uuid.UUID, *,
                      for_update: bool = False) -> Vacancy | None:
        """One vacancy, if the caller may see it (locked for a command)."""
        query = self.visible_query(principal).where(Vacancy.id == vacancy_id)
        if for_update:
            query = query.with_for_update(of=Vacancy).execution_options(populate_existing=True)
        return await self.session.scalar(query)

    async def by_external_ref(self, owner_org: str, ref: str) -> Vacancy | None:
        """A WSP's vacancy by its own reference, locked."""
        return await self.session.scalar(
            select(Vacancy).where(Vacancy.owner_org == owner_org, Vacancy.external_ref == ref)
            .with_for_update().execution_options(populate_existing=True))

    async def open_visible(self, principal: Principal) -> Sequence[Vacancy]:
        """Every open vacancy the caller may see (for a candidate's matches)."""
        rows = await self.session.scalars(
            self.visible_query(principal).where(Vacancy.status == OPEN))
        return rows.all()


class ProfileRepository(Repository[CandidateProfile]):
    """Candidate profiles projected from events."""

    model = CandidateProfile

    async def for_update(self, candidate_id: uuid.UUID) -> CandidateProfile | None:
        """A profile locked for an event handler."""
        return await self.get_for_update(candidate_id)

    async def visible(self, principal: Principal, candidate_id: uuid.UUID, *,
                      for_update: bool = False) -> CandidateProfile | None:
        """A candidate the caller may see (locked: a command that checks their placements)."""
        query = select(CandidateProfile).where(
            CandidateProfile.candidate_id == candidate_id,
            candidate_scope(principal, CandidateProfile.gemeente, CandidateProfile.provider))
        if for_update:
            query = query.with_for_update().execution_options(populate_existing=True)
        return await self.session.scalar(query)

    async def matchable(self) -> Sequence[CandidateProfile]:
        """Every candidate in a programme, with a profile, not closed or excluded."""
        rows = await self.session.scalars(select(CandidateProfile).where(
            CandidateProfile.programme.is_not(None), CandidateProfile.provider.is_not(None),
            CandidateProfile.profile_updated_at.is_not(None),
            CandidateProfile.closed.is_(False), CandidateProfile.excluded_at.is_(None)))
        return rows.all()

    async def revision(self) -> int:
        """The profile change counter."""
        return int(await self.session.scalar(
            select(ProfileRevision.value).where(ProfileRevision.id == 1)) or 0)

    async def bump_revision(self) -> None:
        """Count a change, in the changing transaction."""
        await self.session.execute(update(ProfileRevision).where(ProfileRevision.id == 1)
                                   .values(value=ProfileRevision.value + 1))


class ProposalRepository(Repository[Proposal]):
    """Proposals."""

    model = Proposal

    def visible_query(self, principal: Principal) -> Select[Proposal]:
        """Proposals about candidates the caller may see, newest first."""
        return (select(Proposal)
                .where(candidate_scope(principal, Proposal.gemeente, Proposal.provider))
                .order_by(Proposal.proposed_at.desc(), Proposal.id))

    async def visible(self, principal: Principal, proposal_id: uuid.UUID, *,
                      for_update: bool = False) -> Proposal | None:
        """One proposal, if the caller may see it."""
        query = self.visible_query(principal).where(Proposal.id == proposal_id)
        if for_update:
            query = query.with_for_update(of=Proposal).execution_options(populate_existing=True)
        return await self.session.scalar(query)

    async def open_for(self, vacancy_id: uuid.UUID, candidate_id: uuid.UUID) -> Proposal | None:
        """A proposal of this candidate for this vacancy that has not ended."""
        return await self.session.scalar(select(Proposal).where(
            Proposal.vacancy_id == vacancy_id, Proposal.candidate_id == candidate_id,
            Proposal.closed_at.is_(None)))


class PlacementRepository(Repository[Placement]):
    """Placements."""

    model = Placement

    def visible_query(self, principal: Principal) -> Select[Placement]:
        """Placements of candidates the caller may see, latest start first."""
        return (select(Placement)
                .where(candidate_scope(principal, Placement.gemeente, Placement.provider))
                .order_by(Placement.start_date.desc(), Placement.id))

    async def visible(self, principal: Principal, placement_id: uuid.UUID, *,
                      for_update: bool = False) -> Placement | None:
        """One placement, if the caller may see it."""
        query = self.visible_query(principal).where(Placement.id == placement_id)
        if for_update:
            query = query.with_for_update(of=Placement).execution_options(populate_existing=True)
        return await self.session.scalar(query)


    async def of_candidate(self, candidate_id: uuid.UUID) -> Sequence[Placement]:
        """Every placement of one person, whoever made it: the law counts them all."""
        rows = await self.session.scalars(select(Placement).where(
            Placement.candidate_id == candidate_id).order_by(Placement.start_date, Placement.id))
        return rows.all()

    async def count_for_vacancy(self, vacancy_id: uuid.UUID) -> int:
        """How many placements were made from a vacancy."""
        return int(await self.session.scalar(select(func.count()).select_from(Placement).where(
            Placement.vacancy_id == vacancy_id)) or 0)

    async def from_proposal(self, proposal_id: uuid.UUID) -> Placement | None:
        """The placement made from a proposal, if any."""
        return await self.session.scalar(select(Placement).where(
            Placement.proposal_id == proposal_id))


class LegalParameterRepository(Repository[LegalParameter]):
    """National legal parameters folded from finance's events."""

    model = LegalParameter

    async def history(self, codes: Sequence[str]) -> dict[str, list[LegalParameter]]:
        """Every dated value of these codes, by code."""
        rows = await self.session.scalars(select(LegalParameter).where(
            LegalParameter.code.in_(list(codes))).order_by(LegalParameter.effective_from))
        found: dict[str, list[LegalParameter]] = {}
        for row in rows:
            found.setdefault(row.code, []).append(row)
        return found


class IndicationRepository(Repository[ShelteredWorkIndication]):
    """Beschut-werk indications folded from intake's events."""

    model = ShelteredWorkIndication

    async def of_candidate(self, candidate_id: uuid.UUID) -> Sequence[ShelteredWorkIndication]:
        """The person's decided indications, oldest first."""
        rows = await self.session.scalars(select(ShelteredWorkIndication).where(
            ShelteredWorkIndication.candidate_id == candidate_id).order_by(
            ShelteredWorkIndication.decided_on, ShelteredWorkIndication.indication_id))
        return rows.all()


class SubscriptionRepository(Repository[WebhookSubscription]):
    """Outbound webhook subscriptions and their deliveries."""

    model = WebhookSubscription

    def owned_query(self, principal: Principal) -> Select[WebhookSubscription]:
        """The caller's organisation's subscriptions, oldest first."""
        return (select(WebhookSubscription).where(WebhookSubscription.org == principal.org)
                .order_by(WebhookSubscription.created_at, WebhookSubscription.id))

    async def owned(self, principal: Principal,
                    subscription_id: uuid.UUID) -> WebhookSubscription | None:
        """One of the caller's subscriptions."""
        return await self.session.scalar(
            self.owned_query(principal).where(WebhookSubscription.id == subscription_id))

    async def active(self) -> Sequence[WebhookSubscription]:
        """Every active subscription (the fan-out filters by type and tenancy)."""
        rows = await self.session.scalars(select(WebhookSubscription).where(
            WebhookSubscription.status == "active"))
        return rows.all()

    async def deliveries_page(self, subscription_id: uuid.UUID, params: PageParams) -> tuple[
        Sequence[WebhookDelivery], int
    ]:
        """A subscription's deliveries, newest first."""
        query = (select(WebhookDelivery)
                 .where(WebhookDelivery.subscription_id == subscription_id)
                 .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id))
        return await DeliveryRepository(self.session).page(query, params)

    async def owned_delivery(self, principal: Principal,
                             delivery_id: uuid.UUID) -> WebhookDelivery | None:
        """A delivery of one of the caller's subscriptions, locked."""
        return await self.session.scalar(
            select(WebhookDelivery).join(WebhookSubscription)
            .where(WebhookDelivery.id == delivery_id, WebhookSubscription.org == principal.org)
            .with_for_update(of=WebhookDelivery).execution_options(populate_existing=True))



class DeliveryRepository(Repository[WebhookDelivery]):
    """Outbound deliveries (paged through their subscription)."""

    model = WebhookDelivery
