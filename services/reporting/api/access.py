"""The routes' rights, checked before the body is read (403, never a 400, for anyone without
them): the rules are audience.py's, and the handlers check them once more."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from services.reporting.audience import (
    BOARD_ROLES,
    REGIONAL_KINDS,
    REGIONAL_ROLES,
    TARGET_KINDS,
    TARGET_ROLES,
    require_own_gemeente,
    require_own_provider,
)
from shared.auth import Principal, requires
from shared.http.schemas import GemeenteCode

GemeentePath = Annotated[GemeenteCode, Path(description="CBS code of the gemeente")]


async def target_writer(
    principal: Annotated[Principal, Depends(requires(*TARGET_ROLES, kinds=TARGET_KINDS))],
    gemeente: GemeentePath,
) -> Principal:
    """Dependency of the target write: role, kind and owner are checked before the body is
    validated, so a caller without the right gets 403 whatever it sends (never a 400)."""
    require_own_gemeente(principal, gemeente)
    return principal


async def plan_writer(
    principal: Annotated[Principal, Depends(requires(*TARGET_ROLES, kinds=TARGET_KINDS))],
    gemeente: GemeentePath,
) -> Principal:
    """Dependency of the lokaal-plan writes: the gemeente's own controller or admin, checked
    before the body (403, never a 400, for anyone else); 404 for a code of no gemeente."""
    require_own_gemeente(principal, gemeente, "its lokaal-plan actions")
    return principal


OrganisationPath = Annotated[str, Path(pattern=r"^[A-Z][A-Z0-9-]{1,39}$",
                                       description="code of the uitvoerder (WSD, WESTROM, …)")]


async def regional_target_writer(
    principal: Annotated[Principal, Depends(requires(*REGIONAL_ROLES, kinds=REGIONAL_KINDS))],
    organisation: OrganisationPath,
) -> Principal:
    """Dependency of the regional target write: 403 before the body is validated."""
    require_own_provider(principal, organisation)
    return principal


async def regional_target_reader(
    principal: Annotated[Principal, Depends(requires(*REGIONAL_ROLES, kinds=REGIONAL_KINDS))],
) -> Principal:
    """The uitvoerder's board or admin, reading its own regional targets."""
    return principal


Board = Annotated[Principal, Depends(requires(*BOARD_ROLES, kinds=REGIONAL_KINDS))]
