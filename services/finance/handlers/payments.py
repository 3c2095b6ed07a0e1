"""Working a monthly payment run: every decided grant of a gemeente paid once for a month.

A run is created once per (gemeente, month) (handlers/payment_runs.py) and then works through
the month's grants in id order, one unit of work per batch: the lines, the progress counters
and a keyset cursor are committed together, so a run stopped half-way goes on where it stopped
and never pays a grant twice (`payment_lines` is also unique per grant and month). The last
unit of work marks the run completed and publishes `finance.payment-run-completed`.

This is finance's hot write path (100k grants a month): it reads and writes with SQLAlchemy Core
statements on the unit of work's connection (store/payment_batches.py), never through the ORM's
identity map and change tracking.
"""

from __future__ import annotations

import uuid
from contextlib import AbstractAsyncContextManager
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Protocol

from services.finance.domain import lks
from services.finance.domain.parameters import ParameterTable
from services.finance.handlers import budgets
from services.finance.store.models import COMPLETED
from services.finance.store.payment_batches import GrantRow, RunState
from services.finance.unit_of_work import FinanceUnitOfWork
from shared.auth import Principal
from shared.events.finance import PaymentRunCompleted
from shared.logging import get_logger

log = get_logger(__name__)


class Opener(Protocol):
    """What opens a unit of work outside a request: the runtime (`Runtime.begin`)."""

    def begin(self, principal: Principal | None = None
              ) -> AbstractAsyncContextManager[FinanceUnitOfWork]: ...


def month_start(month: str) -> date:
    """"2026-01" → 2026-01-01 (the format is checked by the API schema)."""
    return date(int(month[:4]), int(month[5:7]), 1)


async def count_grants(uow: FinanceUnitOfWork, gemeente: str, month: str) -> int:
    """How many grants the run will go through."""
    first, last = lks.month_bounds(month_start(month))
    return await uow.payment_batches.count(gemeente, first, last)


def line_amounts(rows: list[GrantRow], month: date, table: ParameterTable,
                 periods: dict[uuid.UUID, list[lks.WageValuePeriod]]
                 ) -> list[tuple[uuid.UUID, str, Decimal]]:
    """(grant, employer, amount) per grant row (the domain's split by days); zero pays
    nothing."""
    lines: list[tuple[uuid.UUID, str, Decimal]] = []
    for grant_id, candidate_id, kvk, hours, wage, valid_from, end_date, birth_date in rows:
        terms = lks.GrantTerms(start=valid_from, end=end_date, hours_per_week=hours,
                               hourly_wage=wage, wage_values=periods.get(candidate_id, ()),
                               birth_date=birth_date)
        amount = lks.month_amount(terms, month, table)
        if amount > 0:
            lines.append((grant_id, kvk, amount))
    return lines


async def run_batch(uow: FinanceUnitOfWork, run: RunState, table: ParameterTable,
                    batch_size: int) -> int:
    """Pay the next batch of grants; returns how many grants it went through."""
    first, last = lks.month_bounds(month_start(run.month))
    batches = uow.payment_batches
    rows = await batches.next_grants(run, first, last, batch_size)
    if not rows:
        return 0
    periods = await batches.wage_values(run, rows[-1][0], first, last)
    lines = line_amounts(rows, first, table, periods)
    paid = sum((amount for _, _, amount in lines), Decimal(0))
    await batches.insert_lines(run, lines)
    await batches.advance(run, processed=len(rows), payments=len(lines), amount=paid,
                          last_grant_id=rows[-1][0])
    return len(rows)


async def complete(uow: FinanceUnitOfWork, run: RunState) -> None:
    """Mark the run done, announce it, and check the LKS budget line."""
    now = datetime.now(UTC)
    await uow.payment_batches.complete(run, now)
    uow.outbox.add(PaymentRunCompleted(
        run_id=run.id, gemeente=run.gemeente, month=run.month, payment_count=run.payment_count,
        total_amount=run.total_amount, completed_at=now),
        gemeente=run.gemeente, subject_id=str(run.id))
    await budgets.check_lks(uow, run.gemeente, int(run.month[:4]))


async def execute_run(runtime: Opener, run_id: uuid.UUID, *, batch_size: int,
                      lock: bool) -> None:
    """Work a run to its end, one unit of work per batch (safe to call again after a stop)."""
    async with runtime.begin() as uow:
        table = await uow.parameters.table()
    while True:
        async with runtime.begin() as uow:
            run = await uow.payment_batches.run_state(run_id, lock=lock)
            if run is None or run.status == COMPLETED:
                return
            if await run_batch(uow, run, table, batch_size) == 0:
                await complete(uow, run)
                log.info("finance.payment_run_completed", run_id=str(run.id),
                         payments=run.payment_count)
                return


async def unfinished_runs(runtime: Opener) -> list[uuid.UUID]:
    """Runs a stopped process left half-way (resumed at start-up)."""
    async with runtime.begin() as uow:
        return await uow.payment_runs.unfinished_unscoped()
