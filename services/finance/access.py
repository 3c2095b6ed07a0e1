"""Who may do what in finance. Every endpoint calls one of these before touching data."""

from __future__ import annotations

from shared.auth import OrgKind, Principal, Role
from shared.problems import Forbidden, NotFound

CALCULATOR_ROLES = (Role.CASEWORKER, Role.ACCOUNT_MANAGER, Role.CONTROLLER, Role.ADMIN)
PLANNING_ROLES = (*CALCULATOR_ROLES, Role.BOARD)
GRANT_READERS_GEMEENTE = (Role.CASEWORKER, Role.CONTROLLER, Role.ADMIN)
GRANT_READERS_PROVIDER = (Role.CONSULTANT, Role.ACCOUNT_MANAGER, Role.CONTROLLER, Role.ADMIN)
FIGURE_READERS = (Role.CONTROLLER, Role.ADMIN, Role.BOARD)
CONTROLLERS = (Role.CONTROLLER, Role.ADMIN)
BOTH_KINDS = (OrgKind.GEMEENTE, OrgKind.PROVIDER)


def calculator(principal: Principal) -> None:
    """Caseworkers, account managers and controllers of gemeenten and uitvoerders."""
    principal.require(*CALCULATOR_ROLES, kinds=BOTH_KINDS)


def planner(principal: Principal) -> None:
    """The calculator's users and the regional board (business cases)."""
    principal.require(*PLANNING_ROLES, kinds=BOTH_KINDS)


def admin(principal: Principal) -> None:
    """Changing legal parameters."""
    principal.require(Role.ADMIN)


def grant_reader(principal: Principal) -> None:
    """The gemeente's staff; the uitvoerder's staff for the placements it runs."""
    if principal.kind is OrgKind.GEMEENTE:
        principal.require(*GRANT_READERS_GEMEENTE)
    else:
        principal.require(*GRANT_READERS_PROVIDER, kinds=(OrgKind.PROVIDER,))


def gemeente_controller(principal: Principal, gemeente: str) -> None:
    """The gemeente's own controller (payment runs, budgets)."""
    principal.require(*CONTROLLERS, kinds=(OrgKind.GEMEENTE,))
    if principal.org != gemeente:
        raise Forbidden(f"you do not act for {gemeente}")


def payment_reader(principal: Principal) -> None:
    """Payment runs are the gemeente's (read by its controller and caseworkers)."""
    principal.require(Role.CONTROLLER, Role.CASEWORKER, Role.ADMIN, kinds=(OrgKind.GEMEENTE,))


def figures_of(principal: Principal, gemeente: str) -> None:
    """A gemeente's budget figures: its own staff, or an uitvoerder working for it (404 else)."""
    principal.require(*FIGURE_READERS, kinds=BOTH_KINDS)
    if not principal.acts_for(gemeente):
        raise NotFound(f"no figures of {gemeente} for this organisation")


def provider_controller(principal: Principal, provider: str) -> None:
    """An uitvoerder's own controller (its reserve)."""
    principal.require(*CONTROLLERS, kinds=(OrgKind.PROVIDER,))
    if principal.org != provider:
        raise NotFound(f"no reserve of {provider} for this organisation")


def entity_controller(principal: Principal, entity: str) -> None:
    """The entity's controller (its tariffs)."""
    principal.require(*CONTROLLERS, kinds=(OrgKind.PROVIDER,))
    if principal.org != entity:
        raise Forbidden(f"only {entity} sets its tariffs")


def invoice_reader(principal: Principal, gemeente: str, entity: str) -> None:
    """The gemeente's controller, or the entity's controller for a gemeente it serves."""
    principal.require(*FIGURE_READERS, kinds=BOTH_KINDS)
    own = principal.kind is OrgKind.GEMEENTE and principal.org == gemeente
    served = principal.org == entity and principal.acts_for(gemeente)
    if not (own or served):
        raise NotFound(f"no invoices of {gemeente} for this organisation")
