"""Finance's query building blocks: column filters the repositories and the payment run share.

Plain statements, no session: the repositories (store/repositories.py) run them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, and_, or_

from services.finance.domain.statuses import DECIDED
from services.finance.store.models import Grant, Placement
from shared.auth import OrgKind, Principal

GUIDED_FORMS_EXCLUDE = "regular"  # a regular job needs no guidance budget


def active_between(start_col: Any, end_col: Any, first: date | BindParameter[date],
                   last: date | BindParameter[date]) -> ColumnElement[bool]:
    """A period [start, end] (end open when NULL) that touches [first, last]."""
    return and_(start_col <= last, or_(end_col.is_(None), end_col >= first))


def grants_in_month(gemeente: str | BindParameter[str], first: date | BindParameter[date],
                    last: date | BindParameter[date]) -> ColumnElement[bool]:
    """Decided grants of a gemeente that run on at least one day of the month (a pending or
    refused grant is never paid); the values, or parameters bound when the statement runs."""
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
