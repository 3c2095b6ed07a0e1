"""National legal parameters: written by the platform operator only, each change announced.

Every row, the seeded ones too, is published once as `finance.legal-parameter-set` under the
national tenant (`NL`): matching folds the minimum-wage rows for its wage floor. `published_at`
marks a row whose event is in the outbox, so a restart (or a second replica, which skips rows
the first holds locked) never publishes it twice.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.finance.commands import SetLegalParameter
from services.finance.domain import plausibility
from services.finance.domain.parameters import Parameter
from services.finance.store.models import ParameterRow
from services.finance.store.repository import load_parameters
from shared.bus.outbox import add_event
from shared.events.finance import LegalParameterSet
from shared.events.subjects import NATIONAL
from shared.problems import BadRequest, Conflict, InvalidParam

# The author of the rows migration 0001 seeded from services/finance/domain/seed.py.
SEED_AUTHOR = "seed@finance"


def _announce(session: AsyncSession, row: ParameterRow, oin: str, now: datetime) -> None:
    add_event(session, LegalParameterSet(
        code=row.code, effective_from=row.effective_from, value=row.value, source=row.source,
        author=row.author or SEED_AUTHOR, set_at=row.created_at),
        gemeente=NATIONAL, subject_id=row.code, oin=oin)
    row.published_at = now


async def set_legal_parameter(session: AsyncSession, *, command: SetLegalParameter,
                              oin: str) -> Parameter:
    """Add a value from a date after the plausibility check → finance.legal-parameter-set.

    Rows are never changed: a second value for the same code and date is a 409."""
    table = await load_parameters(session)
    try:
        plausibility.check(table, code=command.code, effective_from=command.effective_from,
                           value=command.value, unit=command.unit)
    except plausibility.Implausible as exc:
        raise BadRequest(f"implausible parameter: {exc}",
                         invalid_params=[InvalidParam(exc.field, exc.reason)]) from exc
    now = datetime.now(UTC)
    row = ParameterRow(code=command.code, effective_from=command.effective_from,
                       value=command.value, unit=command.unit, source=command.source,
                       author=command.author, created_at=now)
    session.add(row)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict(f"{command.code} already has a value from "
                       f"{command.effective_from}") from exc
    _announce(session, row, oin, now)
    await session.flush()
    return Parameter(code=row.code, effective_from=row.effective_from, value=row.value,
                     unit=row.unit, source=row.source)


async def publish_unpublished(session: AsyncSession, *, oin: str, lock: bool) -> int:
    """Announce every row not yet announced (the seeded ones, at the first start); how many."""
    query = select(ParameterRow).where(ParameterRow.published_at.is_(None)).order_by(
        ParameterRow.code, ParameterRow.effective_from)
    if lock:
        query = query.with_for_update(skip_locked=True)
    rows = (await session.scalars(query)).all()
    now = datetime.now(UTC)
    for row in rows:
        _announce(session, row, oin, now)
    await session.flush()
    return len(rows)
