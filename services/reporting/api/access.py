"""Who sees which gemeenten's figures, and whether exactly.

A gemeente sees its own figures, exact. A regional role (the governing board of an uitvoerder
or entity: role `board`, its member gemeenten in the token) sees its members side by side; any
figure shown beyond the gemeente itself has its small cells suppressed.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.auth import OrgKind, Principal, Role
from shared.problems import Forbidden

READER_ROLES = (Role.CASEWORKER, Role.CONTROLLER, Role.ADMIN, Role.BOARD)
TARGET_ROLES = (Role.CONTROLLER, Role.ADMIN)


@dataclass(frozen=True)
class Audience:
    """The gemeenten a request shows, and whether it shows exact counts."""

    gemeenten: tuple[str, ...]
    exact: bool


def readable_gemeenten(principal: Principal) -> tuple[str, ...]:
    """Every gemeente whose figures the caller may read; 403 when none."""
    if principal.kind is OrgKind.GEMEENTE:
        principal.require(*READER_ROLES)
        return (principal.org,)
    if Role.BOARD not in principal.roles:
        raise Forbidden("figures beyond one gemeente are for a governing board (role board)")
    if not principal.gemeenten:
        raise Forbidden("the token names no member gemeenten")
    return tuple(sorted(principal.gemeenten))


def audience_for(principal: Principal, gemeente: str | None) -> Audience:
    """The caller's gemeenten (or the one asked for, if theirs) and the suppression rule."""
    allowed = readable_gemeenten(principal)
    if gemeente is not None and gemeente not in allowed:
        raise Forbidden(f"no access to the figures of {gemeente}")
    shown = (gemeente,) if gemeente is not None else allowed
    exact = principal.kind is OrgKind.GEMEENTE and shown == (principal.org,)
    return Audience(shown, exact)


def require_target_setter(principal: Principal, gemeente: str) -> None:
    """A controller or admin acting for the gemeente sets its target."""
    principal.require(*TARGET_ROLES)
    if not principal.acts_for(gemeente):
        raise Forbidden(f"not acting for {gemeente}")
