"""What the caller may read of grants: the lists, the college's worklist, one grant, and the
LKS work not paid for want of a loonwaarde. A gemeente reads its own; an uitvoerder those of
the placements it runs (the repositories' scope)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID

from services.finance.commands import ListGrants, ListUnpayable, ReadGrant
from services.finance.domain import lks
from services.finance.handlers import access
from services.finance.store.models import Grant
from services.finance.unit_of_work import FinanceUnitOfWork
from shared.http.pagination import PageParams
from shared.problems import NotFound


@dataclass(frozen=True)
class ShownGrant:
    """A grant and whether its candidate's birth date is known (else the adult WML: a
    warning)."""

    grant: Grant
    birth_date_known: bool


@dataclass(frozen=True)
class GrantList:
    """A page of grants and how many there are."""

    items: list[ShownGrant]
    total: int


@dataclass(frozen=True)
class Unpayable:
    """A placement (or running grant) not paid, why, and since when."""

    placement_id: UUID
    candidate_id: UUID
    gemeente: str
    provider: str
    employer_kvk: str | None
    start_date: date | None
    reason: str
    since: datetime | None
    grant_id: UUID | None = None


async def shown(uow: FinanceUnitOfWork, grants: list[Grant]) -> list[ShownGrant]:
    """The grants with what a reader must know about their figures."""
    known = await uow.candidates.birth_dates_known(grants)
    return [ShownGrant(grant, grant.candidate_id in known) for grant in grants]


async def list_grants(uow: FinanceUnitOfWork, query: ListGrants) -> GrantList:
    """The caller's grants, newest first: a gemeente's own, an uitvoerder's for the placements
    it runs."""
    access.grant_reader(uow.principal)
    items, total = await uow.grants.page(uow.grants.visible(query.status, query.candidate_id),
                                         PageParams(query.page, query.page_size))
    return GrantList(await shown(uow, list(items)), total)


async def pending_grants(uow: FinanceUnitOfWork, page: int, page_size: int) -> GrantList:
    """The college's worklist: the caller's grants waiting for a decision, oldest first."""
    access.grant_reader(uow.principal)
    items, total = await uow.grants.page(uow.grants.pending_worklist(),
                                         PageParams(page, page_size))
    return GrantList(await shown(uow, list(items)), total)


async def read_grant(uow: FinanceUnitOfWork, query: ReadGrant) -> ShownGrant:
    """One grant, if the caller may see it (404 otherwise)."""
    access.grant_reader(uow.principal)
    grant = await uow.grants.get(query.grant_id)
    if grant is None:
        raise NotFound(f"no grant {query.grant_id} for this organisation")
    return (await shown(uow, [grant]))[0]


async def unpayable(uow: FinanceUnitOfWork, query: ListUnpayable) -> list[Unpayable]:
    """Placements without a grant, then running grants whose loonwaarde expired, oldest
    first."""
    access.grant_reader(uow.principal)
    waiting = await uow.placements.unpayable()
    expired = await uow.grants.with_expired_wage_value(query.on)
    items = [Unpayable(
        placement_id=p.placement_id, candidate_id=p.candidate_id, gemeente=p.gemeente,
        provider=p.provider, employer_kvk=p.employer_kvk, start_date=p.start_date,
        reason=p.unpayable_reason or "", since=p.unpayable_since) for p in waiting]
    items += [Unpayable(
        placement_id=g.placement_id, candidate_id=g.candidate_id, gemeente=g.gemeente,
        provider=g.provider, employer_kvk=g.employer_kvk, start_date=g.valid_from,
        reason=lks.WAGE_VALUE_EXPIRED, grant_id=g.id,
        since=datetime.combine(valid_until + timedelta(days=1), time(), UTC))
        for g, valid_until in expired]
    return items
