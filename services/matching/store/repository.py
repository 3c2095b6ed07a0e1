"""Matching's queries. The unit of work builds each repository with the caller's Principal and
every read without `_unscoped` in its name is scoped by it:

- Employers and vacancies: those of the gemeenten in the caller's token (where the work is),
  plus those the caller's own organisation keeps; a WSP only those it keeps.
- Candidates (profiles, proposals, placements): an uitvoerder sees those whose programme it
  runs, in gemeenten of its token; a gemeente its own residents; a WSP none.
- Webhook subscriptions and deliveries: the caller's own organisation's (webhook_repository.py).

Event handlers, the inbound WSP webhook (its sender is no token's caller) and the delivery
worker have no caller: they use the `_unscoped` reads, by their own ids.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    false,
    func,
    insert,
    or_,
    select,
    update,
)

from services.matching.store.models import (
    CandidateProfile,
    Employer,
    LegalParameter,
    Placement,
    ProfileRevision,
    Proposal,
    ShelteredWorkIndication,
    Vacancy,
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

    def _visible_query(self) -> Select[Employer]:
        return (select(Employer)
                .where(_kept_or_local(self.principal, Employer.owner_org, Employer.gemeente))
                .order_by(Employer.name, Employer.id))

    async def visible_page(self, params: PageParams) -> tuple[Sequence[Employer], int]:
        """Employers the caller may see, by name then id."""
        return await self.page(self._visible_query(), params)

    async def visible(self, employer_id: uuid.UUID) -> Employer | None:
        """One employer, if the caller may see it."""
        return await self.session.scalar(self._visible_query().where(Employer.id == employer_id))

    async def kept_by_kvk(self, kvk: str) -> Employer | None:
        """The employer the caller's organisation keeps under a KvK number."""
        return await self.by_kvk_unscoped(self.principal.org, kvk)

    async def by_kvk_unscoped(self, owner_org: str, kvk: str) -> Employer | None:
        """The employer an organisation keeps under a KvK number (the WSP webhook's sender)."""
        return await self.session.scalar(select(Employer).where(
            Employer.owner_org == owner_org, Employer.kvk_number == kvk))

    async def insert(self, columns: dict[str, Any]) -> None:
        """Write a new employer now with a Core insert (the webhook's hot path: no tracking)."""
        await self.session.execute(insert(Employer), [columns])


class VacancyRepository(Repository[Vacancy]):
    """Vacancies and carved jobs."""

    model = Vacancy

    def _visible_query(self) -> Select[Vacancy]:
        return (select(Vacancy)
                .where(_kept_or_local(self.principal, Vacancy.owner_org, Vacancy.gemeente))
                .order_by(Vacancy.created_at.desc(), Vacancy.id))

    async def visible_page(self, params: PageParams, *, status: str | None = None,
                           werksoort: str | None = None,
                           external_ref: str | None = None) -> tuple[Sequence[Vacancy], int]:
        """Vacancies the caller may see, newest first, narrowed by the filters given."""
        query = self._visible_query()
        if status:
            query = query.where(Vacancy.status == status)
        if werksoort:
            query = query.where(Vacancy.werksoort == werksoort)
        if external_ref:
            query = query.where(Vacancy.external_ref == external_ref)
        return await self.page(query, params)

    async def visible(self, vacancy_id: uuid.UUID, *,
                      for_update: bool = False) -> Vacancy | None:
        """One vacancy, if the caller may see it (locked for a command)."""
        query = self._visible_query().where(Vacancy.id == vacancy_id)
        if for_update:
            query = query.with_for_update(of=Vacancy).execution_options(populate_existing=True)
        return await self.session.scalar(query)

    async def insert(self, columns: dict[str, Any]) -> None:
        """Write a new vacancy now with a Core insert (the webhook's hot path: no tracking)."""
        await self.session.execute(insert(Vacancy), [columns])

    async def by_external_ref_unscoped(self, owner_org: str, ref: str) -> Vacancy | None:
        """A WSP's vacancy by its own reference, locked (the webhook's sender, no caller)."""
        return await self.session.scalar(
            select(Vacancy).where(Vacancy.owner_org == owner_org, Vacancy.external_ref == ref)
            .with_for_update().execution_options(populate_existing=True))

    async def open_visible(self) -> Sequence[Vacancy]:
        """Every open vacancy the caller may see (for a candidate's matches)."""
        rows = await self.session.scalars(self._visible_query().where(Vacancy.status == OPEN))
        return rows.all()


class ProfileRepository(Repository[CandidateProfile]):
    """Candidate profiles projected from events."""

    model = CandidateProfile

    async def visible(self, candidate_id: uuid.UUID, *,
                      for_update: bool = False) -> CandidateProfile | None:
        """A candidate the caller may see (locked: a command that checks their placements)."""
        query = select(CandidateProfile).where(
            CandidateProfile.candidate_id == candidate_id,
            candidate_scope(self.principal, CandidateProfile.gemeente,
                            CandidateProfile.provider))
        if for_update:
            query = query.with_for_update().execution_options(populate_existing=True)
        return await self.session.scalar(query)

    async def matchable_unscoped(self) -> Sequence[CandidateProfile]:
        """Every candidate in a programme, with a profile, not closed or excluded (the
        process's profile matrix; each ranking masks it by the caller's tenancy)."""
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

    def _visible_query(self) -> Select[Proposal]:
        return (select(Proposal)
                .where(candidate_scope(self.principal, Proposal.gemeente, Proposal.provider))
                .order_by(Proposal.proposed_at.desc(), Proposal.id))

    async def visible_page(self, params: PageParams, *, candidate_id: uuid.UUID | None = None,
                           vacancy_id: uuid.UUID | None = None,
                           status: str | None = None) -> tuple[Sequence[Proposal], int]:
        """Proposals about candidates the caller may see, newest first, narrowed."""
        query = self._visible_query()
        if candidate_id:
            query = query.where(Proposal.candidate_id == candidate_id)
        if vacancy_id:
            query = query.where(Proposal.vacancy_id == vacancy_id)
        if status:
            query = query.where(Proposal.status == status)
        return await self.page(query, params)

    async def visible(self, proposal_id: uuid.UUID, *,
                      for_update: bool = False) -> Proposal | None:
        """One proposal, if the caller may see it."""
        query = self._visible_query().where(Proposal.id == proposal_id)
        if for_update:
            query = query.with_for_update(of=Proposal).execution_options(populate_existing=True)
        return await self.session.scalar(query)

    async def open_for_unscoped(self, vacancy_id: uuid.UUID,
                                candidate_id: uuid.UUID) -> Proposal | None:
        """A proposal of this candidate for this vacancy that has not ended, whoever made it."""
        return await self.session.scalar(select(Proposal).where(
            Proposal.vacancy_id == vacancy_id, Proposal.candidate_id == candidate_id,
            Proposal.closed_at.is_(None)))


class PlacementRepository(Repository[Placement]):
    """Placements."""

    model = Placement

    def _visible_query(self) -> Select[Placement]:
        return (select(Placement)
                .where(candidate_scope(self.principal, Placement.gemeente, Placement.provider))
                .order_by(Placement.start_date.desc(), Placement.id))

    async def visible_page(self, params: PageParams, *, candidate_id: uuid.UUID | None = None,
                           ) -> tuple[Sequence[Placement], int]:
        """Placements of candidates the caller may see, latest start first."""
        query = self._visible_query()
        if candidate_id:
            query = query.where(Placement.candidate_id == candidate_id)
        return await self.page(query, params)

    async def visible(self, placement_id: uuid.UUID, *,
                      for_update: bool = False) -> Placement | None:
        """One placement, if the caller may see it."""
        query = self._visible_query().where(Placement.id == placement_id)
        if for_update:
            query = query.with_for_update(of=Placement).execution_options(populate_existing=True)
        return await self.session.scalar(query)

    async def of_candidate_unscoped(self, candidate_id: uuid.UUID) -> Sequence[Placement]:
        """Every placement of one person, whoever made it: the law counts them all."""
        rows = await self.session.scalars(select(Placement).where(
            Placement.candidate_id == candidate_id).order_by(Placement.start_date, Placement.id))
        return rows.all()

    async def count_for_vacancy_unscoped(self, vacancy_id: uuid.UUID) -> int:
        """How many placements were made from a vacancy, by anyone."""
        return int(await self.session.scalar(select(func.count()).select_from(Placement).where(
            Placement.vacancy_id == vacancy_id)) or 0)

    async def from_proposal_unscoped(self, proposal_id: uuid.UUID) -> Placement | None:
        """The placement made from a proposal, if any, by anyone."""
        return await self.session.scalar(select(Placement).where(
            Placement.proposal_id == proposal_id))


class LegalParameterRepository(Repository[LegalParameter]):
    """National legal parameters folded from finance's events."""

    model = LegalParameter

    async def history_unscoped(self, codes: Sequence[str]) -> dict[str, list[LegalParameter]]:
        """Every dated value of these codes, by code (national: no tenant to scope by)."""
        rows = await self.session.scalars(select(LegalParameter).where(
            LegalParameter.code.in_(list(codes))).order_by(LegalParameter.effective_from))
        found: dict[str, list[LegalParameter]] = {}
        for row in rows:
            found.setdefault(row.code, []).append(row)
        return found


class IndicationRepository(Repository[ShelteredWorkIndication]):
    """Beschut-werk indications folded from intake's events."""

    model = ShelteredWorkIndication

    async def of_candidate_unscoped(self, candidate_id: uuid.UUID,
                                    ) -> Sequence[ShelteredWorkIndication]:
        """The person's decided indications, oldest first."""
        rows = await self.session.scalars(select(ShelteredWorkIndication).where(
            ShelteredWorkIndication.candidate_id == candidate_id).order_by(
            ShelteredWorkIndication.decided_on, ShelteredWorkIndication.indication_id))
        return rows.all()
