"""National legal parameters: written by the platform operator only, each change announced.

Every row, the seeded ones too, is published once as `finance.legal-parameter-set` under the
national tenant (`NL`): matching folds the minimum-wage rows for its wage floor. `published_at`
marks a row whose event is in the outbox, so a restart (or a second replica, which skips rows
the first holds locked) never publishes it twice.
"""

from __future__ import annotations

from datetime import UTC, datetime

from services.finance.commands import SetLegalParameter
from services.finance.domain import plausibility
from services.finance.domain.parameters import Parameter, ParameterTable
from services.finance.handlers import access
from services.finance.store.models import ParameterRow
from services.finance.unit_of_work import FinanceUnitOfWork
from shared.auth import Role
from shared.events.finance import LegalParameterSet
from shared.events.subjects import NATIONAL
from shared.problems import BadRequest, Conflict, InvalidParam

# The author of the rows migration 0001 seeded from services/finance/domain/seed.py.
SEED_AUTHOR = "seed@finance"


def _announce(uow: FinanceUnitOfWork, row: ParameterRow, now: datetime) -> None:
    uow.outbox.add(LegalParameterSet(
        code=row.code, effective_from=row.effective_from, value=row.value, source=row.source,
        author=row.author or SEED_AUTHOR, set_at=row.created_at),
        gemeente=NATIONAL, subject_id=row.code)
    row.published_at = now


async def list_parameters(uow: FinanceUnitOfWork) -> ParameterTable:
    """Every legal parameter with its date and source (any authenticated caller)."""
    return await uow.parameters.table()


async def set_legal_parameter(uow: FinanceUnitOfWork, command: SetLegalParameter) -> Parameter:
    """Add a value from a date after the plausibility check → finance.legal-parameter-set.

    Rows are never changed: a second value for the same code and date is a 409."""
    principal = uow.require(Role.ADMIN, kinds=access.PLATFORM_ONLY)
    table = await uow.parameters.table()
    try:
        plausibility.check(table, code=command.code, effective_from=command.effective_from,
                           value=command.value, unit=command.unit)
    except plausibility.Implausible as exc:
        raise BadRequest(f"implausible parameter: {exc}",
                         invalid_params=[InvalidParam(exc.field, exc.reason)]) from exc
    now = datetime.now(UTC)
    row = ParameterRow(code=command.code, effective_from=command.effective_from,
                       value=command.value, unit=command.unit, source=command.source,
                       author=f"{principal.subject}@{principal.org}", created_at=now)

    async def write() -> ParameterRow:
        return uow.parameters.add(row)

    async def taken() -> Conflict:
        return Conflict(f"{command.code} already has a value from {command.effective_from}")

    await uow.unique(write, taken)
    _announce(uow, row, now)
    await uow.flush()
    return Parameter(code=row.code, effective_from=row.effective_from, value=row.value,
                     unit=row.unit, source=row.source)


async def publish_unpublished(uow: FinanceUnitOfWork, *, lock: bool) -> int:
    """Announce every row not yet announced (the seeded ones, at the first start); how many."""
    rows = await uow.parameters.unpublished_unscoped(lock=lock)
    now = datetime.now(UTC)
    for row in rows:
        _announce(uow, row, now)
    await uow.flush()
    return len(rows)
