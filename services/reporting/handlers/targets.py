"""Places targets: a council's for its gemeente, a governing board's for its region."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from services.reporting.audience import (
    REGIONAL_KINDS,
    REGIONAL_ROLES,
    TARGET_KINDS,
    TARGET_ROLES,
    readable_gemeenten,
    require_own_gemeente,
    require_own_provider,
)
from services.reporting.commands import (
    ListRegionalTargets,
    ListTargets,
    SetRegionalTarget,
    SetTarget,
)
from services.reporting.store.models import RegionalTargetRow, TargetRow
from services.reporting.unit_of_work import ReportingUnitOfWork


async def list_targets(uow: ReportingUnitOfWork, query: ListTargets) -> Sequence[TargetRow]:
    """Places targets of the caller's gemeenten (not suppressed: they are decisions)."""
    readable_gemeenten(uow.principal)
    return await uow.targets.visible(query.year)


async def set_target(uow: ReportingUnitOfWork, command: SetTarget, *,
                     now: datetime | None = None) -> TargetRow:
    """Store (or replace) the gemeente's own target: only its own controller or admin."""
    require_own_gemeente(uow.require(*TARGET_ROLES, kinds=TARGET_KINDS), command.gemeente)
    row = await uow.targets.own(command.year)
    if row is None:
        row = uow.targets.add(TargetRow(gemeente=command.gemeente, year=command.year))
    row.places, row.set_by = command.places, command.set_by
    row.set_at = now or datetime.now(UTC)
    await uow.flush()
    return row


async def list_regional_targets(uow: ReportingUnitOfWork, query: ListRegionalTargets
                                ) -> Sequence[RegionalTargetRow]:
    """The caller's own regional targets (an uitvoerder's board or admin)."""
    uow.require(*REGIONAL_ROLES, kinds=REGIONAL_KINDS)
    return await uow.regional_targets.own(query.year)


async def set_regional_target(uow: ReportingUnitOfWork, command: SetRegionalTarget, *,
                              now: datetime | None = None) -> RegionalTargetRow:
    """Store (or replace) an uitvoerder's regional target: only its own board or admin."""
    require_own_provider(uow.require(*REGIONAL_ROLES, kinds=REGIONAL_KINDS),
                         command.organisation)
    row = await uow.regional_targets.own_for(command.year)
    if row is None:
        row = uow.regional_targets.add(
            RegionalTargetRow(organisation=command.organisation, year=command.year))
    row.places, row.set_by = command.places, command.set_by
    row.set_at = now or datetime.now(UTC)
    await uow.flush()
    return row
