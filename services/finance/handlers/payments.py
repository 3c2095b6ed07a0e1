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

import asyncio
import uuid
from contextlib import AbstractAsyncContextManager
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Protocol

from services.finance.domain import lks
from services.finance.domain.parameters import ParameterTable
from services.finance.domain.statuses import COMPLETED
from services.finance.handlers import budgets
from services.finance.store.payment_batches import GrantsToPay, RunState
from services.finance.unit_of_work import FinanceUnitOfWork
from shared.auth import Principal
from shared.collector import long_lived_objects_set_aside
from shared.events.finance import PaymentRunCompleted
from shared.logging import get_logger

log = get_logger(__name__)

COMPUTE_SLICE = 200  # grants computed between two turns of the event loop (a few ms)


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


Line = tuple[uuid.UUID, str, Decimal]  # (grant, employer's KvK number, amount)


def paid_lines(grants: GrantsToPay, amounts: list[Decimal]) -> list[Line]:
    """The grants' lines with their amounts, those above zero."""
    return [(grant_id, employer, amount) for grant_id, employer, amount
            in zip(grants.ids, grants.employers, amounts, strict=True) if amount > lks.ZERO]


async def amounts_yielding(grants: GrantsToPay, month: date, table: ParameterTable
                           ) -> list[Line]:
    """A line per grant that is paid (the domain's split by days; zero pays nothing),
    computed in slices of COMPUTE_SLICE grants, yielding to the event loop between them: the
    batches being read and written move on while a batch is computed (each of their round
    trips needs the loop once), instead of waiting for the whole batch."""
    amounts: list[Decimal] = []
    for at in range(0, len(grants), COMPUTE_SLICE):
        amounts += [lks.month_amount(terms, month, table)
                    for terms in grants.terms[at:at + COMPUTE_SLICE]]
        await asyncio.sleep(0)
    return paid_lines(grants, amounts)


async def read_batch(runtime: Opener, run: RunState, lower: uuid.UUID | None,
                     upper: uuid.UUID | None) -> GrantsToPay:
    """The grants of one batch, read in a unit of work of their own (nothing is locked: the
    batch's writing unit of work checks the run's cursor before it pays them)."""
    first, last = lks.month_bounds(month_start(run.month))
    async with runtime.begin() as uow:
        return await uow.payment_batches.grants_between(run.gemeente, first, last, lower,
                                                        upper)


async def complete(uow: FinanceUnitOfWork, run: RunState) -> None:
    """Mark the run done, announce it, and check the LKS budget line."""
    now = datetime.now(UTC)
    await uow.payment_batches.complete(run, now)
    uow.outbox.add(PaymentRunCompleted(
        run_id=run.id, gemeente=run.gemeente, month=run.month, payment_count=run.payment_count,
        total_amount=run.total_amount, completed_at=now),
        gemeente=run.gemeente, subject_id=str(run.id))
    await budgets.check_lks(uow, run.gemeente, int(run.month[:4]))


async def execute_run(runtime: Opener, run_id: uuid.UUID, *, batch_size: int) -> None:
    """Work a run to its end, one unit of work per batch (safe to call again after a stop)."""
    async with runtime.begin() as uow:
        table = await uow.parameters.table()
    with long_lived_objects_set_aside():  # the run's batches are young, the rest set aside
        while not await _work_from_cursor(runtime, run_id, table, batch_size=batch_size):
            log.info("finance.payment_run_cursor_moved", run_id=str(run_id))


async def _work_from_cursor(runtime: Opener, run_id: uuid.UUID, table: ParameterTable, *,
                            batch_size: int) -> bool:
    """Pay the run from its cursor to its end; False when another worker moved the cursor
    meanwhile (start again from there).

    The batches' bounds are found once; the last batch has no upper bound, so a grant decided
    while the run works is paid too when its id lies after the cursor. The work is a pipeline,
    so that the database works while Python splits months by days: batch k+1 is computed while
    batch k is written and batch k+2 read. Each batch is paid in its own unit of work, one after
    the other, which locks the run and checks that its cursor is where the batch starts (two
    workers never pay the same batch).
    """
    async with runtime.begin() as uow:
        run = await uow.payment_batches.run_state(run_id)
        if run is None or run.status == COMPLETED:
            return True
        first, last = lks.month_bounds(month_start(run.month))
        bounds: list[uuid.UUID | None] = [
            *await uow.payment_batches.boundaries(run, first, last, batch_size), None]
    cursor = run.last_grant_id  # where the run stands once the batches written so far commit
    reading = asyncio.create_task(read_batch(runtime, run, cursor, bounds[0]))
    writing: asyncio.Task[str] | None = None
    try:
        for index, upper in enumerate(bounds):
            grants = await reading
            if upper is not None:
                reading = asyncio.create_task(read_batch(runtime, run, upper,
                                                         bounds[index + 1]))
            lines = await amounts_yielding(grants, first, table)
            if writing is not None and (outcome := await writing) != PAID:
                return outcome == DONE
            writing = asyncio.create_task(write_batch(runtime, run_id, cursor, grants, lines,
                                                      last=upper is None))
            if grants:
                cursor = grants.ids[-1]
        return writing is None or await writing != MOVED
    finally:
        reading.cancel()
        if writing is not None:
            writing.cancel()


PAID, DONE, MOVED = "paid", "done", "moved"


async def write_batch(runtime: Opener, run_id: uuid.UUID, cursor: uuid.UUID | None,
                      grants: GrantsToPay, lines: list[Line],
                      *, last: bool) -> str:
    """Pay one batch in its own unit of work: the run's counters and cursor moved and the lines
    written together, only when the run is running and its cursor is where the batch starts
    (the statement locks the run until the unit of work ends). PAID; DONE once the run is
    completed (by this last batch or another worker); MOVED when another worker moved the
    cursor (nothing is written)."""
    async with runtime.begin() as uow:
        batches = uow.payment_batches
        run = await batches.pay(
            run_id, cursor, processed=len(grants),
            amount=sum((amount for _, _, amount in lines), Decimal(0)),
            last_grant_id=grants.ids[-1] if grants else cursor, lines=lines)
        if run is None:
            now = await batches.run_state(run_id)
            return DONE if now is None or now.status == COMPLETED else MOVED
        if not last:
            return PAID
        await complete(uow, run)
    log.info("finance.payment_run_completed", run_id=str(run.id), payments=run.payment_count)
    return DONE


async def unfinished_runs(runtime: Opener) -> list[uuid.UUID]:
    """Runs a stopped process left half-way (resumed at start-up)."""
    async with runtime.begin() as uow:
        return await uow.payment_runs.unfinished_unscoped()
