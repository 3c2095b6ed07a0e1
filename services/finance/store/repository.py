"""Finance's queries, each scoped by what the caller may see. They flush, never commit."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.finance.domain.lks import WageValuePeriod
from services.finance.domain.parameters import Parameter, ParameterTable
from services.finance.store.models import (
    ACTIVE,
    DECIDED,
    FINANCE_ITSELF,
    PENDING,
    REFUSED,
    Candidate,
    Grant,
    ParameterRow,
    Placement,
    ShelteredIndication,
    WageValue,
)
from shared.auth import OrgKind, Principal
from shared.events.finance import LksRefusalReason
from shared.figures import PW_PLACE_FORMS, SW_PLACE_FORMS
from shared.repository import Repository

GUIDED_FORMS_EXCLUDE = "regular"  # a regular job needs no guidance budget


async def load_parameters(session: AsyncSession) -> ParameterTable:
    """The whole parameter table (a few dozen rows)."""
    rows = await session.scalars(select(ParameterRow))
    return ParameterTable(
        Parameter(code=r.code, effective_from=r.effective_from, value=r.value, unit=r.unit,
                  source=r.source) for r in rows)


async def wage_values_by_candidate(
    session: AsyncSession, candidate_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, list[WageValuePeriod]]:
    """Each candidate's loonwaarden, oldest first, as the month split reads them."""
    ids = list(set(candidate_ids))
    found: dict[uuid.UUID, list[WageValuePeriod]] = {i: [] for i in ids}
    if not ids:
        return found
    table = WageValue.__table__.c
    # Core on the session's connection: a payment run reads these for thousands of grants.
    connection = await session.connection()
    rows = await connection.execute(
        select(table.candidate_id, table.measured_at, table.valid_until, table.wage_value_pct)
        .where(table.candidate_id.in_(ids))
        .order_by(table.measured_at, table.measurement_id))
    for candidate, measured, valid_until, pct in rows:
        found[candidate].append(WageValuePeriod(measured, valid_until, pct))
    return found


def active_between(start_col: Any, end_col: Any,
                   first: date, last: date) -> ColumnElement[bool]:
    """A period [start, end] (end open when NULL) that touches [first, last]."""
    return and_(start_col <= last, or_(end_col.is_(None), end_col >= first))


def grants_in_month(gemeente: str, first: date, last: date) -> ColumnElement[bool]:
    """Decided grants of a gemeente that run on at least one day of the month (a pending or
    refused grant is never paid)."""
    return and_(Grant.gemeente == gemeente, Grant.status.in_(DECIDED),
                active_between(Grant.valid_from, Grant.end_date, first, last))


def grant_scope(principal: Principal) -> ColumnElement[bool]:
    """A gemeente sees its own grants; an uitvoerder those of placements it runs."""
    if principal.kind is OrgKind.GEMEENTE:
        return Grant.gemeente == principal.org
    return and_(Grant.provider == principal.org, Grant.gemeente.in_(principal.gemeenten))


def placement_scope(principal: Principal) -> ColumnElement[bool]:
    """The same rule for placements."""
    if principal.kind is OrgKind.GEMEENTE:
        return Placement.gemeente == principal.org
    return and_(Placement.provider == principal.org,
                Placement.gemeente.in_(principal.gemeenten))


def visible_grants(principal: Principal, status: str | None = None,
                   candidate_id: uuid.UUID | None = None) -> Select[Grant]:
    """The caller's grants, newest first (deterministic: id breaks ties)."""
    query: Select[Grant] = select(Grant).where(grant_scope(principal))
    if status is not None:
        query = query.where(Grant.status == status)
    if candidate_id is not None:
        query = query.where(Grant.candidate_id == candidate_id)
    return query.order_by(Grant.granted_at.desc(), Grant.id)


def grants_with_expired_wage_value(principal: Principal, on: date) -> Select[Grant, date]:
    """Running grants whose candidate has no loonwaarde valid on `on`: not paid from the day
    after the last one expired, so they belong on the worklist until diagnose measures again."""
    latest = (select(WageValue.candidate_id, func.max(WageValue.valid_until).label("valid_until"))
              .group_by(WageValue.candidate_id).subquery())
    return (select(Grant, latest.c.valid_until)
            .join(latest, latest.c.candidate_id == Grant.candidate_id)
            .where(grant_scope(principal), Grant.status == ACTIVE,
                   or_(Grant.end_date.is_(None), Grant.end_date >= on),
                   latest.c.valid_until < on)
            .order_by(latest.c.valid_until, Grant.placement_id))


async def active_grants_of(session: AsyncSession, candidate_id: uuid.UUID) -> Sequence[Grant]:
    """A candidate's running grants."""
    rows = await session.scalars(select(Grant).where(Grant.candidate_id == candidate_id,
                                                     Grant.status == ACTIVE))
    return rows.all()


async def pending_grants_of(session: AsyncSession, candidate_id: uuid.UUID) -> Sequence[Grant]:
    """A candidate's grants that wait for the college's decision."""
    rows = await session.scalars(select(Grant).where(Grant.candidate_id == candidate_id,
                                                     Grant.status == PENDING))
    return rows.all()


async def refused_for_want_of_indication(session: AsyncSession,
                                         candidate_id: uuid.UUID) -> Sequence[Grant]:
    """The candidate's grants finance itself refused for want of a beschut-werk indication."""
    rows = await session.scalars(select(Grant).where(
        Grant.candidate_id == candidate_id, Grant.status == REFUSED,
        Grant.refusal_reason == LksRefusalReason.NO_SHELTERED_INDICATION.value,
        Grant.decided_by == FINANCE_ITSELF))
    return rows.all()


async def birth_date_of(session: AsyncSession, candidate_id: uuid.UUID) -> date | None:
    """The candidate's birth date, if intake sent one."""
    return await session.scalar(select(Candidate.birth_date).where(
        Candidate.candidate_id == candidate_id))


async def birth_dates_known(session: AsyncSession,
                            candidate_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these candidates have a known birth date."""
    ids = list(set(candidate_ids))
    if not ids:
        return set()
    rows = await session.scalars(select(Candidate.candidate_id).where(
        Candidate.candidate_id.in_(ids), Candidate.birth_date.is_not(None)))
    return set(rows.all())


async def indication_in_force(session: AsyncSession, candidate_id: uuid.UUID,
                              day: date) -> bool:
    """Has the candidate a granted beschut-werk indication in force on `day`?"""
    found = await session.scalar(select(ShelteredIndication.indication_id).where(
        ShelteredIndication.candidate_id == candidate_id,
        ShelteredIndication.decision == "granted", ShelteredIndication.decided_on <= day,
        or_(ShelteredIndication.valid_until.is_(None), ShelteredIndication.valid_until >= day),
    ).limit(1))
    return found is not None


async def waiting_placements_of(session: AsyncSession,
                                candidate_id: uuid.UUID) -> Sequence[Placement]:
    """A candidate's LKS placements that wait for a (valid) loonwaarde."""
    rows = await session.scalars(select(Placement).where(
        Placement.candidate_id == candidate_id, Placement.unpayable_reason.is_not(None)))
    return rows.all()


async def placed_count(session: AsyncSession, gemeente: str, first: date, last: date,
                       provider: str | None = None, form: str | None = None) -> int:
    """Placements of a gemeente (needing guidance) that run on a day of [first, last]."""
    query = select(func.count()).select_from(Placement).where(
        Placement.gemeente == gemeente, Placement.start_date.is_not(None),
        active_between(Placement.start_date, Placement.end_date, first, last))
    query = query.where(Placement.form == form) if form else \
        query.where(Placement.form != GUIDED_FORMS_EXCLUDE)
    if provider is not None:
        query = query.where(Placement.provider == provider)
    return int(await session.scalar(query) or 0)


async def places_on(session: AsyncSession, gemeente: str,
                    day: date) -> list[tuple[str, str, str]]:
    """(form, employer KvK, uitvoerder) of the gemeente's placements in a place form (Wsw,
    trial, lks, sheltered) running on `day` — shared/figures.py says how each counts."""
    rows = await session.execute(
        select(Placement.form, Placement.employer_kvk, Placement.provider).where(
            Placement.gemeente == gemeente, Placement.start_date.is_not(None),
            Placement.form.in_(sorted(PW_PLACE_FORMS | SW_PLACE_FORMS)),
            active_between(Placement.start_date, Placement.end_date, day, day)))
    return [(form, kvk or "", provider) for form, kvk, provider in rows]


class GrantRepository(Repository[Grant]):
    """Grants, paged."""

    model = Grant
