"""Intake's queries. Every read is scoped to what the caller may see."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, exists, or_, select

from services.intake.domain.candidate import Status
from services.intake.store.models import (
    AccessLogEntry,
    Candidate,
    Referral,
    ShelteredWorkIndication,
)
from shared.http.pagination import PageParams
from shared.repository import Repository


@dataclass(frozen=True)
class CandidateFilter:
    """List filters (all optional)."""

    status: str | None = None
    target_group: str | None = None
    route: str | None = None


class CandidateRepository(Repository[Candidate]):
    """Candidates, referrals and decisions."""

    model = Candidate

    async def find_by_bsn(self, *, gemeente: str, bsn: str) -> Candidate | None:
        """The gemeente's candidate with this BSN (BSN is unique per gemeente)."""
        return await self.session.scalar(
            select(Candidate).where(Candidate.gemeente == gemeente, Candidate.bsn == bsn)
        )

    async def page_for_gemeente(
        self, *, gemeente: str, filters: CandidateFilter, params: PageParams
    ) -> tuple[Sequence[Candidate], int]:
        """The gemeente's own candidates."""
        query = _filtered(select(Candidate).where(Candidate.gemeente == gemeente), filters)
        return await self.page(query, params)

    async def page_for_provider(
        self, *, provider: str, gemeenten: frozenset[str], filters: CandidateFilter,
        params: PageParams,
    ) -> tuple[Sequence[Candidate], int]:
        """Candidates currently referred to the provider, or in a programme it runs."""
        active_referral = exists().where(
            Referral.candidate_id == Candidate.id, Referral.provider == provider,
            Referral.ended_at.is_(None),
        )
        query = select(Candidate).where(
            Candidate.gemeente.in_(sorted(gemeenten)),
            Candidate.status != Status.CLOSED.value,
            or_(active_referral, Candidate.programme_provider == provider),
        )
        return await self.page(_filtered(query, filters), params)


def _filtered(query: Select[Candidate], filters: CandidateFilter) -> Select[Candidate]:
    if filters.status:
        query = query.where(Candidate.status == filters.status)
    if filters.target_group:
        query = query.where(Candidate.target_group == filters.target_group)
    if filters.route:
        query = query.where(Candidate.route == filters.route)
    # Newest first, id as tie-breaker: a deterministic order for stable pages.
    return query.order_by(Candidate.registered_at.desc(), Candidate.id)


class AccessLogRepository(Repository[AccessLogEntry]):
    """The processing log of reads of personal data."""

    model = AccessLogEntry

    async def page_for_gemeente(
        self, *, gemeente: str, candidate_id: uuid.UUID | None, params: PageParams
    ) -> tuple[Sequence[AccessLogEntry], int]:
        """The gemeente's log, newest first, optionally for one candidate."""
        query = select(AccessLogEntry).where(AccessLogEntry.gemeente == gemeente)
        if candidate_id is not None:
            query = query.where(AccessLogEntry.candidate_id == candidate_id)
        return await self.page(query.order_by(AccessLogEntry.id.desc()), params)


class IndicationRepository(Repository[ShelteredWorkIndication]):
    """Beschut-werk indications."""

    model = ShelteredWorkIndication

    async def of_candidate(self, candidate_id: uuid.UUID) -> Sequence[ShelteredWorkIndication]:
        """The candidate's indications, oldest decision first (id breaks ties: stable order)."""
        result = await self.session.scalars(
            select(ShelteredWorkIndication)
            .where(ShelteredWorkIndication.candidate_id == candidate_id)
            .order_by(ShelteredWorkIndication.decided_on, ShelteredWorkIndication.decided_at,
                      ShelteredWorkIndication.id))
        return result.all()
