"""Matching's use cases, one module per aggregate; the only users of the unit of work.

- vacancies: employers and vacancies (register, publish, close), and the checks they share;
- keeping: the keeper's changes to employers and vacancies (issue 15);
- carving: a carved job from some of a vacancy's tasks;
- matches: ranked, explained matches in both directions;
- proposals: proposing candidates and moving proposals on;
- placements: starting (by the law, issue 12) and ending placements;
- profiles: what matching folds from diagnose's, intake's and finance's events;
- subscriptions: outbound webhook subscriptions, their delivery log and redelivery;
- inbound: the WSP's signed vacancy webhook.

Handlers flush, never commit: whoever opened the unit of work commits (the request, the inbox,
the worker). This module holds the role policy they share.
"""

from __future__ import annotations

from shared.auth import OrgKind, Principal, Role
from shared.unit_of_work import UnitOfWork

WRITERS = (Role.ACCOUNT_MANAGER, Role.ADMIN)
READERS = (Role.ACCOUNT_MANAGER, Role.ADMIN, Role.CONSULTANT, Role.CASEWORKER)
STAFF = (OrgKind.PROVIDER, OrgKind.GEMEENTE)
# Employers and vacancies are also kept by a werkgeversservicepunt (issue 15): it pushes them by
# webhook and reads and changes its own over REST. Candidates, matches, proposals and
# placements stay with the uitvoerder and the gemeente.
KEEPER_KINDS = (*STAFF, OrgKind.WSP)
# Accountmanagers and admins of any organisation (a WSP included) manage its webhooks.
MANAGERS = (Role.ACCOUNT_MANAGER, Role.ADMIN)


def require_writer(uow: UnitOfWork) -> Principal:
    """Accountmanagers (uitvoerder) and accounthouders werk (gemeente), or their admins."""
    return uow.require(*WRITERS, kinds=STAFF)


def require_reader(uow: UnitOfWork) -> Principal:
    """Staff of an uitvoerder or gemeente (a WSP sees no candidate)."""
    return uow.require(*READERS, kinds=STAFF)


def require_keeper(uow: UnitOfWork) -> Principal:
    """Who registers and changes employers and vacancies: staff writers, or a WSP's
    accountmanagers (its own only: the repositories scope a WSP to what it keeps)."""
    return uow.require(*WRITERS, kinds=KEEPER_KINDS)


def require_keeper_reader(uow: UnitOfWork) -> Principal:
    """Who reads employers and vacancies: staff readers, or a WSP's accountmanagers."""
    if uow.principal.kind is OrgKind.WSP:
        return require_keeper(uow)
    return require_reader(uow)


def require_manager(uow: UnitOfWork) -> Principal:
    """Who manages the organisation's outbound webhooks."""
    return uow.require(*MANAGERS)
