"""Who sees which gemeenten's figures, and whether exactly; who writes a gemeente's own data.

A gemeente sees its own figures, exact. A regional role (the governing board of an uitvoerder
or entity: role `board`, its member gemeenten in the token) sees its members side by side; any
figure shown beyond the gemeente itself has its small cells suppressed.

Pure rules on the caller's Principal: the repositories of the unit of work scope their reads by
them (store/repositories.py), the handlers apply them, and the routes' dependencies apply them
once more before the body is read (api/access.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.auth import OrgKind, Principal, Role
from shared.organisations import is_gemeente as known_gemeente
from shared.organisations import is_provider
from shared.problems import Forbidden, NotFound

READER_ROLES = (Role.CASEWORKER, Role.CONTROLLER, Role.ADMIN, Role.BOARD)
# A council's places target is the gemeente's own decision: only its own controller or admin
# writes it. An uitvoerder (even one working for the gemeente), a WSP, a regional board or
# another gemeente reads it at most.
TARGET_ROLES = (Role.CONTROLLER, Role.ADMIN)
TARGET_KINDS = (OrgKind.GEMEENTE,)
# An uitvoerder's regional target (WSD's 2,100 across its nine gemeenten) is its governing
# board's decision: only that uitvoerder's board or admin writes and reads it.
REGIONAL_ROLES = (Role.BOARD, Role.ADMIN)
REGIONAL_KINDS = (OrgKind.PROVIDER,)
# The regional view (JSON and page) is for the uitvoerder's governing board only.
BOARD_ROLES = (Role.BOARD,)


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


def require_own_gemeente(principal: Principal, gemeente: str, what: str = "its target"
                         ) -> None:
    """Data a gemeente owns is written only by that gemeente itself (403 for anyone else)."""
    if not principal.is_gemeente(gemeente):
        raise Forbidden(f"only {gemeente} itself may set {what}")
    if not known_gemeente(gemeente):
        raise NotFound(f"{gemeente} is not a known gemeente (shared/organisations.py)")


def require_own_provider(principal: Principal, organisation: str,
                         what: str = "set its regional target") -> None:
    """Only the uitvoerder itself (403 for anyone else); 404 for a code that is no uitvoerder."""
    if principal.org != organisation:
        raise Forbidden(f"only {organisation} itself may {what}")
    if not is_provider(organisation):
        raise NotFound(f"{organisation} is not a known uitvoerder (shared/organisations.py)")


def is_regional_reader(principal: Principal) -> bool:
    """An uitvoerder's board or admin: it has a regional target to read."""
    return principal.kind is OrgKind.PROVIDER and bool(principal.roles & set(REGIONAL_ROLES))


def is_board(principal: Principal) -> bool:
    """An uitvoerder's governing board: the regional view is theirs."""
    return principal.kind is OrgKind.PROVIDER and Role.BOARD in principal.roles
