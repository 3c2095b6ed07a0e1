"""Who may do what in finance. Every endpoint checks its roles twice (write routes through the
role-checking unit-of-work dependencies in api/deps.py, before the body is validated; every
handler again through its unit of work) and its tenant here.

The model (resource × kind × role → read/write):
- legal parameters: write platform admin only; read every authenticated caller.
- LKS calculator, business cases: gemeente/uitvoerder caseworker, account-manager, controller,
  admin (business cases also board); nothing is stored.
- grants: read gemeente caseworker/controller/admin (own gemeente), uitvoerder consultant/
  account-manager/controller/admin (placements it runs, gemeenten of its token); decide or refuse
  the gemeente's own caseworker/controller/admin only (the college's decision).
- payment runs: start the gemeente's own controller/admin; read its controller/caseworker/admin.
- budgets: write the gemeente's own controller/admin; read controller/admin/board of the
  gemeente or of an uitvoerder working for it.
- reserves: read and write the uitvoerder's own controller/admin/board (it is its money).
- tariffs: write the entity's own controller/admin/board; read every planner (agreed openly).
- invoices: read the gemeente's controller/admin/board, or the entity's for a gemeente it serves.
"""

from __future__ import annotations

from shared.auth import OrgKind, Principal, Role
from shared.problems import Forbidden, NotFound

CALCULATOR_ROLES = (Role.CASEWORKER, Role.ACCOUNT_MANAGER, Role.CONTROLLER, Role.ADMIN)
PLANNING_ROLES = (*CALCULATOR_ROLES, Role.BOARD)
GRANT_READERS_GEMEENTE = (Role.CASEWORKER, Role.CONTROLLER, Role.ADMIN)
GRANT_READERS_PROVIDER = (Role.CONSULTANT, Role.ACCOUNT_MANAGER, Role.CONTROLLER, Role.ADMIN)
FIGURE_READERS = (Role.CONTROLLER, Role.ADMIN, Role.BOARD)
CONTROLLERS = (Role.CONTROLLER, Role.ADMIN)
DECIDERS = (Role.CASEWORKER, Role.CONTROLLER, Role.ADMIN)  # the college's LKS decision
PAYMENT_READERS = (Role.CONTROLLER, Role.CASEWORKER, Role.ADMIN)
PROVIDER_MANAGEMENT = (Role.CONTROLLER, Role.ADMIN, Role.BOARD)  # reserves, tariffs
BOTH_KINDS = (OrgKind.GEMEENTE, OrgKind.PROVIDER)
GEMEENTE_ONLY = (OrgKind.GEMEENTE,)
PROVIDER_ONLY = (OrgKind.PROVIDER,)
PLATFORM_ONLY = (OrgKind.PLATFORM,)


def planner(principal: Principal) -> None:
    """The calculator's users and the regional board (business cases)."""
    principal.require(*PLANNING_ROLES, kinds=BOTH_KINDS)


def grant_reader(principal: Principal) -> None:
    """The gemeente's staff; the uitvoerder's staff for the placements it runs."""
    if principal.kind is OrgKind.GEMEENTE:
        principal.require(*GRANT_READERS_GEMEENTE)
    else:
        principal.require(*GRANT_READERS_PROVIDER, kinds=(OrgKind.PROVIDER,))


def own_gemeente(principal: Principal, gemeente: str) -> None:
    """Data the gemeente owns (its payment runs, budgets) is written by that gemeente only."""
    if not principal.is_gemeente(gemeente):
        raise Forbidden(f"only {gemeente} itself writes this")


def payment_reader(principal: Principal) -> None:
    """Payment runs are the gemeente's (read by its controller and caseworkers)."""
    principal.require(*PAYMENT_READERS, kinds=(OrgKind.GEMEENTE,))


def figures_of(principal: Principal, gemeente: str) -> None:
    """A gemeente's budget figures: its own staff, or an uitvoerder working for it (404 else)."""
    principal.require(*FIGURE_READERS, kinds=BOTH_KINDS)
    if not principal.acts_for(gemeente):
        raise NotFound(f"no figures of {gemeente} for this organisation")


def reserve_reader(principal: Principal, provider: str) -> None:
    """An uitvoerder's reserve: its own controller, admin or board (404 for others)."""
    principal.require(*PROVIDER_MANAGEMENT, kinds=(OrgKind.PROVIDER,))
    own_provider(principal, provider, missing=True)


def own_provider(principal: Principal, provider: str, *, missing: bool = False) -> None:
    """The uitvoerder's (or entity's) own data: its reserve, its tariffs."""
    if principal.kind is not OrgKind.PROVIDER or principal.org != provider:
        if missing:
            raise NotFound(f"no reserve of {provider} for this organisation")
        raise Forbidden(f"only {provider} itself writes this")


def invoice_reader(principal: Principal, gemeente: str, entity: str) -> None:
    """The gemeente's controller, or the entity's controller for a gemeente it serves."""
    principal.require(*FIGURE_READERS, kinds=BOTH_KINDS)
    own = principal.kind is OrgKind.GEMEENTE and principal.org == gemeente
    served = principal.org == entity and principal.acts_for(gemeente)
    if not (own or served):
        raise NotFound(f"no invoices of {gemeente} for this organisation")
