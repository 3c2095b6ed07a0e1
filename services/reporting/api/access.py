"""Who sees which gemeenten's figures, and whether exactly.

A gemeente sees its own figures, exact. A regional role (the governing board of an uitvoerder
or entity: role `board`, its member gemeenten in the token) sees its members side by side; any
figure shown beyond the gemeente itself has its small cells suppressed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path

from shared.auth import OrgKind, Principal, Role, requires
from shared.http.schemas import GemeenteCode
from shared.problems import Forbidden

READER_ROLES = (Role.CASEWORKER, Role.CONTROLLER, Role.ADMIN, Role.BOARD)
# A council's places target is the gemeente's own decision: only its own controller or admin
# writes it. An uitvoerder (even one working for the gemeente), a WSP, a regional board or
# another gemeente reads it at most.
TARGET_ROLES = (Role.CONTROLLER, Role.ADMIN)
TARGET_KINDS = (OrgKind.GEMEENTE,)


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


def require_own_gemeente(principal: Principal, gemeente: str) -> None:
    """Data a gemeente owns is written only by that gemeente itself (403 for anyone else)."""
    if not principal.is_gemeente(gemeente):
        raise Forbidden(f"only {gemeente} itself may set its target")


GemeentePath = Annotated[GemeenteCode, Path(description="CBS code of the gemeente")]


async def target_writer(
    principal: Annotated[Principal, Depends(requires(*TARGET_ROLES, kinds=TARGET_KINDS))],
    gemeente: GemeentePath,
) -> Principal:
    """Dependency of the target write: role, kind and owner are checked before the body is
    validated, so a caller without the right gets 403 whatever it sends (never a 400)."""
    require_own_gemeente(principal, gemeente)
    return principal
