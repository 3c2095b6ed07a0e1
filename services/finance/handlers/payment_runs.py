"""Starting a payment run (the gemeente's month, once, and only once the month may be paid) and
reading one back: its progress, a page of its lines, or every line for the CSV."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from services.finance.commands import ReadPaymentLines, ReadPaymentRun, StartPaymentRun
from services.finance.domain.parameters import MissingParameter
from services.finance.domain.schedule import first_run_day, may_run
from services.finance.domain.statuses import RUNNING
from services.finance.handlers import access, payments
from services.finance.store.models import PaymentRun
from services.finance.unit_of_work import FinanceUnitOfWork
from shared.problems import BadRequest, Conflict, InvalidParam, NotFound

CSV_CHUNK = 5000


def already(run: PaymentRun) -> Conflict:
    """The 409 naming the run a month already has."""
    return Conflict(f"{run.gemeente} {run.month} has payment run {run.id} already; a month is "
                    "paid once", extra={"existingRun": f"/v1/payment-runs/{run.id}"})


async def start_payment_run(uow: FinanceUnitOfWork, command: StartPaymentRun) -> PaymentRun:
    """Create the run (the caller's background works it): 400 for a month that may not be paid
    yet or has no parameters, 409 when the month has a run already."""
    principal = uow.require(*access.CONTROLLERS, kinds=access.GEMEENTE_ONLY)
    access.own_gemeente(principal, command.gemeente)
    start = payments.month_start(command.month)
    if not may_run(start, command.today, command.lead_days):
        first = first_run_day(start, command.lead_days)
        raise BadRequest(
            f"{command.month} may not be paid yet: a run for it may be made from "
            f"{first.isoformat()}",
            invalid_params=[InvalidParam("month", f"not before {first.isoformat()}")],
            extra={"firstRunDay": first.isoformat()})
    try:
        (await uow.parameters.table()).lks_rows_on(start)
    except MissingParameter as exc:
        raise BadRequest(f"no parameters: {exc}", invalid_params=[
            InvalidParam("month", "no parameters for this month")]) from exc
    found = await uow.payment_runs.of_month_unscoped(command.gemeente, command.month)
    if found is not None:
        raise already(found)

    async def create() -> PaymentRun:
        return await create_run(uow, gemeente=command.gemeente, month=command.month,
                                started_by=principal.subject)

    async def twin() -> Conflict:  # a concurrent twin created it first
        return Conflict(f"{command.gemeente} {command.month} has a payment run already; a "
                        "month is paid once")

    return await uow.unique(create, twin)


async def create_run(uow: FinanceUnitOfWork, *, gemeente: str, month: str,
                     started_by: str) -> PaymentRun:
    """A new run with its total; the caller checked that none exists (the constraint too)."""
    run = uow.payment_runs.add(PaymentRun(
        id=uuid.uuid4(), gemeente=gemeente, month=month, status=RUNNING,
        total_grants=await payments.count_grants(uow, gemeente, month), processed=0,
        payment_count=0, total_amount=Decimal(0), last_grant_id=None, started_by=started_by,
        created_at=datetime.now(UTC)))
    await uow.flush()
    return run


async def read_run(uow: FinanceUnitOfWork, query: ReadPaymentRun) -> PaymentRun:
    """The run when it is the caller's gemeente's; 404 otherwise (another gemeente's run is
    not admitted to exist)."""
    uow.require(*access.PAYMENT_READERS, kinds=access.GEMEENTE_ONLY)
    run = await uow.payment_runs.get(query.run_id)
    if run is None:
        raise NotFound(f"no payment run {query.run_id} for this organisation")
    return run


@dataclass(frozen=True)
class PaymentLineRow:
    """One payment of a run: the grant, the employer paid and the amount."""

    grant_id: uuid.UUID
    employer_kvk: str
    amount: Decimal


@dataclass(frozen=True)
class PaymentLinesPage:
    """A page of a run's lines and how many the run has."""

    lines: list[PaymentLineRow]
    total: int


async def payment_lines(uow: FinanceUnitOfWork, query: ReadPaymentLines) -> PaymentLinesPage:
    """A page of the run's lines in the CSV's order (line id: the order they were paid in)."""
    run = await read_run(uow, ReadPaymentRun(query.run_id))
    rows, total = await uow.payment_runs.lines_page(run, query.offset, query.page_size)
    return PaymentLinesPage(lines=[PaymentLineRow(grant_id=g, employer_kvk=k, amount=a)
                                   for g, k, a in rows], total=total)


async def line_chunks(runtime: payments.Opener, run_id: uuid.UUID
                      ) -> AsyncIterator[list[PaymentLineRow]]:
    """A run's lines in chunks (the route found the run visible first), read in a unit of
    work of its own: the CSV streams after the request's unit of work has ended, and a large
    run never sits in memory."""
    after = 0
    async with runtime.begin() as uow:
        while True:
            rows = await uow.payment_runs.lines_after_unscoped(run_id, after, CSV_CHUNK)
            if not rows:
                return
            after = rows[-1][0]
            yield [PaymentLineRow(grant_id=g, employer_kvk=k, amount=a) for _, g, k, a in rows]
